import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Express } from 'express';
import request from 'supertest';
import { createTestContext, type TestContext } from '../helpers/app';
import { csrfFrom } from '../helpers/http';
import { backendName } from '../helpers/env';
import { createApp } from '../../src/app';
import { buildContainer } from '../../src/container';
import type { Directory } from '../../src/directory/directory';

/**
 * The sign-in limit holds under concurrency: the attempt is counted atomically before the
 * password goes to the directory, so fifty parallel wrong passwords for one account reach
 * the directory at most LOGIN_MAX_PER_ACCOUNT times. The app's directory is the real one;
 * the test only counts how often the sign-in strategy asks it (search + bind of the person).
 */

const MAX_ACCOUNT = 5;
let ctx: TestContext;
let app: Express;
let binds: string[] = [];

beforeAll(async () => {
  ctx = await createTestContext({ LOGIN_MAX_PER_ACCOUNT: String(MAX_ACCOUNT), LOGIN_MAX_PER_ADDRESS: '200', LOGIN_WINDOW_MINUTES: '15' });
  const real = ctx.services.directory;
  const counting: Directory = {
    config: real.config,
    findByUid: (uid) => real.findByUid(uid),
    search: (q, limit) => real.search(q, limit),
    groupMembers: (dn) => real.groupMembers(dn),
    ping: () => real.ping(),
    strategy() {
      const strategy = real.strategy();
      // oxlint-disable-next-line typescript/unbound-method -- called with .call(this) below
      const authenticate = strategy.authenticate;
      strategy.authenticate = function (this: typeof strategy, req, options) {
        binds.push(String((req as { credentials?: { username: string } }).credentials?.username));
        return authenticate.call(this, req, options);
      };
      return strategy;
    },
  };
  app = createApp(ctx.config, buildContainer({ ...ctx.services, directory: counting }));
}, 60_000);
afterAll(() => ctx?.close());

async function signInForm() {
  const form = await request(app).get('/anmelden').expect(200);
  const cookie = ((form.headers['set-cookie'] as unknown as string[]) ?? []).map((c) => c.split(';')[0]).join('; ');
  return { cookie, csrf: csrfFrom(form.text) };
}
const post = (f: { cookie: string; csrf: string }, username: string, password: string) =>
  request(app).post('/anmelden').set('Cookie', f.cookie).type('form').send({ username, password, _csrf: f.csrf });

describe(`sign-in limit under concurrency (${backendName})`, () => {
  it('50 parallel wrong passwords for one account: at most the limit reach the directory, the rest get 429', async () => {
    binds = [];
    const form = await signInForm();
    const answers = await Promise.all(Array.from({ length: 50 }, () => post(form, 'leitung', 'falsch')));
    const statuses = answers.map((r) => r.status);
    expect(binds.filter((u) => u === 'leitung').length).toBeLessThanOrEqual(MAX_ACCOUNT);
    expect(statuses.filter((s) => s === 401).length).toBe(binds.length);
    expect(statuses.filter((s) => s === 429).length).toBe(50 - binds.length);
    expect(statuses.every((s) => s === 401 || s === 429)).toBe(true);
    const blocked = answers.find((r) => r.status === 429);
    expect(Number(blocked?.headers['retry-after'])).toBeGreaterThan(0);
    expect(blocked?.text).toContain('Zu viele fehlgeschlagene Anmeldeversuche');
    // even the right password waits for the window to end…
    expect((await post(form, 'leitung', 'demo')).status).toBe(429);
    // …which is not extended by the attempts: after it, the person signs in
    const start = ctx.clock.now;
    try {
      ctx.clock.advance(15 * 60_000 + 1_000);
      expect((await post(form, 'leitung', 'demo')).status).toBe(303);
    } finally {
      ctx.clock.set(start);
    }
  });

  it('a successful sign-in is not held against the account: the counter starts afresh', async () => {
    const start = ctx.clock.now;
    ctx.clock.advance(2 * 60 * 60_000); // a fresh window
    try {
      const form = await signInForm();
      for (let i = 0; i < MAX_ACCOUNT - 1; i++) expect((await post(form, 'redaktion2', 'falsch')).status).toBe(401);
      expect((await post(form, 'redaktion2', 'demo')).status).toBe(303);
      // mistyped again right after: the full allowance is there again
      const again = await signInForm();
      for (let i = 0; i < MAX_ACCOUNT; i++) expect((await post(again, 'redaktion2', 'falsch')).status).toBe(401);
      expect((await post(again, 'redaktion2', 'demo')).status).toBe(429);
    } finally {
      ctx.clock.set(start);
    }
  });
});
