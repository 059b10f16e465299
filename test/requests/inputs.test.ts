import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/app';
import { csrfFrom, signIn, submitForm } from '../helpers/http';
import { seedDemoUnits } from '../../src/demo/org-units';
import { validForm } from './fixtures';

/**
 * Input at and beyond the limits: a refusal with a message and every entry kept, never a
 * 500 and never anything half-stored (issue 10, point 6).
 */
let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
  await seedDemoUnits(ctx.database.db);
});
afterAll(() => ctx.close());

type Agent = Awaited<ReturnType<typeof signIn>>;
const count = async (table: string) =>
  Number(((await ctx.database.db(table).count({ n: '*' }).first()) as { n: string | number }).n);
const escape = (v: string) =>
  v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;').replace(/'/g, '&#39;');

async function fileRequest(agent: Agent, overrides: Record<string, string> = {}): Promise<number> {
  const res = await submitForm(agent, '/intern/antraege/neu', '/intern/antraege/neu', {
    ...validForm(overrides),
    aktion: 'einreichen',
  });
  expect(res.status, res.text.slice(0, 500)).toBe(303);
  return Number(/\/intern\/antraege\/(\d+)/.exec(res.headers.location as string)?.[1]);
}

describe('the request form at its limits', () => {
  const longName = `Kulturbüro <Hannover> & „${'x'.repeat(200)}“`;

  it.each(['entwurf', 'einreichen'])(
    'refuses a name longer than its column (%s) and keeps every entry',
    async (aktion) => {
      const editor = await signIn(ctx.app, 'redaktion');
      const before = await count('requests');
      const res = await submitForm(editor, '/intern/antraege/neu', '/intern/antraege/neu', {
        ...validForm({ name: longName, purpose: 'Zweck bleibt 7' }),
        aktion,
      });
      expect(res.status).toBe(400);
      expect(res.text).toContain('Der Text ist zu lang (höchstens 200 Zeichen).');
      expect(res.text).toContain(escape(longName));
      expect(res.text).toContain('Zweck bleibt 7');
      expect(res.text).toContain(escape(validForm().description as string));
      expect(await count('requests')).toBe(before);
    },
  );

  it('refuses an over-long entry in an existing draft without storing any of it', async () => {
    const editor = await signIn(ctx.app, 'redaktion');
    const draft = await submitForm(editor, '/intern/antraege/neu', '/intern/antraege/neu', {
      name: 'Entwurf Grenze',
      aktion: 'entwurf',
    });
    const id = Number(/antraege\/(\d+)/.exec(String(draft.headers.location))?.[1]);
    const long = 'p'.repeat(4001);
    const res = await submitForm(editor, `/intern/antraege/${id}/bearbeiten`, `/intern/antraege/${id}/bearbeiten`, {
      name: 'Entwurf Grenze neu',
      purpose: long,
      aktion: 'entwurf',
    });
    expect(res.status).toBe(400);
    expect(res.text).toContain(long);
    expect(res.text).toContain('Entwurf Grenze neu');
    expect((await ctx.database.db('requests').where({ id }).first()).title).toBe('Entwurf Grenze');
  });

  it('keeps a decision comment over the limit and says so', async () => {
    const editor = await signIn(ctx.app, 'redaktion');
    const id = await fileRequest(editor, { url: 'https://facebook.com/kultur.grenze', name: 'Grenze Kommentar' });
    const head = await signIn(ctx.app, 'leitung');
    const page = await head.get(`/intern/antraege/${id}`).expect(200);
    const comment = `Bitte <prüfen> ${'k'.repeat(4000)}`;
    const res = await head
      .post(`/intern/antraege/${id}/entscheidung`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), schritt: 'unit_head', entscheidung: 'return', kommentar: comment });
    expect(res.status).toBe(400);
    expect(res.text).toContain('höchstens 4000 Zeichen');
    expect(res.text).toContain(escape(comment));
    expect(await ctx.database.db('decisions').where({ request_id: id })).toEqual([]);
  });
});

describe('the substitution form', () => {
  it.each([
    ['2026-02-31', '2026-03-01'],
    ['0000-01-01', '2026-03-01'],
    ['2026-03-01', '2026-04-31'],
    ['2026-03-01', '0000-01-01'],
  ])('refuses the impossible date in %s – %s with a message and keeps the form', async (von, bis) => {
    const editor = await signIn(ctx.app, 'redaktion');
    const before = await count('substitutions');
    const res = await submitForm(editor, '/intern/vertretung', '/intern/vertretung', {
      vertretung: 'redaktion2',
      von,
      bis,
    });
    expect(res.status).toBe(400);
    expect(res.text).toContain('Geben Sie ein gültiges Datum an');
    expect(res.text).toContain(`value="${von}"`);
    expect(res.text).toContain(`value="${bis}"`);
    expect(res.text).toContain('value="redaktion2"');
    expect(await count('substitutions')).toBe(before);
  });

  it('refuses a user id longer than any in the directory and keeps it', async () => {
    const editor = await signIn(ctx.app, 'redaktion');
    const uid = 'r'.repeat(101);
    const res = await submitForm(editor, '/intern/vertretung', '/intern/vertretung', {
      vertretung: uid,
      von: '2099-01-01',
      bis: '2099-01-02',
    });
    expect(res.status).toBe(400);
    expect(res.text).toContain(`value="${uid}"`);
  });
});
