import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { createSecurityContext, type SecurityContext } from './context';
import { csrfFrom } from '../helpers/http';
import { backendName } from '../helpers/env';

/**
 * Sessions: a fresh id on sign-in (no fixation), sign-out ends the session on the server,
 * the idle timeout holds (SESSION_IDLE_MINUTES=1; the store's `expired` column is the
 * server-side clock of a session, so the test moves it instead of waiting), cookie flags,
 * tampered cookies, and nothing secret in the stored session.
 */

let ctx: SecurityContext;
beforeAll(async () => {
  ctx = await createSecurityContext({ env: { SESSION_IDLE_MINUTES: '1' }, seed: false });
}, 120_000);
afterAll(() => ctx?.close());

const setCookies = (res: request.Response) =>
  ([] as string[]).concat((res.headers['set-cookie'] as unknown as string[] | undefined) ?? []);
const sessionCookie = (res: request.Response) => setCookies(res).find((c) => c.startsWith('smr.sid='));
const pair = (cookie: string | undefined) => cookie?.split(';')[0] as string;
/** The session id inside a signed cookie value `s:<sid>.<signature>`. */
const sidOf = (cookie: string) =>
  decodeURIComponent(pair(cookie).slice('smr.sid='.length))
    .replace(/^s:/, '')
    .replace(/\.[^.]*$/, '');

const formCookie = (res: request.Response) => setCookies(res).find((c) => c.startsWith('smr.anmeldung='));

/** Signs in with plain requests (no cookie jar), so every cookie is under the test's control. */
async function signInRaw(username = 'redaktion', planted?: string) {
  const form = await request(ctx.app).get('/anmelden').expect(200);
  expect(sessionCookie(form), 'the anonymous sign-in page starts no session').toBeUndefined();
  const before = formCookie(form);
  expect(before, 'the sign-in form binds its CSRF token to a short-lived cookie').toBeTruthy();
  const res = await request(ctx.app)
    .post('/anmelden')
    .set('Cookie', [pair(before), ...(planted ? [planted] : [])].join('; '))
    .type('form')
    .send({ username, password: 'demo', _csrf: csrfFrom(form.text) });
  expect(res.status).toBe(303);
  const after = sessionCookie(res);
  expect(after, 'sign-in sets a new cookie').toBeTruthy();
  return { before: before as string, after: after as string };
}
const intern = (cookie: string) => request(ctx.app).get('/intern').set('Cookie', pair(cookie));
const rowOf = (sid: string) => ctx.database.db('sessions').where({ sid }).first();

describe(`sessions (${backendName})`, () => {
  it('fixation: signing in issues a new session id, and a session id presented before sign-in is never adopted', async () => {
    const first = await signInRaw();
    // the cookie of an earlier (here: signed-in) session, presented to a new sign-in
    const { after } = await signInRaw('redaktion2', pair(first.after));
    expect(sidOf(after)).not.toBe(sidOf(first.after));
    expect((await intern(after)).status).toBe(200);
    // the session carried into the sign-in is gone from the store
    expect(await rowOf(sidOf(first.after))).toBeUndefined();
    expect((await intern(first.after)).status).toBe(302);
  });

  it('an id planted by an attacker is never adopted: the cookie after sign-in differs and the planted one stays anonymous', async () => {
    const planted = 'smr.sid=s%3Aattacker-chosen-session-id.invalidsignature';
    const { after } = await signInRaw('redaktion', planted);
    expect(sidOf(after)).not.toBe('attacker-chosen-session-id');
    expect((await intern(planted)).status).toBe(302);
  });

  it('sign-out ends the session on the server: the old cookie no longer works, the row is gone, the cookie is cleared', async () => {
    const { after } = await signInRaw();
    const page = await intern(after).expect(200);
    const sid = sidOf(after);
    expect(await rowOf(sid)).toBeTruthy();
    const out = await request(ctx.app)
      .post('/abmelden')
      .set('Cookie', pair(after))
      .type('form')
      .send({ _csrf: csrfFrom(page.text) });
    expect(out.status).toBe(303);
    expect(out.headers.location).toBe('/anmelden?abgemeldet=1');
    const cleared = sessionCookie(out);
    expect(cleared, 'the cookie is cleared').toMatch(/Expires=Thu, 01 Jan 1970/);
    expect(await rowOf(sid)).toBeUndefined();
    // replaying the old cookie (as a thief would) gets nothing
    expect((await intern(after)).status).toBe(302);
    expect((await request(ctx.app).get('/intern/antraege').set('Cookie', pair(after))).status).toBe(302);
  });

  it('idle timeout: the cookie lives SESSION_IDLE_MINUTES, and the server refuses a session past its expiry', async () => {
    const { after } = await signInRaw();
    const maxAge = /Max-Age=(\d+)/i.exec(after)?.[1];
    const expires = /Expires=([^;]+)/i.exec(after)?.[1];
    if (maxAge) expect(Number(maxAge)).toBe(60);
    expect(expires).toBeTruthy();
    const lifetime = new Date(expires as string).getTime() - Date.now();
    expect(lifetime).toBeGreaterThan(50_000);
    expect(lifetime).toBeLessThanOrEqual(61_000);

    const sid = sidOf(after);
    const row = await rowOf(sid);
    const stored = new Date(row.expired).getTime() - Date.now();
    expect(stored).toBeGreaterThan(50_000);
    expect(stored).toBeLessThanOrEqual(61_000);

    // still active: activity renews the server-side expiry (rolling)
    await ctx.database
      .db('sessions')
      .where({ sid })
      .update({ expired: new Date(Date.now() + 5_000) });
    expect((await intern(after)).status).toBe(200);
    expect(new Date((await rowOf(sid)).expired).getTime() - Date.now()).toBeGreaterThan(50_000);

    // idle for longer than the timeout: the browser still has the cookie (its clock may differ), the server says no
    await ctx.database
      .db('sessions')
      .where({ sid })
      .update({ expired: new Date(Date.now() - 1_000) });
    const res = await intern(after);
    expect(res.status).toBe(302);
    expect(res.headers.location).toMatch(/^\/anmelden\?zurueck=/);
  });

  it('cookie flags: HttpOnly, SameSite=Lax, Path=/, no Domain; not Secure over plain HTTP with COOKIE_SECURE=auto', async () => {
    const { after } = await signInRaw();
    const attrs = after
      .split(';')
      .slice(1)
      .map((a) => a.trim().toLowerCase());
    expect(attrs).toContain('httponly');
    expect(attrs).toContain('samesite=lax');
    expect(attrs).toContain('path=/');
    expect(attrs.some((a) => a.startsWith('domain='))).toBe(false);
    expect(attrs).not.toContain('secure');
    expect(pair(after)).toMatch(/^smr\.sid=s%3A[A-Za-z0-9_-]{24,}\.[A-Za-z0-9%+/=_-]+$/);
  });

  it('Secure behind a TLS-terminating proxy (COOKIE_SECURE=auto, TRUST_PROXY=1) and always with COOKIE_SECURE=true', async () => {
    for (const env of [
      { COOKIE_SECURE: 'auto', TRUST_PROXY: '1' },
      { COOKIE_SECURE: 'true', TRUST_PROXY: '1' },
    ]) {
      const proxied = await createSecurityContext({ env, seed: false });
      try {
        const form = await request(proxied.app).get('/anmelden').set('X-Forwarded-Proto', 'https');
        const cookie = formCookie(form) as string;
        expect(cookie, JSON.stringify(env)).toMatch(/;\s*Secure/i);
        expect(cookie).toMatch(/HttpOnly/i);
        const res = await request(proxied.app)
          .post('/anmelden')
          .set('X-Forwarded-Proto', 'https')
          .set('Cookie', pair(cookie))
          .type('form')
          .send({ username: 'redaktion', password: 'demo', _csrf: csrfFrom(form.text) });
        expect(res.status).toBe(303);
        expect(sessionCookie(res)).toMatch(/;\s*Secure/i);
      } finally {
        await proxied.close();
      }
    }
  }, 120_000);

  it('a tampered or unsigned cookie is anonymous', async () => {
    const { after } = await signInRaw();
    const value = pair(after);
    // change one character of the signature (to a different one: the same one would be no tampering)
    const at = value.length - 3;
    const flipped = value.slice(0, at) + (value[at] === 'A' ? 'B' : 'A') + value.slice(at + 1);
    expect(flipped).not.toBe(value);
    expect((await intern(flipped)).status).toBe(302);
    const unsigned = `smr.sid=${encodeURIComponent(sidOf(after))}`;
    expect((await intern(unsigned)).status).toBe(302);
    const otherSecret = await createSecurityContext({
      env: { SESSION_SECRET: 'another-secret-another-secret-another-0' },
      seed: false,
    });
    try {
      expect((await request(otherSecret.app).get('/intern').set('Cookie', value)).status).toBe(302);
    } finally {
      await otherSecret.close();
    }
  }, 60_000);

  it('the stored session holds the person, never the password or the directory’s raw entry', async () => {
    const { after } = await signInRaw('admin');
    const row = await rowOf(sidOf(after));
    const text = typeof row.sess === 'string' ? row.sess : JSON.stringify(row.sess);
    expect(text).toContain('"uid":"admin"');
    expect(text).not.toMatch(/"password"|userPassword|demo-service|"credentials"/);
    expect(text).not.toContain('"demo"');
  });

  it('public pages never start a session or send a cookie, even to a signed-in browser', async () => {
    const { after } = await signInRaw();
    for (const url of ['/', '/pruefen', '/impressum', '/angebote.json', '/en', '/assets/app.js', '/gibt-es-nicht']) {
      const res = await request(ctx.app).get(url).set('Cookie', pair(after));
      expect(setCookies(res), url).toEqual([]);
    }
  });
});
