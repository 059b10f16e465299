import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { signIn } from '../helpers/http';
import { startPortal, type Portal } from './harness';
import { NOT_PAGES, PAGES } from './pages';
import { appRoutes, type RouteInfo } from './routes';

/** The page list (pages.ts) against the routes the running app really has. */
let portal: Portal;
let routes: RouteInfo[];
beforeAll(async () => {
  portal = await startPortal();
  routes = appRoutes(portal.app);
});
afterAll(() => portal?.close());

describe('the page list covers every route', () => {
  it('finds the routes of the public and of the staff router (the walker sees the whole tree)', () => {
    const all = routes.map((r) => `${r.method} ${r.path}`);
    // public router, staff router behind app.ts' wrapper, routers mounted below /intern
    expect(all).toEqual(
      expect.arrayContaining([
        'GET /',
        'GET /angebote/:slug',
        'GET /anmelden',
        'POST /anmelden',
        'POST /abmelden',
        'GET /intern',
        'GET /intern/antraege/:id',
        'POST /intern/antraege/:id/entscheidung',
        'GET /intern/vertretung',
        'GET /intern/angebote/:id',
        'GET /intern/postausgang',
        'GET /intern/verwaltung',
      ]),
    );
    expect(routes.length).toBeGreaterThan(40);
  });

  it('lists every GET route as a page (checked in German and English) or as not a page', () => {
    const listed = new Set([...PAGES.map((p) => p.route), ...NOT_PAGES.map((p) => p.route)]);
    const missing = routes.filter((r) => r.method === 'GET' && !listed.has(r.path)).map((r) => r.path);
    expect(
      missing,
      'GET routes missing from test/e2e/pages.ts (add them to PAGES, or to NOT_PAGES if they are not HTML)',
    ).toEqual([]);
  });

  it('gives every page a unique name (the name keys the results of axe-core and the Nu Html Checker)', () => {
    const titles = PAGES.map((p) => `${p.name}${p.as ? ` (as ${p.as})` : ''}`);
    expect(titles.filter((n, i) => titles.indexOf(n) !== i)).toEqual([]);
  });

  it('names no route the app does not have', () => {
    const get = new Set(routes.filter((r) => r.method === 'GET').map((r) => r.path));
    const stale = [...PAGES.map((p) => p.route), ...NOT_PAGES.map((p) => p.route)].filter(
      (r) => r !== null && !get.has(r),
    );
    expect(stale, 'entries of test/e2e/pages.ts whose route no longer exists').toEqual([]);
  });

  it('checks every page route in an error state where its page has a form that can fail', () => {
    // a form's error state belongs to the page that shows the form (the POST answer re-renders it);
    // this names the pages whose forms can fail validation, so none loses its error-state entry
    const withErrorState = new Set(PAGES.filter((p) => p.errorState).map((p) => p.route));
    const expected = [
      '/anmelden',
      '/intern/antraege/neu',
      '/intern/antraege/:id',
      '/intern/antraege/:id/bearbeiten',
      '/intern/vertretung',
      '/intern/angebote/:id',
      '/intern/angebote/:id/aenderung',
      '/intern/verwaltung/organisationseinheiten/neu',
      '/intern/verwaltung/organisationseinheiten/:id',
      '/intern/verwaltung/organisationseinheiten/import',
      '/intern/verwaltung/plattformen/:key',
      '/intern/verwaltung/ablaeufe/neu',
      '/intern/verwaltung/import',
      '/intern/verwaltung/verlauf',
      '/pruefen',
      '/',
    ];
    expect(
      expected.filter((r) => !withErrorState.has(r)),
      'pages whose form is never checked in its error state',
    ).toEqual([]);
  });
});

describe('routes that are not pages', () => {
  it.each(NOT_PAGES.map((p) => [p.path, p] as const))(
    '%s answers what the list says, not HTML',
    async (_path, spec) => {
      const agent = spec.as ? await signIn(portal.app, spec.as) : request.agent(portal.app);
      const res = await agent.get(spec.path);
      if (spec.type === 'redirect') {
        expect([301, 302, 303, 307, 308]).toContain(res.status);
      } else {
        expect(res.status).toBe(200);
        expect(String(res.headers['content-type'])).toMatch(spec.type);
      }
      expect(String(res.headers['content-type'] ?? '')).not.toMatch(/^text\/html/);
    },
  );
});
