import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { createTestContext, type TestContext } from '../helpers/app';
import { PRESENCES, seedRegister } from './fixtures';

/**
 * Public responses set no cookie and load nothing from another host. Links that leave
 * the site (the presences themselves, Hannover.de pages) are the point of the register:
 * they are allowed, but only as plain links to the register's own data, with
 * rel="noopener noreferrer".
 */
let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
  await seedRegister(ctx.database.db);
});
afterAll(() => ctx.close());

const PAGES = [
  '/',
  '/en',
  '/?q=Museum',
  '/?plattform=facebook&bereich=41',
  '/?seite=abc',
  '/?seite=9',
  '/angebote/sprengel-museum-facebook',
  '/angebote/altes-stadtgruen-facebook',
  '/en/angebote/buehne-facebook',
  '/angebote/gibt-es-nicht',
  '/pruefen',
  '/pruefen?url=facebook.com/hannover.de',
  '/pruefen?url=facebook.com/altesstadtgruen',
  '/pruefen?url=faceb00k.com/hannover.de',
  '/pruefen?url=kein%20Link',
  '/en/pruefen?url=facebook.com/hannover.de',
  '/einbetten',
  '/impressum',
];
const DATA = [
  '/angebote.json',
  '/angebote.csv',
  '/angebote.atom',
  '/en/angebote.atom',
  '/api/openapi.json',
  '/pruefen.json?url=facebook.com/hannover.de',
  '/pruefen.json?url=nichts',
];

/** Addresses the register itself published (and may therefore link to). */
const allowedExternal = () => {
  const urls = new Set<string>(['https://www.facebook.com/hannover.de', 'https://www.hannover.de/']);
  for (const p of PRESENCES) {
    urls.add(p.url);
    urls.add(`https://www.hannover.de/${p.slug}`);
  }
  for (const u of ['https://www.hannover.de/Kultur-Freizeit', 'https://www.hannover.de/Museen']) urls.add(u);
  return urls;
};

describe('public responses', () => {
  it.each([...PAGES, ...DATA])('%s sets no cookie', async (path) => {
    const res = await request(ctx.app).get(path);
    expect(res.status).toBeLessThan(500);
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it.each(PAGES)('%s loads nothing from another host and has no inline script or style', async (path) => {
    const res = await request(ctx.app).get(path);
    const html = res.text;
    const csp = res.headers['content-security-policy'] as string;
    expect(csp).toContain("default-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    // everything that is loaded: scripts, style sheets, images, frames, objects, form targets
    const loaded = [
      ...[
        ...html.matchAll(/<(?:script|img|iframe|frame|embed|source|audio|video|track|input)\b[^>]*\ssrc="([^"]*)"/gi),
      ].map((m) => m[1]),
      ...[...html.matchAll(/<link\b[^>]*\shref="([^"]*)"/gi)].map((m) => m[1]),
      ...[...html.matchAll(/<object\b[^>]*\sdata="([^"]*)"/gi)].map((m) => m[1]),
      ...[...html.matchAll(/\ssrcset="([^"]*)"/gi)].map((m) => m[1]),
      ...[...html.matchAll(/<form\b[^>]*\saction="([^"]*)"/gi)].map((m) => m[1]),
      ...[...html.matchAll(/url\(([^)]*)\)/gi)].map((m) => m[1]),
    ] as string[];
    for (const ref of loaded) expect(ref, `${path}: ${ref}`).toMatch(/^\/(?!\/)/);
    expect(html).not.toMatch(/<script(?![^>]*\ssrc="\/assets\/app\.js")/i);
    expect(html).not.toMatch(/<style/i);
    expect(html).not.toMatch(/<[a-z][^>]*\sstyle=/i);
    expect(html).not.toMatch(/<[a-z][^>]*\son[a-z]+=/i);
    expect(html).not.toMatch(/http-equiv="refresh"/i);
  });

  it.each(PAGES.filter((p) => p !== '/einbetten'))(
    '%s links to other hosts only with rel="noopener noreferrer" and only to register data',
    async (path) => {
      const res = await request(ctx.app).get(path);
      const allowed = allowedExternal();
      for (const m of res.text.matchAll(/<a\b([^>]*)>/gi)) {
        const attrs = m[1] as string;
        const href = /\shref="([^"]*)"/.exec(attrs)?.[1] ?? '';
        if (/^(?:\/(?!\/)|#|mailto:)/.test(href)) continue;
        expect(allowed.has(href.replace(/&amp;/g, '&')), `${path}: ${href}`).toBe(true);
        expect(attrs).toContain('rel="noopener noreferrer"');
      }
    },
  );

  it.each(DATA)('%s is data that a browser never runs as a page', async (path) => {
    // the data carries editors' text verbatim (that is its job); the headers keep a
    // browser from treating it as HTML
    const res = await request(ctx.app).get(path);
    expect(res.headers['content-type']).toMatch(/^(application\/(json|atom\+xml)|text\/csv);/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });
});
