import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import request from 'supertest';
import { createTestContext, type TestContext } from '../helpers/app';
import { csrfFrom, signIn } from '../helpers/http';
import { enqueue } from '../../src/notifications/outbox';
import { stepWaiting } from './fixtures';

/**
 * The administrators' outbox at /intern/postausgang. Needs the router mounted in
 * src/app.ts: staff.use('/intern/postausgang', requireUser, outboxRoutes({ outbox })).
 */
let ctx: TestContext;
let admin: request.Agent;

beforeAll(async () => {
  ctx = await createTestContext();
  admin = await signIn(ctx.app, 'admin');
});
afterAll(() => ctx.close());
beforeEach(async () => {
  await ctx.database.db('outbox').del();
});

/** n messages; `failed` and `sent` of them get that status. */
async function seed(n: number, opts: { failed?: number[]; sent?: number[] } = {}) {
  for (let i = 1; i <= n; i++) await enqueue(ctx.database.db, stepWaiting(i), new Date(Date.UTC(2026, 2, 2, 8, 0, i)));
  const ids = await ctx.database.db('outbox').orderBy('id').pluck('id');
  const idOf = (i: number) => ids[i - 1] as number;
  for (const i of opts.failed ?? [])
    await ctx.database
      .db('outbox')
      .where({ id: idOf(i) })
      .update({ status: 'failed', attempts: 8, last_error: '550 mailbox unavailable' });
  for (const i of opts.sent ?? [])
    await ctx.database
      .db('outbox')
      .where({ id: idOf(i) })
      .update({ status: 'sent', attempts: 1, sent_at: new Date(Date.UTC(2026, 2, 2, 9)) });
  return idOf;
}

const rowsOf = (html: string) =>
  [...html.matchAll(/<tr class="kern-table__row" data-message="(\d+)" data-status="(\w+)"/g)].map((m) => ({
    id: Number(m[1]),
    status: m[2],
  }));

describe('outbox page', () => {
  it('shows administrators every message with its details and the full text in a disclosure', async () => {
    const idOf = await seed(3, { failed: [2], sent: [3] });
    const res = await admin.get('/intern/postausgang').expect(200);
    expect(res.text).toContain('<h1 class="kern-heading-large">Postausgang</h1>');
    expect(res.text).toMatch(/<caption[^>]*>Nachrichten im Postausgang<\/caption>/);
    expect(res.text.match(/scope="col"/g)).toHaveLength(9);
    expect(rowsOf(res.text)).toEqual([
      { id: idOf(3), status: 'sent' },
      { id: idOf(2), status: 'failed' },
      { id: idOf(1), status: 'pending' },
    ]);
    expect(res.text).toContain('person1@hannover-stadt.de');
    expect(res.text).toContain('Bitte entscheiden: Datenschutz – Instagram Stadtbibliothek 1');
    expect(res.text).toContain('Entscheidung erbeten'); // template label
    expect(res.text).toContain('550 mailbox unavailable');
    expect(res.text).toContain('<details class="kern-accordion">');
    expect(res.text).toContain('http://portal.test/intern/antraege/1');
    expect(res.text).toContain('Guten Tag Person 1,');
    // only the failed message can be sent again
    expect(res.text.match(/action="\/intern\/postausgang\/\d+\/erneut"/g)).toEqual([
      `action="/intern/postausgang/${idOf(2)}/erneut"`,
    ]);
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('filters by status', async () => {
    const idOf = await seed(4, { failed: [1, 3], sent: [2] });
    const failed = await admin.get('/intern/postausgang?status=failed').expect(200);
    expect(rowsOf(failed.text)).toEqual([
      { id: idOf(3), status: 'failed' },
      { id: idOf(1), status: 'failed' },
    ]);
    expect(failed.text).toContain('Nachrichten im Postausgang mit Status „Fehlgeschlagen“');
    expect(failed.text).toMatch(/<option value="failed" selected>/);
    expect(rowsOf((await admin.get('/intern/postausgang?status=sent').expect(200)).text)).toEqual([
      { id: idOf(2), status: 'sent' },
    ]);
    expect(rowsOf((await admin.get('/intern/postausgang?status=pending').expect(200)).text)).toEqual([
      { id: idOf(4), status: 'pending' },
    ]);
    expect(rowsOf((await admin.get('/intern/postausgang?status=').expect(200)).text)).toHaveLength(4);
  });

  it('pages 50 messages at a time', async () => {
    await seed(53);
    const first = await admin.get('/intern/postausgang').expect(200);
    expect(rowsOf(first.text)).toHaveLength(50);
    expect(first.text).toContain('53 Nachrichten, Seite 1 von 2');
    expect(first.text).toContain('href="/intern/postausgang?seite=2"');
    const second = await admin.get('/intern/postausgang?seite=2').expect(200);
    expect(rowsOf(second.text)).toHaveLength(3);
    expect(second.text).toContain('href="/intern/postausgang"');
    expect(second.text).not.toContain('seite=3');
    const beyond = await admin.get('/intern/postausgang?seite=9').expect(200);
    expect(beyond.text).toContain('Keine Nachrichten gefunden.');
  });

  it.each([
    'status=bogus',
    'status=PENDING',
    'status=failed&status=sent',
    'seite=0',
    'seite=-1',
    'seite=abc',
    'seite=1.5',
    'seite=99999999',
    'seite=2&seite=3',
  ])('answers %s with 400', async (query) => {
    await admin.get(`/intern/postausgang?${query}`).expect(400);
  });

  it('sends a failed message again: 303 back to the list, and it is pending again', async () => {
    const idOf = await seed(2, { failed: [1] });
    const page = await admin.get('/intern/postausgang?status=failed').expect(200);
    const res = await admin
      .post(`/intern/postausgang/${idOf(1)}/erneut`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), status: 'failed' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/intern/postausgang?status=failed&erneut=${idOf(1)}`);
    const row = await ctx.database
      .db('outbox')
      .where({ id: idOf(1) })
      .first();
    expect(row).toMatchObject({ status: 'pending', attempts: 0 });
    // due at once (by the app's clock, or real time if the router is mounted without one)
    expect(row.next_attempt_at.getTime()).toBeLessThanOrEqual(Math.max(Date.now(), ctx.clock.now.getTime()));
    const after = await admin.get(String(res.headers.location)).expect(200);
    expect(after.text).toContain(`Nachricht Nr. ${idOf(1)} wird erneut versendet.`);
    expect(rowsOf(after.text)).toEqual([]);

    // a second click finds nothing to retry and simply shows the list again
    const again = await admin
      .post(`/intern/postausgang/${idOf(1)}/erneut`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text) });
    expect(again.status).toBe(303);
    expect(again.headers.location).toBe('/intern/postausgang');
  });

  it('stays in English on the English page', async () => {
    const idOf = await seed(1, { failed: [1] });
    const page = await admin.get('/en/intern/postausgang').expect(200);
    expect(page.text).toContain('<h1 class="kern-heading-large">Outbox</h1>');
    expect(page.text).toContain('Send again');
    const res = await admin
      .post(`/en/intern/postausgang/${idOf(1)}/erneut`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text) });
    expect(res.headers.location).toBe(`/en/intern/postausgang?erneut=${idOf(1)}`);
  });

  it.each(['abc', '0', '1e3', '99999999999', '2147483648'])('answers a retry of message %s with 404', async (id) => {
    const page = await admin.get('/intern/postausgang').expect(200);
    await admin
      .post(`/intern/postausgang/${id}/erneut`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text) })
      .expect(404);
  });

  it('answers a retry of a message that does not exist with 404', async () => {
    const page = await admin.get('/intern/postausgang').expect(200);
    await admin
      .post('/intern/postausgang/424242/erneut')
      .type('form')
      .send({ _csrf: csrfFrom(page.text) })
      .expect(404);
  });

  it('refuses a retry without the CSRF token', async () => {
    const idOf = await seed(1, { failed: [1] });
    await admin
      .post(`/intern/postausgang/${idOf(1)}/erneut`)
      .type('form')
      .send({})
      .expect(403);
    expect(
      (
        await ctx.database
          .db('outbox')
          .where({ id: idOf(1) })
          .first()
      ).status,
    ).toBe('failed');
  });

  it('refuses everybody who is not an administrator', async () => {
    const idOf = await seed(1, { failed: [1] });
    const editor = await signIn(ctx.app, 'redaktion');
    const home = await editor.get('/intern').expect(200);
    await editor.get('/intern/postausgang').expect(403);
    await editor.get('/intern/postausgang?status=failed').expect(403);
    await editor
      .post(`/intern/postausgang/${idOf(1)}/erneut`)
      .type('form')
      .send({ _csrf: csrfFrom(home.text) })
      .expect(403);
    expect(
      (
        await ctx.database
          .db('outbox')
          .where({ id: idOf(1) })
          .first()
      ).status,
    ).toBe('failed');
    // anonymous visitors are sent to sign in
    await request(ctx.app).get('/intern/postausgang').expect(302);
  });
});
