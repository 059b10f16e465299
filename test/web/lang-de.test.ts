import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { createTestContext, type TestContext } from '../helpers/app';
import { signIn } from '../helpers/http';
import { seedDemo } from '../../src/demo/seed';

/**
 * German text on English pages is marked lang="de" (issue 17, WCAG 3.1.2): names of units
 * and presences, descriptions and comments typed by staff stay German on /en pages, and a
 * screen reader must pronounce them as German. German pages carry no redundant lang="de".
 * Checked on the demo data, as a visitor and as the demo editor would see it.
 */
let ctx: TestContext;
let editor: Awaited<ReturnType<typeof signIn>>;
let returnedId: number;

beforeAll(async () => {
  ctx = await createTestContext();
  await seedDemo(ctx.database.db, ctx.services.directory, ctx.services.clock, 'http://portal.test');
  editor = await signIn(ctx.app, 'redaktion');
  returnedId = (await ctx.database.db('requests').where({ title: 'Musikschule Hannover' }).first('id')).id;
});
afterAll(() => ctx.close());

const VOID = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'source',
  'track',
  'wbr',
]);
const decode = (s: string) =>
  s
    .replace(/&#(\d+);/g, (_m, n: string) => String.fromCharCode(Number(n)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** The text of <main> in pieces, each with the language it is in (nearest lang attribute). */
function textWithLanguage(html: string): Array<{ text: string; lang: string }> {
  const start = html.indexOf('<main');
  const end = html.indexOf('</main>');
  expect(start, 'page has a <main>').toBeGreaterThan(0);
  const pageLang = /<html lang="([a-z]+)"/.exec(html)?.[1] ?? '';
  const stack: Array<{ name: string; lang: string }> = [{ name: 'main', lang: pageLang }];
  const out: Array<{ text: string; lang: string }> = [];
  const tag = /<(\/?)([a-zA-Z][\w-]*)([^>]*)>/g;
  const body = html.slice(html.indexOf('>', start) + 1, end);
  let last = 0;
  for (let m = tag.exec(body); m; m = tag.exec(body)) {
    const text = decode(body.slice(last, m.index));
    if (text.trim()) out.push({ text, lang: stack.at(-1)!.lang });
    last = tag.lastIndex;
    const [, closing, name, attrs] = m as unknown as [string, string, string, string];
    const n = name.toLowerCase();
    if (closing) {
      const i = stack.map((s) => s.name).lastIndexOf(n);
      if (i > 0) stack.length = i;
    } else if (!VOID.has(n) && !attrs.trimEnd().endsWith('/')) {
      stack.push({ name: n, lang: /\slang="([a-z-]+)"/.exec(attrs)?.[1] ?? stack.at(-1)!.lang });
    }
  }
  return out;
}

/** Every piece of the page's main text that contains `german` is marked German. */
function expectMarkedGerman(html: string, german: string) {
  const pieces = textWithLanguage(html).filter((p) => p.text.includes(german));
  expect(pieces.length, `"${german}" is on the page`).toBeGreaterThan(0);
  expect(
    pieces.filter((p) => p.lang !== 'de').map((p) => p.text.trim()),
    `"${german}" outside lang="de"`,
  ).toEqual([]);
}

/** A German page: lang="de" only on <html>, nowhere else. */
function expectNoRedundantLang(html: string) {
  expect(html).toMatch(/^<!doctype html>\s*<html lang="de">/i);
  expect(html.match(/\slang="de"/g)).toHaveLength(1);
}

describe('German text on English pages', () => {
  it('the public overview marks presence names, descriptions and unit names', async () => {
    const en = (await request(ctx.app).get('/en').expect(200)).text;
    expectMarkedGerman(en, 'Museum August Kestner');
    expectMarkedGerman(en, 'Angewandte Kunst und Design aus sieben Jahrtausenden');
    expectMarkedGerman(en, 'Fachbereich Kultur');
    expectMarkedGerman(en, 'Feuerwehr Hannover');
    // the English words around them stay English
    expect(textWithLanguage(en).some((p) => p.lang === 'en' && p.text.includes(' on Facebook'))).toBe(true);
    expectNoRedundantLang((await request(ctx.app).get('/').expect(200)).text);
  });

  it('a presence page marks its name, description and unit', async () => {
    const en = (await request(ctx.app).get('/en/angebote/museumaugustkestner-facebook').expect(200)).text;
    expectMarkedGerman(en, 'Museum August Kestner');
    expectMarkedGerman(en, 'Angewandte Kunst und Design');
    expectMarkedGerman(en, 'Museen für Kulturgeschichte');
    expectNoRedundantLang((await request(ctx.app).get('/angebote/museumaugustkestner-facebook').expect(200)).text);
  });

  it('the verify result marks the presence found', async () => {
    const path = '/pruefen?url=' + encodeURIComponent('https://www.facebook.com/museumaugustkestner');
    const en = (await request(ctx.app).get(`/en${path}`).expect(200)).text;
    expect(en).toContain('Yes. This account is an official presence');
    expectMarkedGerman(en, 'Museum August Kestner');
    expectNoRedundantLang((await request(ctx.app).get(path).expect(200)).text);
  });

  it('a request page marks the title, the unit, the data typed and the return comment', async () => {
    const en = (await editor.get(`/en/intern/antraege/${returnedId}`).expect(200)).text;
    expectMarkedGerman(en, 'Musikschule Hannover');
    expectMarkedGerman(en, 'Bitte verlinken Sie eine eigene Datenschutzerklärung');
    expectMarkedGerman(en, 'Fachbereich Kultur');
    expect(textWithLanguage(en).some((p) => p.lang === 'en' && p.text.includes('Request no.'))).toBe(true);
    expectNoRedundantLang((await editor.get(`/intern/antraege/${returnedId}`).expect(200)).text);
  });

  it('the internal register and "My tasks" mark names and units', async () => {
    const comms = await signIn(ctx.app, 'kommunikation'); // sees the whole register
    const register = (await comms.get('/en/intern/angebote').expect(200)).text;
    expectMarkedGerman(register, 'Herrenhäuser Gärten');
    expectMarkedGerman(register, 'Stadtbibliothek');
    expectNoRedundantLang((await comms.get('/intern/angebote').expect(200)).text);
    const home = (await editor.get('/en/intern').expect(200)).text;
    expectMarkedGerman(home, 'Musikschule Hannover');
    expectMarkedGerman(home, 'Bitte verlinken Sie eine eigene Datenschutzerklärung');
    expectNoRedundantLang((await editor.get('/intern').expect(200)).text);
  });

  it('the admin register marks names and units', async () => {
    const admin = await signIn(ctx.app, 'admin');
    const en = (await admin.get('/en/intern/verwaltung/register').expect(200)).text;
    expectMarkedGerman(en, 'Sprengel Museum Hannover');
    expectMarkedGerman(en, 'Museen für Kulturgeschichte');
    expectNoRedundantLang((await admin.get('/intern/verwaltung/register').expect(200)).text);
  });
});
