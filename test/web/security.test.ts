import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { createTestContext, type TestContext } from '../helpers/app';
import { csrfFrom, signIn } from '../helpers/http';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

const PUBLIC_PAGES = [
  '/',
  '/en',
  '/impressum',
  '/datenschutz',
  '/barrierefreiheit',
  '/en/impressum',
  '/en/datenschutz',
  '/en/barrierefreiheit',
  '/gibt-es-nicht',
];

describe('public pages', () => {
  it.each(PUBLIC_PAGES)('%s sets no cookie and sends a strict CSP', async (path) => {
    const res = await request(ctx.app).get(path);
    expect([200, 404]).toContain(res.status);
    expect(res.headers['set-cookie']).toBeUndefined();
    const csp = res.headers['content-security-policy'] as string;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("img-src 'self' data:");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).not.toMatch(/https?:\/\//);
  });

  it.each(PUBLIC_PAGES.filter((p) => p !== '/gibt-es-nicht'))('%s loads nothing from another host', async (path) => {
    const res = await request(ctx.app).get(path).expect(200);
    // what a browser fetches by itself: scripts, images, stylesheets, icons, frames, forms
    const loads = [
      ...[...res.text.matchAll(/\ssrc="([^"]+)"/g)].map((m) => m[1] as string),
      ...[...res.text.matchAll(/<link\b[^>]*\shref="([^"]+)"/g)].map((m) => m[1] as string),
      ...[...res.text.matchAll(/<form\b[^>]*\saction="([^"]+)"/g)].map((m) => m[1] as string),
    ];
    expect(loads.length).toBeGreaterThanOrEqual(3);
    for (const ref of loads) expect(ref.startsWith('/') && !ref.startsWith('//'), ref).toBe(true);
    // links that leave the city's site say so and leak no referrer
    for (const a of res.text.matchAll(/<a\b[^>]*href="https?:\/\/[^"]*"[^>]*>/g)) expect(a[0]).toContain('noreferrer');
  });

  it('serves KERN UX and its fonts from the portal itself', async () => {
    await request(ctx.app).get('/assets/kern/kern.min.css').expect(200).expect('Content-Type', /css/);
    const fonts = await request(ctx.app).get('/assets/kern/fonts/fira-sans.css').expect(200);
    expect(fonts.text).not.toMatch(/url\((["']?)https?:/);
  });

  it('does not follow the upgrade-insecure-requests default unless configured', async () => {
    const res = await request(ctx.app).get('/');
    expect(res.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
    const strict = await createTestContext({ CSP_UPGRADE_INSECURE_REQUESTS: 'true' });
    try {
      const r = await request(strict.app).get('/');
      expect(r.headers['content-security-policy']).toContain('upgrade-insecure-requests');
    } finally {
      await strict.close();
    }
  });

  it('shows German by default and English under /en, with a switch to the other language', async () => {
    const de = await request(ctx.app).get('/impressum').expect(200);
    expect(de.text).toContain('<html lang="de">');
    expect(de.text).toContain('href="/en/impressum"');
    const en = await request(ctx.app).get('/en/impressum').expect(200);
    expect(en.text).toContain('<html lang="en">');
    expect(en.text).toContain('<h1 class="kern-heading-large">Imprint</h1>');
    expect(en.text).toContain('href="/impressum"');
  });
});

describe('framing and browser features', () => {
  const expectHardened = (res: request.Response, path: string) => {
    // the older header says the same as CSP frame-ancestors 'none'
    expect(res.headers['x-frame-options'], path).toBe('DENY');
    expect(res.headers['content-security-policy'], path).toContain("frame-ancestors 'none'");
    const policy = String(res.headers['permissions-policy'] ?? '');
    for (const feature of ['camera', 'microphone', 'geolocation', 'payment', 'usb'])
      expect(policy, path).toContain(`${feature}=()`);
  };

  it('denies framing and powerful features on public pages, the embed fragment and assets', async () => {
    for (const path of [
      '/',
      '/en/impressum',
      '/einbetten',
      '/angebote.json',
      '/assets/kern/kern.min.css',
      '/gibt-es-nicht',
    ]) {
      expectHardened(await request(ctx.app).get(path), path);
    }
  });

  it('denies them on the sign-in page and on staff pages', async () => {
    expectHardened(await request(ctx.app).get('/anmelden'), '/anmelden');
    const agent = await signIn(ctx.app, 'redaktion');
    for (const path of ['/intern', '/intern/antraege/neu']) expectHardened(await agent.get(path).expect(200), path);
  });
});

describe('error pages', () => {
  it('answers an unknown address with a friendly 404 in the layout, in both languages', async () => {
    const nf = await request(ctx.app).get('/nichts-hier').expect(404);
    expect(nf.text).toContain('Seite nicht gefunden');
    expect(nf.text).toContain('id="inhalt"');
    const en = await request(ctx.app).get('/en/nothing-here').expect(404);
    expect(en.text).toContain('Page not found');
  });

  it('never turns an address with doubled slashes into a language link to another site', async () => {
    for (const path of ['/en//evil.example/x', '//evil.example/x', '/en/\\evil.example/x', '/\\/evil.example']) {
      const res = await request(ctx.app).get(path);
      expect(res.status, path).toBe(404);
      const links = [...res.text.matchAll(/href="([^"]*)"/g)].map((m) => m[1] ?? '');
      expect(
        links.filter((h) => /^(\/\/|\/\\|\\)/.test(h)),
        path,
      ).toEqual([]);
    }
  });

  it('answers a malformed asset path with the normal error page in the layout', async () => {
    const res = await request(ctx.app).get('/assets/%00').expect(400);
    expect(res.text).toContain('id="inhalt"');
    expect(res.text).toContain('<html lang="de">');
    const en = await request(ctx.app).get('/en/assets/%00');
    expect([400, 404]).toContain(en.status);
    expect(en.text).toContain('id="inhalt"');
  });

  it('never shows a stack trace, even for a missing asset', async () => {
    const res = await request(ctx.app).get('/assets/nope.css').expect(404);
    expect(res.text).not.toMatch(/at [\w.]+ \(|node_modules|Error:/);
  });
});

describe('CSRF protection', () => {
  it('refuses a sign-in form without a token with a friendly 403', async () => {
    const agent = request.agent(ctx.app);
    await agent.get('/anmelden').expect(200);
    const res = await agent.post('/anmelden').type('form').send({ username: 'redaktion', password: 'demo' });
    expect(res.status).toBe(403);
    expect(res.text).toContain('Das Formular ist abgelaufen');
    expect((await agent.get('/intern')).status).toBe(302);
  });

  it('refuses a wrong token', async () => {
    const agent = request.agent(ctx.app);
    await agent.get('/anmelden').expect(200);
    const res = await agent
      .post('/anmelden')
      .type('form')
      .send({ username: 'redaktion', password: 'demo', _csrf: 'falsch' });
    expect(res.status).toBe(403);
  });

  it('refuses sign-out without a token and keeps the session', async () => {
    const agent = await signIn(ctx.app, 'redaktion');
    expect((await agent.post('/abmelden').type('form').send({})).status).toBe(403);
    await agent.get('/intern').expect(200);
  });

  it('refuses a token from another session', async () => {
    const other = request.agent(ctx.app);
    const token = csrfFrom((await other.get('/anmelden')).text);
    const agent = request.agent(ctx.app);
    await agent.get('/anmelden');
    const res = await agent
      .post('/anmelden')
      .type('form')
      .send({ username: 'redaktion', password: 'demo', _csrf: token });
    expect(res.status).toBe(403);
  });
});

describe('session cookie', () => {
  it('is httpOnly, SameSite=Lax and expires after the idle timeout (set on sign-in; the anonymous form stores no session)', async () => {
    const form = await request(ctx.app).get('/anmelden').expect(200);
    const formCookies = form.headers['set-cookie'] as unknown as string[];
    expect(formCookies.some((c) => c.startsWith('smr.sid='))).toBe(false);
    const res = await request(ctx.app)
      .post('/anmelden')
      .set('Cookie', formCookies.map((c) => c.split(';')[0]).join('; '))
      .type('form')
      .send({ username: 'redaktion', password: 'demo', _csrf: csrfFrom(form.text) })
      .expect(303);
    const cookie = (res.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('smr.sid=')) as string;
    expect(cookie).toMatch(/^smr\.sid=/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    const expires = new Date(/Expires=([^;]+)/.exec(cookie)?.[1] ?? '').getTime();
    expect(expires - Date.now()).toBeGreaterThan(29 * 60_000);
    expect(expires - Date.now()).toBeLessThanOrEqual(30 * 60_000 + 1000);
  });

  it('is Secure behind an HTTPS proxy', async () => {
    const behindProxy = await createTestContext({ TRUST_PROXY: '1', COOKIE_SECURE: 'auto' });
    try {
      const res = await request(behindProxy.app).get('/anmelden').set('X-Forwarded-Proto', 'https').expect(200);
      expect((res.headers['set-cookie'] as unknown as string[])[0]).toContain('Secure');
    } finally {
      await behindProxy.close();
    }
  });
});

describe('demo directory banner', () => {
  it('is on the sign-in page and every staff page when the demo directory is active', async () => {
    const page = await request(ctx.app).get('/anmelden').expect(200);
    if (ctx.directory.kind === 'demo') {
      expect(page.text).toContain('Demo-Verzeichnis aktiv');
      expect(page.text).toContain('<code>leitung</code>');
    } else {
      expect(page.text).not.toContain('Demo-Verzeichnis aktiv');
    }
    const pub = await request(ctx.app).get('/').expect(200);
    expect(pub.text).not.toContain('Demo-Verzeichnis aktiv');
  });
});
