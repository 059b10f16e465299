import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { createTestContext, type TestContext } from '../helpers/app';
import { cookieOf, csrfFrom, signIn } from '../helpers/http';
import { createDirectory } from '../../src/directory/directory';
import { createApp } from '../../src/app';
import { buildContainer } from '../../src/container';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext({ LOGIN_MAX_PER_ACCOUNT: '3', LOGIN_MAX_PER_ADDRESS: '1000' });
});
afterAll(() => ctx.close());

async function attempt(fields: Record<string, unknown>, query = '') {
  const agent = request.agent(ctx.app);
  const form = await agent.get('/anmelden').expect(200);
  const res = await agent
    .post(`/anmelden${query}`)
    .type('form')
    .send({ ...fields, _csrf: csrfFrom(form.text) });
  const after = await agent.get('/intern');
  return { res, signedIn: after.status === 200 };
}

describe('sign-in with the directory', () => {
  it.each([
    ['redaktion', '41', ['employee']],
    ['redaktion2', '41', ['employee']],
    ['leitung', '41', ['employee', 'unit_head']],
    ['kommunikation', '18.62', ['employee', 'communications']],
    ['datenschutz', '18.DS', ['employee', 'data_protection']],
    ['hannoverde', 'HDE', ['employee', 'hannoverde']],
    ['personalrat', 'GPR', ['employee', 'staff_council']],
    ['admin', '18.IT', ['employee', 'admin']],
  ])('%s signs in with unit %s and roles %j', async (uid, unit, roles) => {
    const agent = await signIn(ctx.app, uid);
    const page = await agent.get('/intern').expect(200);
    expect(page.text).toContain(`data-testid="uid">${uid}<`);
    expect(page.text).toContain(`data-testid="unit">${unit}<`);
    const shown = [...page.text.matchAll(/data-role="([a-z_]+)"/g)].map((m) => m[1]);
    expect(shown).toEqual(roles);
  });

  it('gives a wrong password and an unknown user the same message', async () => {
    const wrong = await attempt({ username: 'kommunikation', password: 'falsch' });
    const unknown = await attempt({ username: 'niemand', password: 'demo' });
    for (const r of [wrong, unknown]) {
      expect(r.res.status).toBe(401);
      expect(r.res.text).toContain('Benutzerkennung oder Passwort ist falsch.');
      expect(r.signedIn).toBe(false);
    }
  });

  it.each([
    ['empty password', { username: 'redaktion', password: '' }, 'Geben Sie Ihr Passwort ein.'],
    ['missing password', { username: 'redaktion' }, 'Geben Sie Ihr Passwort ein.'],
    ['a wildcard user name', { username: '*', password: 'demo' }, 'darf nur Buchstaben'],
    ['a filter injection', { username: '*)(uid=*', password: 'demo' }, 'darf nur Buchstaben'],
    ['a prefix wildcard', { username: 'red*', password: 'demo' }, 'darf nur Buchstaben'],
    ['a user name given as an array', { username: ['redaktion', 'admin'], password: 'demo' }, 'Geben Sie Ihre Benutzerkennung ein.'],
  ])('refuses %s before asking the directory', async (_name, fields, message) => {
    const r = await attempt(fields);
    expect(r.res.status).toBe(400);
    expect(r.res.text).toContain(message);
    expect(r.res.text).toContain('class="kern-alert kern-alert--danger error-summary"');
    expect(r.signedIn).toBe(false);
  });

  it('ignores credentials in the query string', async () => {
    const r = await attempt({}, '?username=redaktion&password=demo');
    expect(r.res.status).toBe(400);
    expect(r.signedIn).toBe(false);
  });

  it('keeps the typed user name but never the password when the form comes back', async () => {
    const r = await attempt({ username: 'redaktion', password: 'falsch' });
    expect(r.res.text).toMatch(/id="feld-username"[^>]*value="redaktion"/);
    expect(r.res.text).toMatch(/id="feld-password"[^>]*value=""/);
  });

  it('locks an account after repeated failures, even for the right password, with a clear message', async () => {
    for (let i = 0; i < 3; i++) expect((await attempt({ username: 'personalrat', password: 'falsch' })).res.status).toBe(401);
    const blocked = await attempt({ username: 'personalrat', password: 'demo' });
    expect(blocked.res.status).toBe(429);
    expect(blocked.res.text).toContain('Zu viele fehlgeschlagene Anmeldeversuche');
    expect(blocked.res.headers['retry-after']).toBeDefined();
    expect(blocked.signedIn).toBe(false);
    // the window passes: the account may try again
    ctx.clock.advance(16 * 60_000);
    expect((await attempt({ username: 'personalrat', password: 'demo' })).signedIn).toBe(true);
  });

  it('gives the session a new id on sign-in (no fixation)', async () => {
    const agent = request.agent(ctx.app);
    const form = await agent.get('/anmelden').expect(200);
    // no session before the sign-in: nothing an attacker could fix
    expect(cookieOf(form)).toBeUndefined();
    const res = await agent.post('/anmelden').type('form').send({ username: 'leitung', password: 'demo', _csrf: csrfFrom(form.text) });
    expect(res.status).toBe(303);
    const before = cookieOf(res);
    expect(before).toBeDefined();
    // signing in again in the same browser (with its session's token) issues yet another id
    const page = await agent.get('/intern/vertretung').expect(200);
    const again = await agent.post('/anmelden').type('form').send({ username: 'leitung', password: 'demo', _csrf: csrfFrom(page.text) });
    expect(again.status).toBe(303);
    const after = cookieOf(again);
    expect(after).toBeDefined();
    expect(after).not.toEqual(before);
    // the earlier id is worth nothing
    await request(ctx.app).get('/intern').set('Cookie', String(before)).expect(302);
    await request(ctx.app).get('/intern').set('Cookie', String(after)).expect(200);
  });

  it('ends the session on the server at sign-out: the old cookie no longer works', async () => {
    const agent = await signIn(ctx.app, 'admin');
    const page = await agent.get('/intern').expect(200);
    const cookie = agent.jar.getCookie('smr.sid', { path: '/', domain: '127.0.0.1', secure: false, script: false })?.toValueString();
    expect(cookie).toBeDefined();
    const out = await agent.post('/abmelden').type('form').send({ _csrf: csrfFrom(page.text) });
    expect(out.status).toBe(303);
    expect(out.headers.location).toBe('/anmelden?abgemeldet=1');
    await request(ctx.app).get('/intern').set('Cookie', String(cookie)).expect(302);
  });

  it('sends anonymous visitors to the sign-in page and back to where they wanted to go', async () => {
    const agent = request.agent(ctx.app);
    const first = await agent.get('/en/intern?x=1').expect(302);
    expect(first.headers.location).toBe('/en/anmelden?zurueck=%2Fen%2Fintern%3Fx%3D1');
    const form = await agent.get(String(first.headers.location)).expect(200);
    expect(form.text).toContain('Please sign in to use the staff area.');
    const res = await agent
      .post('/en/anmelden')
      .type('form')
      .send({ username: 'redaktion', password: 'demo', zurueck: '/en/intern?x=1', _csrf: csrfFrom(form.text) });
    expect(res.headers.location).toBe('/en/intern?x=1');
  });

  it.each(['//evil.example/intern', 'https://evil.example/', '/\\evil.example', '/intern/../../x//y', 'javascript:alert(1)'])(
    'never redirects to %s after sign-in',
    async (target) => {
      const agent = request.agent(ctx.app);
      const form = await agent.get('/anmelden').expect(200);
      const res = await agent
        .post('/anmelden')
        .type('form')
        .send({ username: 'redaktion', password: 'demo', zurueck: target, _csrf: csrfFrom(form.text) });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/intern');
    },
  );
});

describe('sign-in when the directory cannot be reached', () => {
  let down: TestContext;
  beforeAll(async () => {
    down = await createTestContext();
    // point the app at a port where nothing listens
    const cfg = { ...down.directory.config, url: 'ldap://127.0.0.1:1', timeoutMs: 1000 };
    down.app = createApp(down.config, buildContainer({ ...down.services, directory: createDirectory(cfg) }));
  });
  afterAll(() => down.close());

  it('says so honestly instead of blaming the password', async () => {
    const agent = request.agent(down.app);
    const form = await agent.get('/anmelden').expect(200);
    const res = await agent.post('/anmelden').type('form').send({ username: 'redaktion', password: 'demo', _csrf: csrfFrom(form.text) });
    expect(res.status).toBe(503);
    expect(res.text).toContain('Das Verzeichnis der Stadtverwaltung ist gerade nicht erreichbar');
    expect(res.text).not.toContain('Passwort ist falsch');
  });

  it('keeps the public side working', async () => {
    await request(down.app).get('/').expect(200);
  });
});
