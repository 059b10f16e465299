import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { createTestContext, type TestContext } from '../helpers/app';
import { csrfFrom } from '../helpers/http';
import { backendName } from '../helpers/env';

/**
 * Anonymous visitors leave no state: the sign-in form protects itself with a signed
 * double-submit token instead of a stored session, and the staff area redirects anonymous
 * requests without creating one. Nobody can grow the sessions table by loading pages.
 */

let ctx: TestContext;
let server: http.Server;
let base: string;
beforeAll(async () => {
  ctx = await createTestContext();
  server = http.createServer(ctx.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 60_000);
afterAll(async () => {
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  await ctx?.close();
});

const sessionRows = async () => Number((await ctx.database.db('sessions').count({ n: '*' }).first())?.n);
const cookiesOf = (res: request.Response) =>
  ([] as string[]).concat((res.headers['set-cookie'] as unknown as string[] | undefined) ?? []);
const pairs = (res: request.Response) =>
  cookiesOf(res)
    .map((c) => c.split(';')[0])
    .join('; ');

/** GETs `paths` `total` times over a few keep-alive connections; the statuses seen, with counts. */
async function hammer(paths: string[], total: number, parallel = 8) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: parallel });
  const statuses: Record<string, number> = {};
  let sessionCookies = 0;
  let next = 0;
  const worker = async () => {
    while (next < total) {
      const path = paths[next++ % paths.length] as string;
      await new Promise<void>((resolve, reject) => {
        http
          .get(`${base}${path}`, { agent }, (res) => {
            const key = `${path} ${res.statusCode}`;
            statuses[key] = (statuses[key] ?? 0) + 1;
            if ((res.headers['set-cookie'] ?? []).some((c) => c.startsWith('smr.sid='))) sessionCookies++;
            res.resume();
            res.on('end', resolve);
          })
          .on('error', reject);
      });
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  agent.destroy();
  return { statuses, sessionCookies };
}

describe(`anonymous visitors store nothing (${backendName})`, () => {
  it('5,000 anonymous GETs of /anmelden and /intern leave the sessions table unchanged', async () => {
    const before = await sessionRows();
    const { statuses, sessionCookies } = await hammer(
      ['/anmelden', '/intern', '/intern/antraege?seite=2', '/en/anmelden', '/en/intern'],
      5_000,
    );
    expect(statuses).toEqual({
      '/anmelden 200': 1_000,
      '/intern 302': 1_000,
      '/intern/antraege?seite=2 302': 1_000,
      '/en/anmelden 200': 1_000,
      '/en/intern 302': 1_000,
    });
    expect(sessionCookies).toBe(0);
    expect(await sessionRows()).toBe(before);
  }, 120_000);

  it('the redirect carries the way back in the query string; the sign-in form (signed token) leads there and only then stores a session', async () => {
    const before = await sessionRows();
    const redirect = await request(ctx.app).get('/intern/antraege?seite=2').expect(302);
    expect(redirect.headers.location).toBe('/anmelden?zurueck=%2Fintern%2Fantraege%3Fseite%3D2');
    expect(cookiesOf(redirect)).toEqual([]);
    const form = await request(ctx.app)
      .get(redirect.headers.location as string)
      .expect(200);
    expect(form.text).toContain('name="zurueck" value="/intern/antraege?seite=2"');
    expect(cookiesOf(form).some((c) => c.startsWith('smr.sid='))).toBe(false);
    const wrong = await request(ctx.app)
      .post('/anmelden')
      .set('Cookie', pairs(form))
      .type('form')
      .send({
        username: 'redaktion',
        password: 'falsch',
        _csrf: csrfFrom(form.text),
        zurueck: '/intern/antraege?seite=2',
      });
    expect(wrong.status).toBe(401);
    expect(cookiesOf(wrong).some((c) => c.startsWith('smr.sid='))).toBe(false);
    expect(await sessionRows()).toBe(before);
    const res = await request(ctx.app)
      .post('/anmelden')
      .set('Cookie', pairs(form))
      .type('form')
      .send({
        username: 'redaktion',
        password: 'demo',
        _csrf: csrfFrom(wrong.text),
        zurueck: '/intern/antraege?seite=2',
      });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/intern/antraege?seite=2');
    expect(await sessionRows()).toBe(before + 1);
    // the sign-in cookie is cleared; from now on forms carry the session-bound token
    expect(cookiesOf(res).some((c) => c.startsWith('smr.anmeldung=;'))).toBe(true);
  });

  it('the sign-in token only works with the cookie of the browser it was issued to, and not for ever', async () => {
    const mine = await request(ctx.app).get('/anmelden').expect(200);
    const theirs = await request(ctx.app).get('/anmelden').expect(200);
    const send = (cookie: string, token: string) =>
      request(ctx.app)
        .post('/anmelden')
        .set('Cookie', cookie)
        .type('form')
        .send({ username: 'redaktion', password: 'demo', _csrf: token });
    expect((await send(pairs(mine), csrfFrom(theirs.text))).status, 'token of another browser').toBe(403);
    expect((await send('', csrfFrom(mine.text))).status, 'without the cookie').toBe(403);
    const [nonce, issued] = csrfFrom(mine.text).split('.');
    expect((await send(pairs(mine), `${nonce}.${issued}.${'A'.repeat(43)}`)).status, 'forged signature').toBe(403);
    const start = ctx.clock.now;
    try {
      ctx.clock.advance(3 * 60 * 60_000);
      expect((await send(pairs(mine), csrfFrom(mine.text))).status, 'three hours later').toBe(403);
    } finally {
      ctx.clock.set(start);
    }
    expect((await send(pairs(mine), csrfFrom(mine.text))).status, 'the genuine pair').toBe(303);
  });
});
