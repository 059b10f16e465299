import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/app';
import { signIn } from '../helpers/http';
import { seedDemoUnits } from '../../src/demo/org-units';
import { adminRoutes, routeTable, ADMIN_PAGES } from '../../src/admin/routes';
import { NON_ADMINS, tokenOf, type Agent } from './helpers';

let ctx: TestContext;
let routes: Array<{ method: 'get' | 'post'; path: string }>;
beforeAll(async () => {
  ctx = await createTestContext();
  await seedDemoUnits(ctx.database.db);
  // the router as the app builds it, with the services the container built for this app
  routes = routeTable(adminRoutes(ctx.services.admin));
});
afterAll(() => ctx.close());

/** A concrete URL for a route pattern: ids of rows that exist, so a refusal is never a 404. */
const concrete = (path: string) =>
  `/intern/verwaltung${path}`
    .replace(':id', '1')
    .replace(':key', 'facebook')
    .replace(':token', 'a'.repeat(32))
    .replace(/\/$/, '');

describe('administration is for administrators only', () => {
  it('knows every route it checks', () => {
    // the table comes from the router itself, so a new route is covered automatically
    expect(routes.length).toBeGreaterThan(25);
    expect(routes).toEqual(
      expect.arrayContaining([
        { method: 'get', path: '/' },
        { method: 'post', path: '/import/ausfuehren' },
        { method: 'get', path: '/register/:id/nachweis' },
        { method: 'post', path: '/organisationseinheiten/:id/aufloesen' },
      ]),
    );
  });

  for (const uid of NON_ADMINS) {
    it(`refuses every route to ${uid} (GET and POST, with a valid CSRF token)`, async () => {
      const agent: Agent = await signIn(ctx.app, uid);
      const token = await tokenOf(agent);
      const refused: string[] = [];
      for (const r of routes) {
        const url = concrete(r.path);
        const res =
          r.method === 'get'
            ? await agent.get(url)
            : await agent.post(url).type('form').send({ _csrf: token, name: 'x', csv: 'a;b' });
        if (res.status !== 403) refused.push(`${r.method.toUpperCase()} ${url} → ${res.status}`);
        // English paths are the same routes
        const en =
          r.method === 'get'
            ? await agent.get(`/en${url}`)
            : await agent.post(`/en${url}`).type('form').send({ _csrf: token });
        if (en.status !== 403) refused.push(`${r.method.toUpperCase()} /en${url} → ${en.status}`);
      }
      expect(refused).toEqual([]);
      // unknown admin paths are refused too, not revealed as 404
      expect((await agent.get('/intern/verwaltung/gibt-es-nicht')).status).toBe(403);
    });
  }

  it('refuses anonymous visitors by sending them to sign in', async () => {
    const { default: request } = await import('supertest');
    const res = await request(ctx.app).get('/intern/verwaltung/organisationseinheiten');
    expect([302, 303]).toContain(res.status);
    expect(res.headers.location).toMatch(/\/anmelden/);
  });

  it('shows the index with a link to every administration page, in German and English', async () => {
    const admin = await signIn(ctx.app, 'admin');
    const de = await admin.get('/intern/verwaltung').expect(200);
    for (const p of ADMIN_PAGES) expect(de.text).toContain(`href="/intern${p.path}"`);
    expect(de.text).toContain('Organisationseinheiten');
    const en = await admin.get('/en/intern/verwaltung').expect(200);
    for (const p of ADMIN_PAGES) expect(en.text).toContain(`href="/en/intern${p.path}"`);
    expect(en.text).toContain('Organisational units');
    expect(en.text).not.toContain('Organisationseinheiten anlegen');
  });

  it('renders every GET page for the administrator without errors', async () => {
    const admin = await signIn(ctx.app, 'admin');
    const pages = routes.filter((r) => r.method === 'get' && !r.path.includes(':token'));
    const problems: string[] = [];
    for (const r of pages) {
      for (const prefix of ['', '/en']) {
        const url = `${prefix}${concrete(r.path)}`;
        const res = await admin.get(url);
        if (res.status !== 200) problems.push(`${url} → ${res.status}`);
        if (
          res.headers['content-type']?.includes('html') &&
          /admin\.[a-z]+\.[a-zA-Z.]+/.test(res.text.replace(/data-problem="[^"]*"/g, ''))
        ) {
          problems.push(`${url} shows a raw message key: ${/admin\.[a-z]+\.[a-zA-Z.]+/.exec(res.text)?.[0]}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('answers malformed parameters with 400 or 404, never 500', async () => {
    const admin = await signIn(ctx.app, 'admin');
    const cases: Array<[string, number]> = [
      ['/intern/verwaltung/organisationseinheiten/abc', 404],
      ['/intern/verwaltung/organisationseinheiten/99999', 404],
      ['/intern/verwaltung/plattformen/NOPE', 404],
      ['/intern/verwaltung/plattformen/tiktok', 404],
      ['/intern/verwaltung/ablaeufe/0', 404],
      ['/intern/verwaltung/ablaeufe/neu?von=x', 404],
      ['/intern/verwaltung/register/1x/nachweis', 404],
      ['/intern/verwaltung/register/4242/nachweis', 404],
      ['/intern/verwaltung/register?status=weird', 400],
      ['/intern/verwaltung/register?plattform=tiktok', 400],
      ['/intern/verwaltung/register?einheit=nope', 400],
      ['/intern/verwaltung/register?status=active&status=closed', 400],
      ['/intern/verwaltung/register?seite=0', 400],
      ['/intern/verwaltung/verlauf?seite=-1', 400],
      ['/intern/verwaltung/verlauf?antrag=1&antrag=2', 400],
      ['/intern/verwaltung/import/ergebnis/short', 404],
      ['/intern/verwaltung/organisationseinheiten/import/' + 'b'.repeat(32), 404],
    ];
    for (const [url, status] of cases) {
      const res = await admin.get(url);
      expect(res.status, url).toBe(status);
      expect(res.text).not.toMatch(/at .+\.ts:\d+/);
    }
    const token = await tokenOf(admin);
    expect(
      (
        await admin
          .post('/intern/verwaltung/plattformen/facebook/freigabe')
          .type('form')
          .send({ _csrf: token, freigegeben: 'vielleicht' })
      ).status,
    ).toBe(400);
    expect(
      (
        await admin
          .post('/intern/verwaltung/plattformen/facebook')
          .type('form')
          .send({ _csrf: token, aktion: 'loeschen' })
      ).status,
    ).toBe(400);
    expect(
      (await admin.post('/intern/verwaltung/import/ausfuehren').type('form').send({ _csrf: token, token: 'nope' }))
        .status,
    ).toBe(404);
    expect(
      (
        await admin
          .post('/intern/verwaltung/organisationseinheiten/neu')
          .type('form')
          .send(`_csrf=${encodeURIComponent(token)}&name=a&name=b`)
      ).status,
    ).toBe(400);
  });
});
