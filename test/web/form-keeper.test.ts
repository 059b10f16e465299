import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { createTestContext, type TestContext } from '../helpers/app';
import { csrfFrom, signIn } from '../helpers/http';
import { seedDemoUnits } from '../../src/demo/org-units';
import { openForm, sealForm } from '../../src/web/form-keeper';
import { validForm } from '../requests/fixtures';

/**
 * Nothing typed is lost to a timeout (issue 17): a form that arrives after its session ended
 * (idle timeout, absolute lifetime) or with a stale token is not processed, but kept — the
 * person signs in again and sends it with one click. Driven over HTTP with demo accounts.
 */
let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
  await seedDemoUnits(ctx.database.db);
});
afterAll(async () => {
  await ctx?.close();
});

const hidden = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1];
const decode = (v: string) =>
  v.replace(/&#34;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
/** The name/value pairs of the form with the given action on a page (hidden fields and buttons). */
function keptPairs(html: string): Record<string, string> {
  const form =
    /<form method="post" action="[^"]*" class="stack" data-testid="kept-form">([\s\S]*?)<\/form>/.exec(html)?.[1] ?? '';
  const out: Record<string, string> = {};
  for (const m of form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g))
    out[m[1] as string] = decode(m[2] as string);
  return out;
}
const sessions = async () => Number((await ctx.database.db('sessions').count({ n: '*' }).first())?.n ?? 0);
/** The idle timeout, as it happens: the stored session's expiry lies in the past. */
const letSessionsExpire = () => ctx.database.db('sessions').update({ expired: new Date(Date.now() - 60_000) });

describe('a form sent after the session ended is kept, not lost', () => {
  it('idle timeout on the request form: sign in again, see the entries, send them, and the draft holds every entry', async () => {
    const editor = await signIn(ctx.app, 'redaktion');
    const form = (await editor.get('/intern/antraege/neu').expect(200)).text;
    expect(form).toContain('data-testid="session-hint"');
    const concept =
      'Ein langes Nutzungskonzept,\nüber das eine halbe Stunde nachgedacht wurde – mit „Anführungszeichen“ & <Zeichen>.';
    const typed = validForm({ name: 'Stadtteilkultur Linden', purpose: concept });
    await letSessionsExpire();
    const before = await ctx.database.db('requests').count({ n: '*' }).first();

    const late = await editor
      .post('/intern/antraege/neu')
      .type('form')
      .send({ ...typed, aktion: 'entwurf', _csrf: csrfFrom(form) });
    // not processed: the sign-in page, saying the entries are safe, carrying them sealed
    expect(late.status).toBe(403);
    expect(late.text).toContain('Ihre Sitzung ist abgelaufen. Ihre Eingaben sind gesichert');
    const sealed = hidden(late.text, 'gesichert');
    expect(sealed).toBeTruthy();
    expect(late.text).not.toContain('Stadtteilkultur Linden'); // sealed, not readable in the page
    expect(await ctx.database.db('requests').count({ n: '*' }).first()).toEqual(before);

    // a wrong password first: the entries stay with the form
    const wrong = await editor
      .post('/anmelden')
      .type('form')
      .send({ username: 'redaktion', password: 'falsch', _csrf: csrfFrom(late.text), gesichert: sealed });
    expect(wrong.status).toBe(401);
    expect(hidden(wrong.text, 'gesichert')).toBe(sealed);

    const signedIn = await editor
      .post('/anmelden')
      .type('form')
      .send({ username: 'redaktion', password: 'demo', _csrf: csrfFrom(wrong.text), gesichert: sealed });
    expect(signedIn.status).toBe(200);
    expect(signedIn.text).toContain('Ihre Eingaben sind gesichert');
    expect(signedIn.text).toContain('action="/intern/antraege/neu"');
    // the button pressed (save the draft) is the button offered
    expect(signedIn.text).toMatch(/name="aktion" value="entwurf"/);
    const pairs = keptPairs(signedIn.text);
    for (const [name, value] of Object.entries(typed)) expect(pairs[name], name).toBe(value.replace(/\r\n/g, '\n'));

    // nothing was sent by itself: only the person's click saves
    expect(await ctx.database.db('requests').count({ n: '*' }).first()).toEqual(before);
    const saved = await editor
      .post('/intern/antraege/neu')
      .type('form')
      .send({ ...pairs, aktion: 'entwurf', _csrf: csrfFrom(signedIn.text) });
    expect(saved.status).toBe(303);
    const row = await ctx.database.db('requests').where({ title: 'Stadtteilkultur Linden' }).first();
    expect(row?.status).toBe('draft');
    expect(row?.data.purpose).toBe(concept);
  });

  it('absolute lifetime on a decision comment: the comment comes back after the sign-in and is decided with one click', async () => {
    const editor = await signIn(ctx.app, 'redaktion');
    const page = (await editor.get('/intern/antraege/neu').expect(200)).text;
    const sent = await editor
      .post('/intern/antraege/neu')
      .type('form')
      .send({
        ...validForm({ name: 'Literaturhaus Hannover', url: 'https://www.facebook.com/literaturhaus.timeout' }),
        aktion: 'einreichen',
        _csrf: csrfFrom(page),
      });
    expect(sent.status).toBe(303);
    const id = Number(/\/intern\/antraege\/(\d+)/.exec(sent.headers.location as string)?.[1]);

    const head = await signIn(ctx.app, 'leitung');
    const view = (await head.get(`/intern/antraege/${id}`).expect(200)).text;
    ctx.clock.advance(11 * 3_600_000); // a long day: the sign-in has reached its maximum lifetime
    const comment = 'Bitte die Zielgruppen genauer beschreiben.\nDanke!';
    const late = await head
      .post(`/intern/antraege/${id}/entscheidung`)
      .type('form')
      .send({ schritt: 'unit_head', entscheidung: 'return', kommentar: comment, _csrf: csrfFrom(view) });
    expect(late.status).toBe(401);
    expect(late.text).toContain('Ihre Eingaben sind gesichert');
    expect((await ctx.database.db('requests').where({ id }).first())?.status).toBe('in_review');

    const again = await head
      .post('/anmelden')
      .type('form')
      .send({
        username: 'leitung',
        password: 'demo',
        _csrf: csrfFrom(late.text),
        gesichert: hidden(late.text, 'gesichert'),
      });
    expect(again.status).toBe(200);
    expect(again.text).toContain(`action="/intern/antraege/${id}/entscheidung"`);
    expect(again.text).not.toContain('Nur als Entwurf speichern');
    const pairs = keptPairs(again.text);
    expect(pairs).toMatchObject({ schritt: 'unit_head', entscheidung: 'return', kommentar: comment });
    const done = await head
      .post(`/intern/antraege/${id}/entscheidung`)
      .type('form')
      .send({ ...pairs, _csrf: csrfFrom(again.text) });
    expect(done.status).toBe(303);
    expect((await ctx.database.db('requests').where({ id }).first())?.status).toBe('returned');
    expect(
      (await ctx.database.db('history').where({ request_id: id, action: 'workflow.returned' }).first())?.comment,
    ).toBe(comment);
  });

  it('a stale token while still signed in: the entries come back at once with a fresh token', async () => {
    const agent = await signIn(ctx.app, 'redaktion');
    const res = await agent
      .post('/intern/antraege/neu')
      .type('form')
      .send({ ...validForm({ name: 'Nach dem Neustart' }), aktion: 'einreichen', _csrf: 'veraltet' });
    expect(res.status).toBe(403);
    expect(res.text).toContain('Ihre Eingaben sind gesichert');
    expect(keptPairs(res.text).name).toBe('Nach dem Neustart');
    // the pressed button is pressed again; saving as a draft is offered too
    expect(res.text).toMatch(/name="aktion" value="einreichen"/);
    expect(await ctx.database.db('requests').where({ title: 'Nach dem Neustart' })).toHaveLength(0);
  });

  it('forged, foreign or stale sealed entries are ignored; an empty form is not kept; an anonymous visit stores nothing', async () => {
    const now = ctx.clock.now;
    const genuine = sealForm(ctx.config.session.secret, {
      path: '/intern/antraege/neu',
      fields: [['name', 'x']],
      at: now.getTime(),
    });
    expect(openForm(ctx.config.session.secret, genuine, now)?.fields).toEqual([['name', 'x']]);
    expect(openForm('another-secret-another-secret-another-secret', genuine, now)).toBeUndefined();
    expect(openForm(ctx.config.session.secret, `${genuine.slice(0, -2)}AA`, now)).toBeUndefined();
    expect(openForm(ctx.config.session.secret, genuine, new Date(now.getTime() + 25 * 3_600_000))).toBeUndefined();
    const offsite = sealForm(ctx.config.session.secret, {
      path: '/anmelden',
      fields: [['name', 'x']],
      at: now.getTime(),
    });
    expect(openForm(ctx.config.session.secret, offsite, now)).toBeUndefined();

    // a sign-in with a forged blob is an ordinary sign-in
    const agent = request.agent(ctx.app);
    const form = await agent.get('/anmelden');
    const res = await agent
      .post('/anmelden')
      .type('form')
      .send({ username: 'redaktion', password: 'demo', _csrf: csrfFrom(form.text), gesichert: 'A'.repeat(120) });
    expect(res.status).toBe(303);

    // anonymous posts: the kept entries live in the page, not in the database
    const rows = await sessions();
    const anon = await request(ctx.app).post('/intern/antraege/neu').type('form').send({ name: 'Anonym', _csrf: 'x' });
    expect(anon.status).toBe(403);
    expect(hidden(anon.text, 'gesichert')).toBeTruthy();
    const empty = await request(ctx.app).post('/intern/antraege/neu').type('form').send({ name: '  ', _csrf: 'x' });
    expect(empty.status).toBe(403);
    expect(hidden(empty.text, 'gesichert')).toBeUndefined();
    expect(await sessions()).toBe(rows);
  });

  it('JavaScript may extend the session: POST /intern/sitzung answers 204 when signed in, and staff pages carry the times', async () => {
    const agent = await signIn(ctx.app, 'redaktion');
    const home = await agent.get('/intern').expect(200);
    expect(home.text).toMatch(/data-session-idle="1800" data-session-left="\d+"/);
    expect(home.text).toContain('id="sitzung-warnung"');
    expect(
      (
        await agent
          .post('/intern/sitzung')
          .type('form')
          .send({ _csrf: csrfFrom(home.text) })
      ).status,
    ).toBe(204);
    // the public pages know nothing of it
    expect((await request(ctx.app).get('/')).text).not.toContain('data-session-idle');
    expect((await request(ctx.app).post('/intern/sitzung').type('form').send({})).status).toBe(403);
  });
});
