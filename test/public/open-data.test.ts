import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { parse } from 'csv-parse/sync';
import { DOMParser, type Element as XmlElement } from '@xmldom/xmldom';
import { createTestContext, type TestContext } from '../helpers/app';
import { CSV_COLUMNS } from '../../src/public/open-data';
import { ACTIVE_SLUGS, HOSTILE_DESCRIPTION, HOSTILE_NAME, insertPresence, seedRegister } from './fixtures';
import { validate } from './json-schema';

const ATOM = 'http://www.w3.org/2005/Atom';
const FORMULA_NAMES = ['+49 511 Servicetelefon', '@stadt Bürgerservice', '-minus', '\tTabulator'];

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
  const units = await seedRegister(ctx.database.db);
  for (const [i, name] of FORMULA_NAMES.entries()) {
    await insertPresence(ctx.database.db, units, {
      slug: `formel-${i}-facebook`,
      platform: 'facebook',
      accountId: `formel${i}`,
      url: `https://www.facebook.com/formel${i}`,
      name,
      description: i === 0 ? '=1+1' : '@SUM(A1:A2)',
      unit: '37',
      publishedAt: new Date(`2024-0${i + 1}-01T00:00:00Z`),
    });
  }
});
afterAll(() => ctx.close());

const ALL_ACTIVE = [...ACTIVE_SLUGS, ...FORMULA_NAMES.map((_, i) => `formel-${i}-facebook`)];

describe('/api/openapi.json', () => {
  it('is an OpenAPI 3.1 document for the data files and the verification', async () => {
    const res = await request(ctx.app).get('/api/openapi.json').expect(200).expect('Content-Type', /json/);
    expect(res.body.openapi).toBe('3.1.0');
    expect(res.body.servers[0].url).toBe('http://portal.test');
    for (const p of ['/angebote.json', '/angebote.csv', '/angebote.atom', '/einbetten', '/pruefen.json'])
      expect(res.body.paths[p]).toBeDefined();
    for (const s of ['Presence', 'PresenceList', 'VerifyResult', 'Error'])
      expect(res.body.components.schemas[s]).toBeDefined();
  });
});

describe('/angebote.json', () => {
  it('validates against the published schema and lists exactly the active presences', async () => {
    const doc = (await request(ctx.app).get('/api/openapi.json')).body;
    const res = await request(ctx.app)
      .get('/angebote.json')
      .expect(200)
      .expect('Content-Type', /application\/json/);
    expect(validate(res.body, { $ref: '#/components/schemas/PresenceList' }, doc)).toEqual([]);
    expect(res.body.schemaVersion).toBe('1.2');
    expect(res.body.count).toBe(ALL_ACTIVE.length);
    expect(res.body.presences.map((p: { slug: string }) => p.slug).sort()).toEqual([...ALL_ACTIVE].sort());
    expect(res.body.presences[0].slug).toBe('hannover-de-facebook');
    expect(res.body.presences[0].central).toBe(true);
  });

  it('carries every field the issue asks for', async () => {
    const res = await request(ctx.app).get('/angebote.json').expect(200);
    const sprengel = res.body.presences.find((p: { slug: string }) => p.slug === 'sprengel-museum-facebook');
    expect(sprengel).toEqual({
      slug: 'sprengel-museum-facebook',
      name: 'Sprengel Museum Hannover',
      url: 'https://www.facebook.com/sprengelmuseum',
      platform: { key: 'facebook', name: 'Facebook' },
      orgUnit: {
        code: '41.2',
        name: 'Museen für Kulturgeschichte',
        path: ['Dezernat III – Kultur und Bildung', 'Fachbereich Kultur', 'Museen für Kulturgeschichte'],
      },
      description: 'Das Museum für Kunst des 20. und 21. Jahrhunderts am Maschsee.',
      hannoverDeUrl: 'https://www.hannover.de/sprengel-museum-facebook',
      publishedAt: '2025-01-10T09:00:00.000Z',
      lastConfirmedAt: '2026-01-15T09:00:00.000Z',
      central: false,
      pageUrl: 'http://portal.test/angebote/sprengel-museum-facebook',
    });
    const hostile = res.body.presences.find((p: { slug: string }) => p.slug === 'buehne-facebook');
    expect(hostile.name).toBe(HOSTILE_NAME);
    expect(hostile.description).toBe(HOSTILE_DESCRIPTION);
  });

  it('may be read by other web pages', async () => {
    const res = await request(ctx.app).get('/angebote.json').expect(200);
    expect(res.headers['access-control-allow-origin']).toBe('*');
  });
});

describe('/angebote.csv', () => {
  it('is UTF-8 with BOM and a header row and round-trips through a CSV parser', async () => {
    const res = await request(ctx.app)
      .get('/angebote.csv')
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8; header=present');
    const body = res.body as Buffer;
    expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const records = parse(body, { bom: true, relax_column_count: false });
    expect(records[0]).toEqual([...CSV_COLUMNS]);
    const rows = records.slice(1).map((r) => Object.fromEntries(CSV_COLUMNS.map((c, i) => [c, r[i] as string])));
    expect(rows.map((r) => r.slug).sort()).toEqual([...ALL_ACTIVE].sort());

    const hostile = rows.find((r) => r.slug === 'buehne-facebook');
    // commas, quotes, umlauts and the line break survive; the leading "=" is neutralised
    expect(hostile?.name).toBe(HOSTILE_NAME);
    expect(hostile?.description).toBe(`'${HOSTILE_DESCRIPTION}`);
    const sprengel = rows.find((r) => r.slug === 'sprengel-museum-facebook');
    expect(sprengel?.orgUnitPath).toBe(
      'Dezernat III – Kultur und Bildung > Fachbereich Kultur > Museen für Kulturgeschichte',
    );
    expect(sprengel?.orgUnitName).toBe('Museen für Kulturgeschichte');
    expect(sprengel?.platformName).toBe('Facebook');
    expect(sprengel?.central).toBe('false');
    const library = rows.find((r) => r.slug === 'stadtbibliothek-facebook');
    expect(library?.description).toBe('Bücher, Medien und Veranstaltungen in 17 Stadtteilbibliotheken.');
  });

  it('neutralises every cell that a spreadsheet would run as a formula', async () => {
    const res = await request(ctx.app).get('/angebote.csv').expect(200);
    const records = parse(res.text, { bom: true });
    for (const record of records) for (const cell of record) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    const names = records.map((r) => r[1]);
    for (const name of FORMULA_NAMES) expect(names).toContain(`'${name}`);
    const descriptions = records.map((r) => r[8]);
    expect(descriptions).toContain("'=1+1");
    expect(descriptions).toContain("'@SUM(A1:A2)");
  });
});

describe('/angebote.atom', () => {
  const parseXml = (text: string) => {
    const errors: string[] = [];
    const dom = new DOMParser({ onError: (level, msg) => errors.push(`${level}: ${msg}`) }).parseFromString(
      text,
      'application/xml',
    );
    return { dom, errors };
  };
  const text = (el: XmlElement, name: string) => el.getElementsByTagNameNS(ATOM, name)[0]?.textContent ?? null;

  it('is well-formed Atom 1.0 with the newest publications first and absolute links', async () => {
    const res = await request(ctx.app)
      .get('/angebote.atom')
      .expect(200)
      .expect('Content-Type', 'application/atom+xml; charset=utf-8');
    const { dom, errors } = parseXml(res.text);
    expect(errors).toEqual([]);
    const feed = dom.documentElement as unknown as XmlElement;
    expect(feed.namespaceURI).toBe(ATOM);
    expect(feed.localName).toBe('feed');
    expect(feed.getAttribute('xml:lang')).toBe('de');
    // required feed elements (RFC 4287 4.1.1)
    const children = Array.from(feed.childNodes as unknown as XmlElement[]).filter((n) => n.nodeType === 1);
    for (const name of ['id', 'title', 'updated', 'author'])
      expect(children.some((c) => c.localName === name)).toBe(true);
    const self = children.find((c) => c.localName === 'link' && c.getAttribute('rel') === 'self');
    expect(self?.getAttribute('href')).toBe('http://portal.test/angebote.atom');

    const entries = Array.from(feed.getElementsByTagNameNS(ATOM, 'entry') as unknown as XmlElement[]);
    expect(entries.length).toBe(ALL_ACTIVE.length);
    const published = entries.map((e) => text(e, 'published') as string);
    expect([...published].sort().reverse()).toEqual(published);
    for (const e of entries) {
      expect(text(e, 'id')).toMatch(/^http:\/\/portal\.test\/angebote\/[a-z0-9-]+$/);
      expect(text(e, 'updated')).toMatch(/^\d{4}-\d\d-\d\dT/);
      const alternate = Array.from(e.getElementsByTagNameNS(ATOM, 'link') as unknown as XmlElement[]).find(
        (l) => l.getAttribute('rel') === 'alternate',
      );
      expect(alternate?.getAttribute('href')).toMatch(/^http:\/\/portal\.test\/angebote\//);
    }
    const byId = new Map(entries.map((e) => [text(e, 'id'), e]));
    const sprengel = byId.get('http://portal.test/angebote/sprengel-museum-facebook') as XmlElement;
    expect(text(sprengel, 'title')).toBe('Sprengel Museum Hannover');
    expect(text(sprengel, 'summary')).toContain('Das Museum für Kunst des 20. und 21. Jahrhunderts am Maschsee.');
    expect(text(sprengel, 'published')).toBe('2025-01-10T09:00:00.000Z');
    expect(byId.has('http://portal.test/angebote/altes-stadtgruen-facebook')).toBe(false);
  });

  it('shows HTML typed by editors as text', async () => {
    const res = await request(ctx.app).get('/angebote.atom').expect(200);
    const { dom } = parseXml(res.text);
    expect(dom.getElementsByTagName('script').length).toBe(0);
    expect(dom.getElementsByTagName('img').length).toBe(0);
    const entry = Array.from(dom.getElementsByTagNameNS(ATOM, 'entry') as unknown as XmlElement[]).find(
      (e) => text(e, 'id') === 'http://portal.test/angebote/buehne-facebook',
    ) as XmlElement;
    expect(text(entry, 'title')).toBe(HOSTILE_NAME);
    expect(entry.getElementsByTagNameNS(ATOM, 'title')[0]?.getAttribute('type')).toBe('text');
    expect(text(entry, 'summary')).toContain(HOSTILE_DESCRIPTION);
  });

  it('is in English under /en, with English links', async () => {
    const res = await request(ctx.app).get('/en/angebote.atom').expect(200);
    const { dom, errors } = parseXml(res.text);
    expect(errors).toEqual([]);
    expect(dom.documentElement?.getAttribute('xml:lang')).toBe('en');
    expect(res.text).toContain('<title type="text">New social-media presences of the City of Hannover</title>');
    expect(res.text).toContain('href="http://portal.test/en/angebote/sprengel-museum-facebook"');
    // entry ids do not depend on the language
    expect(res.text).toContain('<id>http://portal.test/angebote/sprengel-museum-facebook</id>');
  });
});

describe('/einbetten', () => {
  it('is an HTML fragment with KERN classes, no layout, no scripts, no inline styles and absolute links', async () => {
    const res = await request(ctx.app)
      .get('/einbetten')
      .expect(200)
      .expect('Content-Type', /text\/html/);
    const html = res.text;
    expect(html.trimStart()).toMatch(/^<section class="smr-embed" lang="de"/);
    for (const forbidden of ['<html', '<head', '<body', '<script', '<style', ' style=', '<form', '<link ', '<iframe'])
      expect(html).not.toContain(forbidden);
    expect(html).not.toMatch(/<[a-z][^>]*\son[a-z]+=/i);
    expect(html).toContain('class="kern-card kern-card--hug presence-card');
    const hrefs = [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1] as string);
    expect(hrefs.length).toBeGreaterThan(10);
    for (const href of hrefs) expect(href).toMatch(/^https?:\/\//);
    expect(hrefs).toContain('http://portal.test/angebote/sprengel-museum-facebook');
    const slugs = [...html.matchAll(/aria-labelledby="smr-angebot-([a-z0-9-]+)"/g)].map((m) => m[1]);
    expect([...slugs].sort()).toEqual([...ALL_ACTIVE].sort());
    // ids are prefixed so they do not collide with the CMS page
    for (const m of html.matchAll(/\bid="([^"]+)"/g)) expect(m[1]).toMatch(/^smr-/);
    expect(html).toContain('&lt;script&gt;alert(&#34;name&#34;)&lt;/script&gt;');
    expect(html).not.toContain(HOSTILE_NAME);
  });

  it('can be limited to a unit (with sub-units) or a platform', async () => {
    const unit = await request(ctx.app).get('/einbetten?bereich=41.2').expect(200);
    const slugs = [...unit.text.matchAll(/aria-labelledby="smr-angebot-([a-z0-9-]+)"/g)].map((m) => m[1]);
    expect(slugs.sort()).toEqual(['museum-august-kestner-instagram', 'sprengel-museum-facebook']);
    const platform = await request(ctx.app).get('/einbetten?plattform=youtube').expect(200);
    expect([...platform.text.matchAll(/aria-labelledby="smr-angebot-([a-z0-9-]+)"/g)].map((m) => m[1])).toEqual([
      'kulturbuero-youtube',
    ]);
    await request(ctx.app).get('/einbetten?bereich=unbekannt').expect(400);
    await request(ctx.app).get('/einbetten?plattform=%3Cx%3E').expect(400);
  });

  it('is in English under /en', async () => {
    const res = await request(ctx.app).get('/en/einbetten').expect(200);
    expect(res.text).toContain('lang="en"');
    expect(res.text).toContain('href="http://portal.test/en/angebote/sprengel-museum-facebook"');
  });
});
