import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import {
  agentFor,
  createSecurityContext,
  ROLES,
  ROLE_USERS,
  type Agent,
  type RoleName,
  type SecurityContext,
} from './context';
import {
  CANNOT_SEE_41,
  MATRIX_UNITS,
  MATRIX_VIEWERS,
  TABLE,
  loadFixtures,
  methodOf,
  type Fixtures,
  type Row,
} from './route-table';
import { selfViewer } from '../../src/policy/viewer';
import { backendName } from '../helpers/env';

/**
 * The authorisation matrix (route-table.ts) against the real app: every route × eleven
 * roles, each role a real person of the (extended) demo directory signed in through the
 * sign-in form. POSTs carry the agent's valid CSRF token, so what is tested is the
 * authorisation behind it.
 */

let ctx: SecurityContext;
let fixtures: Fixtures;
const agents = new Map<RoleName, { agent: Agent; csrf: string }>();

beforeAll(async () => {
  ctx = await createSecurityContext();
  fixtures = await loadFixtures(ctx);
  for (const role of ROLES) agents.set(role, await agentFor(ctx.app, ROLE_USERS[role]));
}, 180_000);
afterAll(() => ctx?.close());

const label = (row: Row) => `${row.route}${row.variant ? ` [${row.variant}]` : ''}`;

async function call(row: Row, role: RoleName) {
  const fresh = row.fresh ? await row.fresh(ctx, fixtures) : {};
  const { agent, csrf } = row.ownAgent
    ? await agentFor(ctx.app, ROLE_USERS[role])
    : (agents.get(role) as { agent: Agent; csrf: string });
  const url = row.url(fixtures, fresh);
  const res =
    methodOf(row) === 'GET'
      ? await agent.get(url)
      : await agent
          .post(url)
          .type('form')
          .send({ ...row.body?.(fixtures, fresh), _csrf: csrf });
  return res;
}

describe(`authorisation matrix (${backendName})`, () => {
  it('has a row for every route of the app, and no row for a route that does not exist', () => {
    const registered = new Set(ctx.routes.map((r) => `${r.method} ${r.path}`));
    const inTable = new Set(TABLE.map((r) => r.route));
    const missing = [...registered].filter((k) => !inTable.has(k)).sort();
    const stale = [...inTable].filter((k) => !registered.has(k)).sort();
    expect({ missing, stale }).toEqual({ missing: [], stale: [] });
    // the discovery itself found both the public router and the staff router behind its gate
    expect(registered.has('GET /')).toBe(true);
    expect(registered.has('GET /intern/antraege/:id')).toBe(true);
  });

  it('every role signed in as the person it stands for', async () => {
    for (const role of ROLES) {
      const res = await (agents.get(role) as { agent: Agent }).agent.get('/intern');
      expect(res.status, role).toBe(role === 'anonymous' ? 302 : 200);
    }
  });

  it('the matrix takes who may see unit 41 from the policy, with each role the person the app knows', async () => {
    for (const role of ROLES) {
      if (role === 'anonymous') continue;
      const facts = MATRIX_VIEWERS[role];
      expect(facts.uid, role).toBe(ROLE_USERS[role]);
      const person = await ctx.directory.findByUid(facts.uid);
      expect(person, role).toBeDefined();
      const viewer = await selfViewer(ctx.database.db, person!);
      expect([...viewer.roles].sort(), role).toEqual([...facts.roles].sort());
      expect(
        MATRIX_UNITS.filter((u) => viewer.headOf.includes(u)),
        role,
      ).toEqual(MATRIX_UNITS.filter((u) => facts.headOf.includes(u)));
    }
    // and the policy's answer is not empty either way
    expect(CANNOT_SEE_41.length).toBeGreaterThan(0);
    expect(CANNOT_SEE_41).not.toContain('editor');
  });

  for (const row of TABLE) {
    it(label(row), async () => {
      const got = {} as Record<RoleName, number>;
      for (const role of ROLES) {
        const res = await call(row, role);
        got[role] = res.status;
        // never a server error, never a stack trace, whoever asks
        expect(res.status, `${role}: ${res.text?.slice(0, 500)}`).toBeLessThan(500);
        expect(res.text ?? '').not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/);
        if (role === 'anonymous' && res.status === 302 && row.route.includes(' /intern')) {
          // anonymous visitors are sent to sign in, and come back where they wanted to go
          expect(res.headers.location).toMatch(/^\/anmelden\?zurueck=%2Fintern/);
        }
        if (row.route === 'GET /anmelden' && role !== 'anonymous') expect(res.headers.location).toBe('/intern');
        if (!row.route.includes(' /intern') && !row.route.includes(' /anmelden') && !row.route.includes(' /abmelden')) {
          // public pages: no cookie for anybody, signed in or not
          expect(res.headers['set-cookie'], `${role} got a cookie on ${row.route}`).toBeUndefined();
        }
      }
      expect(got).toEqual(row.expect);
    });
  }

  it('the English prefix leads to the same decision (sample: anonymous, employee, admin on every GET)', async () => {
    for (const row of TABLE.filter((r) => methodOf(r) === 'GET' && !r.fresh && r.route.includes(' /intern'))) {
      for (const role of ['anonymous', 'employee', 'admin'] as RoleName[]) {
        const { agent } = agents.get(role) as { agent: Agent };
        const res = await agent.get(`/en${row.url(fixtures, {})}`);
        expect(res.status, `${role} /en${row.url(fixtures, {})}`).toBe(row.expect[role]);
        if (res.status === 302) expect(res.headers.location).toMatch(/^\/en\/anmelden\?zurueck=%2Fen%2Fintern/);
      }
    }
  });

  it('unknown ids and malformed ids are 404 for those who may use the route, never 500', async () => {
    const { agent } = agents.get('admin') as { agent: Agent };
    for (const url of [
      '/intern/antraege/999999',
      '/intern/antraege/0',
      '/intern/antraege/abc',
      '/intern/antraege/1e3',
      '/intern/antraege/99999999999999999999',
      '/intern/angebote/999999',
      '/intern/angebote/-1',
      '/intern/verwaltung/organisationseinheiten/999999',
      '/intern/verwaltung/plattformen/unbekannt',
      '/intern/verwaltung/ablaeufe/999999',
      '/intern/verwaltung/register/999999/nachweis',
      '/angebote/gibt-es-nicht-facebook',
    ]) {
      const res = await agent.get(url);
      expect(res.status, url).toBe(404);
    }
  });

  it('a request to the app without any cookie at all behaves like anonymous', async () => {
    const res = await request(ctx.app).get(`/intern/antraege/${fixtures.reqReview}`);
    expect(res.status).toBe(302);
  });
});
