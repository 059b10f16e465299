import http from 'node:http';
import https from 'node:https';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import request from 'supertest';
import { Parser, Store, type Quad, type Term } from 'n3';
import jsonld from 'jsonld';
import SHACLValidator from 'rdf-validate-shacl';
import { createTestContext, TEST_ENV, type TestContext } from '../helpers/app';
import { ConfigError, loadConfig } from '../../src/config';
import { readState } from '../../src/public/store';
import { insertPresence, seedRegister } from './fixtures';

const DCAT = 'http://www.w3.org/ns/dcat#';
const DCT = 'http://purl.org/dc/terms/';
const DCATDE = 'http://dcat-ap.de/def/dcatde/';
const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';
const SH = 'http://www.w3.org/ns/shacl#';
const BASE = 'http://portal.test';
const DATASET = `${BASE}/dcat.ttl#dataset`;
const CATALOG = `${BASE}/dcat.ttl#catalog`;

let ctx: TestContext;
let units: Map<string, number>;
let shapes: Store;

beforeAll(async () => {
  ctx = await createTestContext();
  units = await seedRegister(ctx.database.db);
  shapes = new Store(new Parser().parse(await readFile(path.join(__dirname, 'dcat-shapes.ttl'), 'utf8')));
});
afterAll(() => ctx.close());
afterEach(() => vi.restoreAllMocks());

const parseTurtle = (text: string): Quad[] => new Parser({ format: 'text/turtle', baseIRI: BASE }).parse(text);
const parseJsonLd = async (text: string): Promise<Quad[]> =>
  new Parser({ format: 'N-Quads' }).parse(
    await jsonld.toRDF(JSON.parse(text) as Record<string, unknown>, {
      format: 'application/n-quads',
      documentLoader: async (url) => {
        throw new Error(`remote context requested: ${url}`);
      },
    }),
  );

const termKey = (t: Term): string =>
  t.termType === 'Literal' ? `"${t.value}"@${t.language}^^${t.datatype.value}` : `${t.termType}:${t.value}`;
const tripleKeys = (quads: Quad[]) =>
  new Set(quads.map((q) => `${termKey(q.subject)} ${termKey(q.predicate)} ${termKey(q.object)}`));

const objects = (quads: Quad[], s: string, p: string) =>
  quads.filter((q) => q.subject.value === s && q.predicate.value === p).map((q) => q.object);
const values = (quads: Quad[], s: string, p: string) => objects(quads, s, p).map((o) => o.value);

async function validate(quads: Quad[]) {
  const report = await new SHACLValidator(shapes).validate(new Store(quads));
  return report.results.map((r) => ({
    severity: r.severity?.value.replace(SH, ''),
    focus: r.focusNode?.value,
    path: r.path && 'value' in r.path ? (r.path as Term).value : undefined,
    message: r.message.map((m) => m.value).join(' '),
  }));
}

async function turtle(url = '/dcat.ttl') {
  const res = await request(ctx.app).get(url).expect(200);
  return { res, quads: parseTurtle(res.text) };
}

describe('/dcat.ttl and /dcat.jsonld', () => {
  it('are served as Turtle and JSON-LD, cacheable, open to other sites, without a cookie', async () => {
    const ttl = await request(ctx.app)
      .get('/dcat.ttl')
      .expect(200)
      .expect('Content-Type', 'text/turtle; charset=utf-8');
    const ld = await request(ctx.app)
      .get('/dcat.jsonld')
      .expect(200)
      .expect('Content-Type', 'application/ld+json; charset=utf-8');
    for (const [url, res] of [
      ['/dcat.ttl', ttl],
      ['/dcat.jsonld', ld],
    ] as const) {
      expect(res.headers['set-cookie']).toBeUndefined();
      expect(res.headers['cache-control']).toBe('public, max-age=60');
      expect(res.headers['access-control-allow-origin']).toBe('*');
      expect(res.headers.etag).toMatch(/^"v\d+-[A-Za-z0-9_-]{22}"$/);
      expect(res.headers['last-modified']).toMatch(/GMT$/);
      await request(ctx.app)
        .get(url)
        .set('If-None-Match', res.headers.etag as string)
        .expect(304);
    }
    expect(ttl.text).toContain('@prefix dcat: <http://www.w3.org/ns/dcat#>.');
    expect(ttl.headers.etag).not.toBe(ld.headers.etag);
  });

  it('are linked from the open-data section of the overview, in both languages', async () => {
    expect((await request(ctx.app).get('/').expect(200)).text).toMatch(
      /href="\/dcat\.ttl"[^>]*>Katalog für Open-Data-Portale/,
    );
    const en = (await request(ctx.app).get('/en').expect(200)).text;
    expect(en).toMatch(/href="\/en\/dcat\.ttl"[^>]*>Catalogue for open-data portals/);
    expect(en).toContain('href="/en/dcat.jsonld"');
  });

  it('parse with a real RDF parser to the same graph in both serialisations and both languages', async () => {
    const { quads } = await turtle();
    const fromJsonLd = await parseJsonLd((await request(ctx.app).get('/dcat.jsonld').expect(200)).text);
    const en = parseTurtle((await request(ctx.app).get('/en/dcat.ttl').expect(200)).text);
    expect(quads.length).toBeGreaterThan(100);
    // every node is an IRI, so the two graphs compare as plain sets of triples
    expect(quads.filter((q) => q.subject.termType === 'BlankNode' || q.object.termType === 'BlankNode')).toEqual([]);
    expect(tripleKeys(fromJsonLd)).toEqual(tripleKeys(quads));
    expect(fromJsonLd.length).toBe(quads.length);
    expect(tripleKeys(en)).toEqual(tripleKeys(quads));
  });

  it('describes the register as one dataset with its distributions, licence, publisher and place', async () => {
    const { quads } = await turtle();
    const state = await readState(ctx.database.db);
    expect(
      quads
        .filter((q) => q.predicate.value === RDF_TYPE && q.object.value === `${DCAT}Catalog`)
        .map((q) => q.subject.value),
    ).toEqual([CATALOG]);
    expect(values(quads, CATALOG, `${DCAT}dataset`)).toEqual([DATASET]);
    const titles = objects(quads, DATASET, `${DCT}title`).map(
      (o) => `${o.value}@${(o as { language: string }).language}`,
    );
    expect(titles.sort()).toEqual([
      'Social-Media-Auftritte der Landeshauptstadt Hannover@de',
      'Social-media presences of the City of Hannover@en',
    ]);
    expect(
      objects(quads, DATASET, `${DCT}description`)
        .map((o) => (o as { language: string }).language)
        .sort(),
    ).toEqual(['de', 'en']);

    const distributions = values(quads, DATASET, `${DCAT}distribution`);
    const byUrl = new Map(distributions.map((d) => [values(quads, d, `${DCAT}accessURL`)[0], d]));
    expect([...byUrl.keys()].sort()).toEqual([
      `${BASE}/angebote.atom`,
      `${BASE}/angebote.csv`,
      `${BASE}/angebote.json`,
      `${BASE}/api/openapi.json`,
    ]);
    const expectations: Array<[string, string, string]> = [
      ['/angebote.json', 'JSON', 'application/json'],
      ['/angebote.csv', 'CSV', 'text/csv'],
      ['/angebote.atom', 'ATOM', 'application/atom+xml'],
      ['/api/openapi.json', 'JSON', 'application/vnd.oai.openapi+json'],
    ];
    for (const [file, format, media] of expectations) {
      const d = byUrl.get(`${BASE}${file}`) as string;
      expect(values(quads, d, `${DCT}format`)).toEqual([
        `http://publications.europa.eu/resource/authority/file-type/${format}`,
      ]);
      expect(values(quads, d, `${DCAT}mediaType`)).toEqual([`https://www.iana.org/assignments/media-types/${media}`]);
      expect(values(quads, d, `${DCT}license`)).toEqual(['http://dcat-ap.de/def/licenses/dl-by-de/2.0']);
      // every address in the catalogue answers on the portal
      await request(ctx.app).get(file).expect(200);
    }
    const api = byUrl.get(`${BASE}/api/openapi.json`) as string;
    const service = values(quads, api, `${DCAT}accessService`)[0] as string;
    expect(values(quads, service, RDF_TYPE)).toEqual([`${DCAT}DataService`]);
    expect(values(quads, service, `${DCAT}endpointDescription`)).toEqual([`${BASE}/api/openapi.json`]);
    expect(values(quads, service, `${DCAT}servesDataset`)).toEqual([DATASET]);

    const publisher = values(quads, DATASET, `${DCT}publisher`)[0] as string;
    expect(values(quads, publisher, 'http://xmlns.com/foaf/0.1/name')).toEqual([ctx.config.operator.name]);
    const contact = values(quads, DATASET, `${DCAT}contactPoint`)[0] as string;
    expect(values(quads, contact, 'http://www.w3.org/2006/vcard/ns#hasEmail')).toEqual([
      `mailto:${ctx.config.operator.email}`,
    ]);
    expect(values(quads, DATASET, `${DCATDE}politicalGeocodingURI`)).toEqual([
      'http://dcat-ap.de/def/politicalGeocoding/municipalityKey/03241001',
    ]);
    expect(values(quads, DATASET, `${DCATDE}politicalGeocodingLevelURI`)).toEqual([
      'http://dcat-ap.de/def/politicalGeocoding/Level/municipality',
    ]);
    expect(values(quads, DATASET, `${DCAT}theme`)).toEqual([
      'http://publications.europa.eu/resource/authority/data-theme/GOVE',
    ]);
    expect(values(quads, DATASET, `${DCATDE}contributorID`)).toEqual([]);
    expect(values(quads, DATASET, `${DCT}modified`)).toEqual([state.changedAt.toISOString()]);
    expect(values(quads, DATASET, `${DCT}issued`)).toEqual(['2020-01-01T09:00:00.000Z']);
  });

  it('conforms to the DCAT-AP.de shapes without a violation or warning', async () => {
    const { quads } = await turtle();
    expect(await validate(quads)).toEqual([]);
    expect(await validate(await parseJsonLd((await request(ctx.app).get('/dcat.jsonld')).text))).toEqual([]);
  });

  it('is refused by the shapes without a licence, an access address, or with a format outside the vocabulary', async () => {
    const { quads } = await turtle();
    const json = `${BASE}/dcat.ttl#distribution-json`;
    const withoutLicence = quads.filter((q) => !(q.subject.value === json && q.predicate.value === `${DCT}license`));
    expect(await validate(withoutLicence)).toEqual([
      expect.objectContaining({ severity: 'Violation', focus: json, path: `${DCT}license` }),
    ]);

    const withoutAccess = quads.filter((q) => !(q.subject.value === json && q.predicate.value === `${DCAT}accessURL`));
    expect(await validate(withoutAccess)).toEqual([
      expect.objectContaining({ severity: 'Violation', focus: json, path: `${DCAT}accessURL` }),
    ]);

    const literalFormat = quads.map((q) =>
      q.subject.value === json && q.predicate.value === `${DCT}format`
        ? (new Parser().parse(`<${json}> <${DCT}format> "JSON" .`)[0] as Quad)
        : q,
    );
    const results = await validate(literalFormat);
    expect(results.length).toBeGreaterThan(0);
    expect(results.every((r) => r.focus === json && r.path === `${DCT}format`)).toBe(true);

    const withoutTitle = quads.filter((q) => !(q.subject.value === DATASET && q.predicate.value === `${DCT}title`));
    expect(await validate(withoutTitle)).toEqual([
      expect.objectContaining({ severity: 'Violation', focus: DATASET, path: `${DCT}title` }),
    ]);

    const withoutGeocoding = quads.filter(
      (q) => !(q.subject.value === DATASET && q.predicate.value === `${DCATDE}politicalGeocodingURI`),
    );
    expect(await validate(withoutGeocoding)).toEqual([
      expect.objectContaining({ severity: 'Warning', focus: DATASET, path: `${DCATDE}politicalGeocodingURI` }),
    ]);
  });

  it('changes dct:modified and the ETag when a presence is published or closed', async () => {
    const first = await turtle();
    const firstLd = await request(ctx.app).get('/dcat.jsonld').expect(200);
    await insertPresence(ctx.database.db, units, {
      slug: 'dcat-neu-facebook',
      platform: 'facebook',
      accountId: 'dcatneu',
      url: 'https://www.facebook.com/dcatneu',
      name: 'DCAT neu',
      unit: '37',
    });
    const second = await turtle();
    expect(second.res.headers.etag).not.toBe(first.res.headers.etag);
    const modified = values(second.quads, DATASET, `${DCT}modified`)[0] as string;
    expect(modified).not.toBe(values(first.quads, DATASET, `${DCT}modified`)[0]);
    expect(modified).toBe((await readState(ctx.database.db)).changedAt.toISOString());
    await request(ctx.app)
      .get('/dcat.jsonld')
      .set('If-None-Match', firstLd.headers.etag as string)
      .expect(200);
    await request(ctx.app)
      .get('/dcat.ttl')
      .set('If-None-Match', first.res.headers.etag as string)
      .expect(200);

    await ctx.database
      .db('presences')
      .where({ slug: 'dcat-neu-facebook' })
      .update({ status: 'closed', closed_at: new Date() });
    const third = await turtle();
    expect(third.res.headers.etag).not.toBe(second.res.headers.etag);
    expect(values(third.quads, DATASET, `${DCT}modified`)[0]).not.toBe(modified);
    expect(values(third.quads, CATALOG, `${DCT}modified`)).toEqual(values(third.quads, DATASET, `${DCT}modified`));
  });

  it('makes no request to another host while building the catalogue', async () => {
    const foreign: string[] = [];
    let local = 0;
    const watch = (mod: typeof http | typeof https) => {
      const original = mod.request.bind(mod) as (...args: unknown[]) => http.ClientRequest;
      vi.spyOn(mod, 'request').mockImplementation((...args: unknown[]) => {
        const target = args[0];
        const host =
          typeof target === 'string'
            ? new URL(target).hostname
            : target instanceof URL
              ? target.hostname
              : ((target as { hostname?: string; host?: string }).hostname ?? (target as { host?: string }).host);
        if (host !== '127.0.0.1' && host !== 'localhost' && host !== '::1') foreign.push(String(host));
        else local += 1;
        return original(...args);
      });
    };
    watch(http);
    watch(https);
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    // a new register version: both documents are built anew
    await insertPresence(ctx.database.db, units, {
      slug: 'dcat-fremd-facebook',
      platform: 'facebook',
      accountId: 'dcatfremd',
      url: 'https://www.facebook.com/dcatfremd',
      name: 'DCAT ohne fremde Anfrage',
      unit: '37',
    });
    await request(ctx.app).get('/dcat.ttl').expect(200);
    await request(ctx.app).get('/dcat.jsonld').expect(200);
    expect(local).toBeGreaterThan(0); // the watch sees requests at all (supertest's own)
    expect(foreign).toEqual([]);
    expect(fetchSpy).not.toHaveBeenCalled();
  });
});

describe('the licence setting', () => {
  it('refuses a licence that is no web address', () => {
    expect(() => loadConfig({ ...TEST_ENV, OPEN_DATA_LICENSE: 'dl-by-de/2.0' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...TEST_ENV, OPEN_DATA_CONTRIBUTOR_ID: 'govdata' })).toThrow(ConfigError);
    expect(loadConfig({ ...TEST_ENV, OPEN_DATA_CONTRIBUTOR_ID: '' }).openData.contributorId).toBeUndefined();
  });

  it('puts the configured licence on every distribution, and the contributor id on the dataset', async () => {
    const other = await createTestContext({
      OPEN_DATA_LICENSE: 'http://dcat-ap.de/def/licenses/cc-zero',
      OPEN_DATA_CONTRIBUTOR_ID: 'http://dcat-ap.de/def/contributors/openDataNiedersachsen',
    });
    try {
      const quads = parseTurtle((await request(other.app).get('/dcat.ttl').expect(200)).text);
      const licences = quads.filter((q) => q.predicate.value === `${DCT}license`).map((q) => q.object.value);
      expect(new Set(licences)).toEqual(new Set(['http://dcat-ap.de/def/licenses/cc-zero']));
      expect(licences.length).toBe(6); // catalogue, four distributions, the interface
      expect(values(quads, DATASET, `${DCATDE}contributorID`)).toEqual([
        'http://dcat-ap.de/def/contributors/openDataNiedersachsen',
      ]);
      expect(await validate(quads)).toEqual([]);
    } finally {
      await other.close();
    }
  });
});
