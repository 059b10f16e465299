import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { createTestContext, type TestContext } from '../helpers/app';
import { ACTIVE_SLUGS, HOSTILE_NAME, seedRegister } from './fixtures';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
  await seedRegister(ctx.database.db);
});
afterAll(() => ctx.close());

/** Slugs of the presence cards on a page, in order. */
const cards = (html: string) =>
  [...html.matchAll(/<article [^>]*aria-labelledby="(?:smr-)?angebot-([a-z0-9-]+)"/g)].map((m) => m[1]);
/** Group headings (unit names) in order. */
const groups = (html: string) =>
  [...html.matchAll(/<h3 class="kern-heading-medium" id="gruppe-\d+">([^<]*)</g)].map((m) => m[1]?.trim());
const get = (path: string) => request(ctx.app).get(path);

describe('overview', () => {
  it('shows exactly the active presences, the central one first', async () => {
    const res = await get('/').expect(200).expect('Content-Type', /html/);
    expect(res.text).toContain('<h1 class="kern-heading-x-large">Social Media der Landeshauptstadt Hannover</h1>');
    const slugs = cards(res.text);
    expect([...slugs].sort()).toEqual([...ACTIVE_SLUGS].sort());
    expect(slugs[0]).toBe('hannover-de-facebook');
    expect(res.text).not.toContain('altes-stadtgruen-facebook');
    expect(res.text).toContain(`${ACTIVE_SLUGS.length} offizielle Auftritte.`);
    const central = res.text.indexOf('id="zentral"');
    expect(central).toBeGreaterThan(0);
    expect(central).toBeLessThan(res.text.indexOf('id="gruppe-0"'));
  });

  it('groups by organisational unit in tree order and shows the unit path', async () => {
    const res = await get('/').expect(200);
    expect(groups(res.text)).toEqual([
      'Fachbereich Kultur',
      'Museen für Kulturgeschichte',
      'Stadtbibliothek',
      'Feuerwehr Hannover',
    ]);
    // the path above the unit name
    expect(res.text).toMatch(
      /presence-group__path">Dezernat III – Kultur und Bildung › Fachbereich Kultur<\/p>\s*<h3[^>]*>Museen für Kulturgeschichte</,
    );
    // within a unit: German alphabetical order
    const slugs = cards(res.text);
    expect(slugs.indexOf('museum-august-kestner-instagram')).toBeLessThan(slugs.indexOf('sprengel-museum-facebook'));
    expect(slugs.indexOf('historisches-museum-facebook')).toBeLessThan(slugs.indexOf('kulturbuero-youtube'));
  });

  it('shows name, platform, description, an external link that says it leaves the site, the Hannover.de page and "zuletzt bestätigt"', async () => {
    const res = await get('/').expect(200);
    const card = res.text.slice(res.text.indexOf('aria-labelledby="angebot-sprengel-museum-facebook"'));
    const one = card.slice(0, card.indexOf('</article>'));
    expect(one).toContain('<p class="kern-preline">Facebook</p>');
    expect(one).toContain('href="/angebote/sprengel-museum-facebook">Sprengel Museum Hannover</a>');
    expect(one).toContain('Das Museum für Kunst des 20. und 21. Jahrhunderts am Maschsee.');
    expect(one).toContain(
      '<a class="kern-link presence-external" href="https://www.facebook.com/sprengelmuseum" rel="noopener noreferrer"><span>Sprengel Museum Hannover auf Facebook</span>',
    );
    expect(one).toContain(
      '<span class="kern-sr-only"> (externer Link: Sie verlassen das Angebot der Landeshauptstadt Hannover)</span>',
    );
    expect(one).toContain('kern-icon--open-in-new');
    expect(one).toContain(
      'href="https://www.hannover.de/sprengel-museum-facebook" rel="noopener noreferrer"><span>Seite der Organisationseinheit auf Hannover.de</span>',
    );
    expect(one).toContain('Zuletzt bestätigt: <time datetime="2026-01-15">15. Januar 2026</time>');
    // the account's address as text, to compare with what a citizen found in the app
    expect(one).toContain(
      '<span class="presence-card__address-label">Adresse:</span> <span class="presence-address" translate="no">facebook.<wbr>com/<wbr>sprengelmuseum</span>',
    );
    // the unit is named (in the group heading, and on cards outside a group)
    expect(res.text).toMatch(/<span class="kern-sr-only">Organisationseinheit: <\/span>Hannover.de Internet GmbH/);
  });

  it("falls back to the unit's Hannover.de page when the presence has none", async () => {
    const res = await get('/').expect(200);
    const card = res.text.slice(res.text.indexOf('aria-labelledby="angebot-kulturbuero-youtube"'));
    expect(card.slice(0, card.indexOf('</article>'))).toContain('href="https://www.hannover.de/Kultur-Freizeit"');
  });

  it('is in English under /en, with links that keep the language', async () => {
    const res = await get('/en').expect(200);
    expect(res.text).toContain('<html lang="en">');
    expect(res.text).toContain('Social media of the City of Hannover');
    expect(res.text).toContain('href="/en/angebote/sprengel-museum-facebook"');
    expect(res.text).toContain('Last confirmed: <time datetime="2026-01-15">15 January 2026</time>');
    expect(res.text).toContain('(external link: you are leaving the City of Hannover&#39;s website)');
    expect(res.text).toContain('action="/en"');
    expect(res.text).toContain('href="/" hreflang="de"');
  });

  it('offers the Atom feed and the JSON data as alternate links', async () => {
    const res = await get('/').expect(200);
    expect(res.text).toContain('<link rel="alternate" type="application/atom+xml" href="/angebote.atom"');
    expect(res.text).toContain('<link rel="alternate" type="application/json" href="/angebote.json"');
  });
});

describe('search and filters (plain GET form)', () => {
  it('is a GET form with labelled fields that works without JavaScript', async () => {
    const res = await get('/').expect(200);
    expect(res.text).toMatch(/<form class="presence-search" method="get" action="\/" role="search"/);
    for (const field of ['q', 'plattform', 'bereich']) {
      expect(res.text).toContain(`<label class="kern-label" for="feld-${field}">`);
      expect(res.text).toContain(`id="feld-${field}" name="${field}"`);
    }
    // only platforms and units that have presences are offered
    expect(res.text).toContain('<option value="instagram">Instagram</option>');
    expect(res.text).not.toContain('<option value="mastodon">');
    expect(res.text).toContain('<option value="41.2">');
    expect(res.text).not.toContain('<option value="67">');
  });

  it.each([
    ['Museen', ['historisches-museum-facebook', 'museum-august-kestner-instagram', 'sprengel-museum-facebook']],
    ['museum', ['historisches-museum-facebook', 'museum-august-kestner-instagram', 'sprengel-museum-facebook']],
    ['Historischen Museums', ['historisches-museum-facebook']],
    ['Bibliothek', ['stadtbibliothek-facebook']], // compound word: Stadtbibliothek
    ['Bücher', ['stadtbibliothek-facebook']],
    ['Feuerwehr', ['feuerwehr-hannover-x']],
    ['Einsätze Brandschutz', ['feuerwehr-hannover-x']],
    ['der Feuerwehr', ['feuerwehr-hannover-x']], // stop words are ignored
    [
      'Kultur',
      [
        'buehne-facebook',
        'historisches-museum-facebook',
        'kulturbuero-youtube',
        'museum-august-kestner-instagram',
        'sprengel-museum-facebook',
        'stadtbibliothek-facebook',
      ],
    ],
    ['Instagram', ['museum-august-kestner-instagram']],
    ['Zoo', []],
  ])('q=%s finds %j', async (q, expected) => {
    const res = await get(`/?q=${encodeURIComponent(q)}`).expect(200);
    expect([...cards(res.text)].sort()).toEqual(expected);
    expect(res.text).toContain(`value="${q}"`);
  });

  it('says so when nothing is found and offers a reset link', async () => {
    const res = await get('/?q=Zoo').expect(200);
    expect(res.text).toContain('Keine Auftritte gefunden.');
    expect(res.text).toContain('<a class="kern-link" href="/">Suche und Filter zurücksetzen</a>');
    const en = await get('/en?q=Zoo').expect(200);
    expect(en.text).toContain('No presences found.');
    expect(en.text).toContain('<a class="kern-link" href="/en">Clear search and filters</a>');
  });

  it('filters by platform', async () => {
    const res = await get('/?plattform=facebook').expect(200);
    expect([...cards(res.text)].sort()).toEqual(
      [
        'buehne-facebook',
        'hannover-de-facebook',
        'historisches-museum-facebook',
        'sprengel-museum-facebook',
        'stadtbibliothek-facebook',
      ].sort(),
    );
    expect(res.text).toContain('<option value="facebook" selected>');
  });

  it('filters by unit including its sub-units', async () => {
    const all41 = await get('/?bereich=41').expect(200);
    expect([...cards(all41.text)].sort()).toEqual(
      [
        'buehne-facebook',
        'historisches-museum-facebook',
        'kulturbuero-youtube',
        'museum-august-kestner-instagram',
        'sprengel-museum-facebook',
        'stadtbibliothek-facebook',
      ].sort(),
    );
    const d3 = await get('/?bereich=D3').expect(200);
    expect(cards(d3.text).length).toBe(6);
    const museums = await get('/?bereich=41.2').expect(200);
    expect([...cards(museums.text)].sort()).toEqual(['museum-august-kestner-instagram', 'sprengel-museum-facebook']);
  });

  it('combines search and filters', async () => {
    const res = await get('/?q=Museum&plattform=facebook&bereich=41').expect(200);
    expect([...cards(res.text)].sort()).toEqual(['historisches-museum-facebook', 'sprengel-museum-facebook']);
    const narrow = await get('/?q=Museum&plattform=facebook&bereich=41.2').expect(200);
    expect(cards(narrow.text)).toEqual(['sprengel-museum-facebook']);
  });

  it.each([
    ['/?plattform=myspace', 'Diese Plattform gibt es im Register nicht.'],
    ['/?plattform=%3Cscript%3E', 'Diese Plattform gibt es im Register nicht.'],
    ['/?bereich=99', 'Diese Organisationseinheit gibt es im Register nicht.'],
    ['/?seite=-1', 'Die Seitenzahl muss eine ganze Zahl ab 1 sein.'],
    ['/?seite=abc', 'Die Seitenzahl muss eine ganze Zahl ab 1 sein.'],
    ['/?seite=0', 'Die Seitenzahl muss eine ganze Zahl ab 1 sein.'],
    ['/?seite=1e3', 'Die Seitenzahl muss eine ganze Zahl ab 1 sein.'],
    [`/?q=${'a'.repeat(5000)}`, 'Der Suchbegriff darf höchstens 200 Zeichen lang sein.'], // a 5,000-character search
    ['/?q=a&q=b', 'Diese Angabe darf in der Adresse nur einmal vorkommen.'],
  ])('%s is refused with a friendly 400 page', async (path, message) => {
    // (long paths are cut in the test name only)
    const res = await get(path);
    expect(res.status).toBe(400);
    expect(res.text).toContain('class="kern-alert kern-alert--danger error-summary"');
    expect(res.text).toContain(message);
    expect(res.text).toContain('Suche und Filter zurücksetzen');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(res.text).not.toContain('<script>');
  });

  it('ignores parameters it does not know', async () => {
    const res = await get('/?utm_source=newsletter&plattform[x]=1').expect(200);
    expect(cards(res.text).length).toBe(ACTIVE_SLUGS.length);
  });

  it('shows a page number beyond the last page as a friendly 404 with a link to page 1', async () => {
    const res = await get('/?seite=7').expect(404);
    expect(res.text).toContain('Seite 7 gibt es nicht: Die Übersicht hat 1 Seite(n).');
    expect(res.text).toContain('href="/">Zur ersten Seite der Übersicht</a>');
  });

  it('shows what editors typed as text, never as markup', async () => {
    const res = await get('/').expect(200);
    expect(res.text).not.toContain(HOSTILE_NAME);
    expect(res.text).not.toContain('<img src=x');
    expect(res.text).toContain(
      '&lt;script&gt;alert(&#34;name&#34;)&lt;/script&gt; Bühne &amp; &#34;Theater&#34;, Hannover',
    );
    expect(res.text).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });
});
