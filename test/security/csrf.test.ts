import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  agentFor,
  contentDigest,
  createSecurityContext,
  ROLES,
  ROLE_USERS,
  tableCounts,
  type RoleName,
  type SecurityContext,
} from './context';
import { TABLE, loadFixtures, methodOf, type Fixtures, type Row } from './route-table';
import { backendName } from '../helpers/env';

/**
 * Every state-changing route (every POST the router has — the matrix guarantees the table
 * lists them all) refuses a missing or wrong CSRF token with 403, as the very person who
 * may use it, and changes nothing.
 */

let ctx: SecurityContext;
let fixtures: Fixtures;
beforeAll(async () => {
  ctx = await createSecurityContext();
  fixtures = await loadFixtures(ctx);
}, 180_000);
afterAll(() => ctx?.close());

/** The person who may use the route (the first role the matrix allows), else the administrator. */
function actorOf(row: Row): RoleName {
  return ROLES.find((r) => r !== 'anonymous' && row.expect[r] < 400) ?? 'admin';
}

const posts = TABLE.filter((r) => methodOf(r) === 'POST');

describe(`CSRF (${backendName})`, () => {
  it('covers every POST route of the app', () => {
    const registered = ctx.routes.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`);
    expect(registered.length).toBeGreaterThan(0);
    for (const route of registered)
      expect(
        posts.map((r) => r.route),
        route,
      ).toContain(route);
  });

  for (const row of posts) {
    it(`${row.route}${row.variant ? ` [${row.variant}]` : ''}: missing, wrong, foreign, query-string and header tokens are refused; nothing changes`, async () => {
      const role = actorOf(row);
      const fresh = row.fresh ? await row.fresh(ctx, fixtures) : {};
      const { agent, csrf } = await agentFor(ctx.app, ROLE_USERS[role]);
      const other = await agentFor(ctx.app, ROLE_USERS[role]);
      const url = row.url(fixtures, fresh);
      const body = row.body?.(fixtures, fresh) ?? {};
      const counts = await tableCounts(ctx);
      const digest = await contentDigest(ctx);

      const attempts: Array<[string, () => Promise<{ status: number; text: string }>]> = [
        ['missing', () => agent.post(url).type('form').send(body)],
        [
          'empty',
          () =>
            agent
              .post(url)
              .type('form')
              .send({ ...body, _csrf: '' }),
        ],
        [
          'wrong',
          () =>
            agent
              .post(url)
              .type('form')
              .send({ ...body, _csrf: 'x'.repeat(csrf.length) }),
        ],
        [
          'token of another session',
          () =>
            agent
              .post(url)
              .type('form')
              .send({ ...body, _csrf: other.csrf }),
        ],
        [
          'twice (array)',
          () =>
            agent
              .post(url)
              .type('form')
              .send(`${new URLSearchParams({ ...body, _csrf: csrf })}&_csrf=${encodeURIComponent(csrf)}`),
        ],
        [
          'in the query string',
          () =>
            agent
              .post(`${url}${url.includes('?') ? '&' : '?'}_csrf=${encodeURIComponent(csrf)}`)
              .type('form')
              .send(body),
        ],
        [
          'in a header',
          () => agent.post(url).set('x-csrf-token', csrf).set('csrf-token', csrf).type('form').send(body),
        ],
        [
          'as JSON',
          () =>
            agent
              .post(url)
              .type('json')
              .send({ ...body, _csrf: csrf }),
        ],
      ];
      for (const [name, attempt] of attempts) {
        const res = await attempt();
        expect(res.status, `${name} (${role})`).toBe(403);
        expect(res.text, name).toContain('<html');
        expect(res.text).not.toMatch(/\n\s+at .+:\d+:\d+/);
      }
      expect(await tableCounts(ctx)).toEqual(counts);
      expect(await contentDigest(ctx)).toBe(digest);
      // still signed in (a refused sign-out must not sign out either)
      if (ROLE_USERS[role]) expect((await agent.get('/intern')).status).toBe(200);

      // the same request with the valid token does change data: the refusals above were for the token
      if (row.effect) {
        const effectBody = row.effect === true ? body : row.effect(fixtures, fresh);
        const res = await agent
          .post(url)
          .type('form')
          .send({ ...effectBody, _csrf: csrf });
        expect(res.status, res.text.slice(0, 800)).toBeLessThan(400);
        const changed =
          JSON.stringify(await tableCounts(ctx)) !== JSON.stringify(counts) || (await contentDigest(ctx)) !== digest;
        expect(changed, 'a valid request should have changed something').toBe(true);
      }
    });
  }

  it('a refused sign-in with valid credentials signs nobody in', async () => {
    const { agent } = await agentFor(ctx.app, undefined);
    const res = await agent.post('/anmelden').type('form').send({ username: 'admin', password: 'demo' });
    expect(res.status).toBe(403);
    expect((await agent.get('/intern')).status).toBe(302);
  });

  it('the token is bound to the session: after sign-in the pre-sign-in token no longer works', async () => {
    const { agent, csrf: before } = await agentFor(ctx.app, undefined);
    const form = await agent.get('/anmelden');
    const token = /name="_csrf" value="([^"]+)"/.exec(form.text)?.[1] as string;
    expect(
      (await agent.post('/anmelden').type('form').send({ username: 'redaktion', password: 'demo', _csrf: token }))
        .status,
    ).toBe(303);
    const res = await agent
      .post('/intern/vertretung')
      .type('form')
      .send({ vertretung: 'redaktion2', von: '2099-03-01', bis: '2099-03-02', _csrf: before });
    expect(res.status).toBe(403);
  });
});
