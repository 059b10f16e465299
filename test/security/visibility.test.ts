import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionUser } from '../../src/directory/user';
import {
  agentFor,
  contentDigest,
  createSecurityContext,
  presenceFixture,
  submittedRequest,
  PEOPLE,
  ROLE_USERS,
  type Agent,
  type RoleName,
  type SecurityContext,
} from './context';
import { TABLE, loadFixtures, type Fixtures } from './route-table';
import { backendName } from '../helpers/env';

/**
 * No answer reveals a request or presence someone may not see: for every route on one
 * (derived from the router, like the authorisation matrix, so a new route cannot be
 * forgotten), a person who may not see it gets exactly the answer of an id that does not
 * exist — the same status and the same page — whatever the request's state, and whatever
 * the form says (a decision with a bad outcome must not be checked against the request
 * before the visibility is).
 */

let ctx: SecurityContext;
let fixtures: Fixtures;
const MISSING = 999_999_999;
/** People with no access to the requests and presences of unit 41. */
const OUTSIDERS: RoleName[] = ['employee', 'editorOtherUnit', 'unitHeadOtherUnit'];
const agents = new Map<RoleName, { agent: Agent; csrf: string }>();
let requestIds: number[] = [];
let presenceIds: number[] = [];

beforeAll(async () => {
  ctx = await createSecurityContext();
  fixtures = await loadFixtures(ctx);
  for (const role of OUTSIDERS) agents.set(role, await agentFor(ctx.app, ROLE_USERS[role]));
  const db = ctx.database.db;
  // a request in every state the seed has, plus a withdrawn and a rejected one; presences active and closed
  const withdrawn = await submittedRequest(ctx, 'Sichtbarkeit zurückgezogen');
  await ctx.service.act(PEOPLE.redaktion as SessionUser, withdrawn, { type: 'withdraw' }, undefined);
  const inReview = await submittedRequest(ctx, 'Sichtbarkeit in Prüfung');
  const closed = await presenceFixture(ctx, '41.2', ['redaktion', 'redaktion2'], 'Sichtbarkeit geschlossen');
  await db('presences')
    .where({ id: closed })
    .update({ status: 'closed', closed_at: ctx.clock.now, close_reason: 'Test' });
  const byStatus = await db('requests')
    .whereIn('org_unit_id', db('org_units').whereIn('code', ['41', '41.1', '41.2']).select('id'))
    .select('id', 'status');
  requestIds = [
    ...new Set([
      fixtures.reqDraft,
      fixtures.reqReview,
      fixtures.reqReturned,
      withdrawn,
      inReview,
      ...byStatus.map((r) => r.id as number),
    ]),
  ];
  presenceIds = [fixtures.presence41, closed];
}, 180_000);
afterAll(() => ctx?.close());

/** The page as a person reads it, with what differs from one request to the next taken out. */
function normalise(html: string, id: number): string {
  return html
    .replaceAll(`/${id}`, '/ID')
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, 'REQUEST-ID')
    .replace(/name="_csrf" value="[^"]*"/g, 'name="_csrf"');
}

describe(`no answer reveals a request or presence someone may not see (${backendName})`, () => {
  const routesOnIds = () =>
    ctx.routes
      .filter((r) => /^\/intern\/(antraege|angebote)\/:id(\/|$)/.test(r.path))
      .map((r) => `${r.method} ${r.path}`)
      .sort();

  it('finds every route on a request or presence in the router', () => {
    const found = routesOnIds();
    // the discovery works: the routes the issue names are among them
    for (const known of [
      'POST /intern/antraege/:id/entscheidung',
      'POST /intern/antraege/:id/zurueckziehen',
      'POST /intern/antraege/:id/bestaetigen',
      'POST /intern/antraege/:id/bearbeiten',
      'POST /intern/angebote/:id/bestaetigen',
      'POST /intern/angebote/:id/schliessen',
      'POST /intern/angebote/:id/aenderung',
    ]) {
      expect(found).toContain(known);
    }
    expect(requestIds.length).toBeGreaterThanOrEqual(5);
  });

  it('answers an outsider the same for an existing and a missing id, on every route, for every state and form', async () => {
    const before = await contentDigest(ctx);
    const mismatches: string[] = [];
    let compared = 0;
    for (const route of routesOnIds()) {
      const [method, pattern] = route.split(' ') as ['GET' | 'POST', string];
      const ids = pattern.startsWith('/intern/angebote') ? presenceIds : requestIds;
      const tableBody = TABLE.find((r) => r.route === route)?.body?.(fixtures, {}) ?? {};
      // the matrix's valid body, an empty one, and one the form check would refuse
      const bodies =
        method === 'GET'
          ? [{}]
          : [
              tableBody,
              {},
              {
                schritt: 'unit_head',
                entscheidung: 'unsinn',
                kommentar: '',
                grund: '',
                bestaetigung: 'nein',
                aktion: 'suchen',
                editorSuche: 'Lange',
              },
            ];
      for (const role of OUTSIDERS) {
        const { agent, csrf } = agents.get(role) as { agent: Agent; csrf: string };
        const call = (id: number, body: Record<string, string>) => {
          const url = pattern.replace(':id', String(id));
          return method === 'GET'
            ? agent.get(url)
            : agent
                .post(url)
                .type('form')
                .send({ ...body, _csrf: csrf });
        };
        for (const body of bodies) {
          const missing = await call(MISSING, body);
          const expected = { status: missing.status, page: normalise(missing.text, MISSING) };
          expect(missing.status, `${route} ${role} missing id`).toBe(404);
          for (const id of ids) {
            const res = await call(id, body);
            compared++;
            const got = { status: res.status, page: normalise(res.text, id) };
            if (got.status !== expected.status || got.page !== expected.page) {
              mismatches.push(
                `${route} as ${role}, id ${id}, body ${JSON.stringify(body)}: ${got.status} vs ${expected.status}`,
              );
            }
          }
        }
      }
    }
    expect(mismatches).toEqual([]);
    expect(compared).toBeGreaterThan(100);
    // and nothing an outsider sent changed anything
    expect(await contentDigest(ctx)).toBe(before);
  }, 300_000);
});
