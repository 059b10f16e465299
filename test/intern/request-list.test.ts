import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/app';
import { signIn, submitForm } from '../helpers/http';
import { seedDemoUnits } from '../../src/demo/org-units';
import { backendName } from '../helpers/env';
import { validForm } from '../requests/fixtures';

/**
 * The staff request list (/intern/antraege) shows what its reader may see — the same rule as
 * each request's own page, deputies included — and refuses a filter no page offers.
 */
let ctx: TestContext;
type Agent = Awaited<ReturnType<typeof signIn>>;
let author: Agent;
let deputy: Agent;
let head: Agent;
let id: number;

const listed = (html: string, requestId: number) => html.includes(`data-request="${requestId}"`);
const berlinDay = (d: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(d);

beforeAll(async () => {
  ctx = await createTestContext();
  await seedDemoUnits(ctx.database.db);
  author = await signIn(ctx.app, 'redaktion');
  deputy = await signIn(ctx.app, 'redaktion2'); // no central role, heads no unit
  head = await signIn(ctx.app, 'leitung'); // heads unit 41
  // a request of unit 41 that names neither the deputy nor the head
  const res = await submitForm(author, '/intern/antraege/neu', '/intern/antraege/neu', {
    ...validForm({
      url: 'https://www.facebook.com/liste.vertretung',
      name: 'Liste Vertretung',
      editor2: 'datenschutz',
    }),
    aktion: 'einreichen',
  });
  expect(res.status, res.text.slice(0, 1000)).toBe(303);
  id = Number(/\/intern\/antraege\/(\d+)/.exec(String(res.headers.location))?.[1]);
}, 60_000);
afterAll(() => ctx?.close());

describe(`the request list (${backendName})`, () => {
  it('shows a deputy the requests of the person they deputise for, as the request page does, and only while it lasts', async () => {
    expect(listed((await deputy.get('/intern/antraege').expect(200)).text, id)).toBe(false);
    await deputy.get(`/intern/antraege/${id}`).expect(404);
    expect(listed((await head.get('/intern/antraege').expect(200)).text, id)).toBe(true);

    const today = berlinDay(ctx.clock.now);
    const named = await submitForm(head, '/intern/vertretung', '/intern/vertretung', {
      vertretung: 'redaktion2',
      von: today,
      bis: today,
    });
    expect(named.status).toBe(303);

    const list = await deputy.get('/intern/antraege').expect(200);
    expect(listed(list.text, id)).toBe(true);
    expect(list.text).toContain(`href="/intern/antraege/${id}"`);
    await deputy.get(`/intern/antraege/${id}`).expect(200); // the link leads to a page they may see
    expect(listed((await deputy.get('/intern/antraege?stand=in_review').expect(200)).text, id)).toBe(true);
    expect(listed((await deputy.get('/intern/antraege?stand=published').expect(200)).text, id)).toBe(false);

    // the principal ends the substitution: the list and the page agree again
    const subs = await head.get('/intern/vertretung').expect(200);
    const end = /action="(\/intern\/vertretung\/\d+\/beenden)"/.exec(subs.text)?.[1] as string;
    expect((await submitForm(head, '/intern/vertretung', end, {})).status).toBe(303);
    expect(listed((await deputy.get('/intern/antraege').expect(200)).text, id)).toBe(false);
    await deputy.get(`/intern/antraege/${id}`).expect(404);
  });

  it('answers a status no filter offers, or a repeated one, with the friendly 400 page', async () => {
    for (const query of ['stand=erfunden', 'stand=draft&stand=published', 'stand=%27%20OR%201%3D1']) {
      const res = await author.get(`/intern/antraege?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.text, query).toContain('<h1');
      expect(res.text, query).not.toMatch(/\n\s+at .+:\d+:\d+/);
    }
    // "all" is the empty choice
    expect(listed((await author.get('/intern/antraege?stand=').expect(200)).text, id)).toBe(true);
  });

  it('answers an unknown presence filter with 400 and ignores a stray notice flag', async () => {
    expect((await author.get('/intern/angebote?filter=alle').expect(400)).text).toContain('<h1');
    await author.get('/intern/angebote?filter=ueberfaellig').expect(200);
    // a notice flag the portal did not set shows no notice, and is no error
    const page = await author.get(`/intern/antraege/${id}?gespeichert=vielleicht`).expect(200);
    const saved = await author.get(`/intern/antraege/${id}?gespeichert=1`).expect(200);
    expect(saved.text).toContain('Der Entwurf wurde gespeichert.');
    expect(page.text).not.toContain('Der Entwurf wurde gespeichert.');
  });
});
