import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { createTestContext, type TestContext } from '../helpers/app';
import { openApiDocument } from '../../src/public/openapi';
import { seedRegister } from './fixtures';
import { validate } from './json-schema';

let ctx: TestContext;
let doc: ReturnType<typeof openApiDocument>;
beforeAll(async () => {
  ctx = await createTestContext();
  await seedRegister(ctx.database.db);
  doc = (await request(ctx.app).get('/api/openapi.json').expect(200)).body;
});
afterAll(() => ctx.close());

type Expected =
  | { result: 'official'; slug: string }
  | { result: 'formerly_official'; slug: string; until: string }
  | { result: 'unknown'; reason: 'host_not_allowed' | 'not_an_account' | 'not_registered' }
  | { result: 'unresolvable'; platform: string }
  | { result: 'invalid'; reason: 'empty' | 'too_long' | 'not_a_url' | 'unsupported_scheme' };

const official = (slug: string): Expected => ({ result: 'official', slug });
const unknown = (reason: 'host_not_allowed' | 'not_an_account' | 'not_registered'): Expected => ({
  result: 'unknown',
  reason,
});
const unresolvable = (platform: string): Expected => ({ result: 'unresolvable', platform });
const invalid = (reason: 'empty' | 'too_long' | 'not_a_url' | 'unsupported_scheme'): Expected => ({
  result: 'invalid',
  reason,
});

/** Every variant an editor or a citizen could paste, and what the register must answer. */
const TABLE: Array<[string, Expected]> = [
  // the central presence
  ['https://www.facebook.com/hannover.de', official('hannover-de-facebook')],
  ['facebook.com/Hannover.de', official('hannover-de-facebook')],
  ['http://m.facebook.com/hannover.de/', official('hannover-de-facebook')],
  // variants of a seeded presence
  ['https://www.facebook.com/sprengelmuseum', official('sprengel-museum-facebook')],
  ['facebook.com/sprengelmuseum', official('sprengel-museum-facebook')],
  ['www.facebook.com/SprengelMuseum/', official('sprengel-museum-facebook')],
  ['  https://de-de.facebook.com/sprengelmuseum?ref=bookmarks#top  ', official('sprengel-museum-facebook')],
  ['https://www.facebook.com/sprengelmuseum/posts/pfbid0123', official('sprengel-museum-facebook')],
  ['https://www.facebook.com./sprengelmuseum', official('sprengel-museum-facebook')],
  ['https://fb.com/sprengelmuseum', official('sprengel-museum-facebook')],
  // numeric ids
  ['https://www.facebook.com/profile.php?id=100064123456789', official('stadtbibliothek-facebook')],
  ['facebook.com/100064123456789', official('stadtbibliothek-facebook')],
  ['https://www.facebook.com/Stadtbibliothek-Hannover-100064123456789/', official('stadtbibliothek-facebook')],
  // other platforms, one of them disabled (instagram): still official
  ['instagram.com/museumaugustkestner', official('museum-august-kestner-instagram')],
  ['https://www.instagram.com/MuseumAugustKestner/?hl=de', official('museum-august-kestner-instagram')],
  ['https://www.youtube.com/@KulturBuero', official('kulturbuero-youtube')],
  ['youtube.com/@kulturbuero/videos', official('kulturbuero-youtube')],
  ['https://twitter.com/FeuerwehrH', official('feuerwehr-hannover-x')],
  ['x.com/feuerwehrh/status/123456', official('feuerwehr-hannover-x')],
  // Facebook's short host: fb.me/<name> is facebook.com/<name>
  ['https://fb.me/hannover.de', official('hannover-de-facebook')],
  ['fb.me/sprengelmuseum', official('sprengel-museum-facebook')],
  ['https://touch.facebook.com/sprengelmuseum', official('sprengel-museum-facebook')],
  ['m.instagram.com/museumaugustkestner', official('museum-august-kestner-instagram')],
  // links the apps' "Link kopieren" makes: they name no account, so: cannot be checked
  ['https://www.facebook.com/share/1AbCdEfGhI/', unresolvable('facebook')],
  ['https://www.facebook.com/share/1AbCdEfGhI/?mibextid=wwXIfr', unresolvable('facebook')],
  ['https://www.facebook.com/share/p/15XyZabc12/', unresolvable('facebook')],
  ['https://m.facebook.com/share/v/1Qwerty123/', unresolvable('facebook')],
  ['facebook.com/share/r/1Reel12345', unresolvable('facebook')],
  ['https://fb.watch/abC1dEf2/', unresolvable('facebook')],
  ['https://fb.me/e/3abcDEF12', unresolvable('facebook')],
  ['https://www.instagram.com/p/CxYz123/?igsh=abc', unresolvable('instagram')],
  ['https://youtu.be/dQw4w9WgXcQ', unresolvable('youtube')],
  // closed presence
  [
    'https://www.facebook.com/altesstadtgruen',
    { result: 'formerly_official', slug: 'altes-stadtgruen-facebook', until: '2025-03-31' },
  ],
  [
    'm.facebook.com/AltesStadtgruen',
    { result: 'formerly_official', slug: 'altes-stadtgruen-facebook', until: '2025-03-31' },
  ],
  // look-alikes
  ['https://www.faceb00k.com/sprengelmuseum', unknown('host_not_allowed')],
  ['https://facebook.com.evil.example/sprengelmuseum', unknown('host_not_allowed')],
  ['https://www.facebook.com@evil.example/sprengelmuseum', unknown('host_not_allowed')],
  ['https://user:pass@www.facebook.com/sprengelmuseum', unknown('host_not_allowed')],
  ['https://sprengelmuseum.facebook.com/', unknown('host_not_allowed')],
  ['https://www.facebook.com:8443/sprengelmuseum', unknown('host_not_allowed')],
  ['https://xn--facebok-y0a.com/sprengelmuseum', unknown('host_not_allowed')],
  ['https://faceboook.com/sprengelmuseum', unknown('host_not_allowed')],
  ['https://l.facebook.com/l.php?u=https%3A%2F%2Fwww.facebook.com%2Fsprengelmuseum', unknown('host_not_allowed')],
  ['https://www.hannover.de/', unknown('host_not_allowed')],
  // right platform, not the city's account
  ['https://www.facebook.com/sprengelmuseum2', unknown('not_registered')],
  ['https://www.facebook.com/sprengel.museum', unknown('not_registered')],
  ['https://www.instagram.com/sprengelmuseum/', unknown('not_registered')],
  ['https://www.facebook.com/profile.php?id=100064123456780', unknown('not_registered')],
  // not an account at all
  ['https://www.facebook.com/', unknown('not_an_account')],
  ['https://www.facebook.com/groups/sprengelmuseum', unknown('not_an_account')],
  ['https://www.facebook.com/sharer.php?u=x', unknown('not_an_account')],
  ['https://www.facebook.com/profile.php?id=1&id=100064123456789', unknown('not_an_account')],
  // garbage
  ['', invalid('empty')],
  ['   ', invalid('empty')],
  ['kein Link', invalid('not_a_url')],
  ['hannover', invalid('not_a_url')],
  ['javascript:alert(1)', invalid('unsupported_scheme')],
  ['ftp://www.facebook.com/sprengelmuseum', invalid('unsupported_scheme')],
  ['data:text/html,<script>alert(1)</script>', invalid('unsupported_scheme')],
  [`https://www.facebook.com/${'a'.repeat(5000)}`, invalid('too_long')],
  ['x'.repeat(5000), invalid('too_long')],
];

const label = (input: string) =>
  input.length > 80 ? `${input.slice(0, 40)}… (${input.length} characters)` : JSON.stringify(input);

describe('GET /pruefen.json', () => {
  it.each(TABLE.map(([input, expected]) => [label(input), input, expected] as const))(
    '%s',
    async (_label, input, expected) => {
      const res = await request(ctx.app).get('/pruefen.json').query({ url: input });
      expect(res.headers['set-cookie']).toBeUndefined();
      if (expected.result === 'invalid') {
        expect(res.status).toBe(400);
        expect(res.body.error.reason).toBe(expected.reason);
        expect(res.body.error.message.length).toBeGreaterThan(10);
        expect(validate(res.body, { $ref: '#/components/schemas/Error' }, doc as never)).toEqual([]);
        return;
      }
      expect(res.status).toBe(200);
      expect(validate(res.body, { $ref: '#/components/schemas/VerifyResult' }, doc as never)).toEqual([]);
      expect(res.body.result).toBe(expected.result);
      expect(res.body.input).toBe(input);
      if (expected.result === 'unresolvable') {
        expect(res.body.reason).toBeNull();
        expect(res.body.platform.key).toBe(expected.platform);
        expect(res.body.accountId).toBeNull();
        expect(res.body.canonicalUrl).toBeNull();
        expect(res.body.presence).toBeNull();
      } else if (expected.result === 'unknown') {
        expect(res.body.reason).toBe(expected.reason);
        expect(res.body.presence).toBeNull();
      } else {
        expect(res.body.reason).toBeNull();
        expect(res.body.presence.slug).toBe(expected.slug);
        if (expected.result === 'formerly_official') expect(res.body.officialUntil.slice(0, 10)).toBe(expected.until);
        else expect(res.body.officialUntil).toBeNull();
      }
    },
  );

  it.each([
    ['no url parameter', '/pruefen.json', 'missing_url'],
    ['two url parameters', '/pruefen.json?url=facebook.com/hannover.de&url=facebook.com/x', 'repeated_parameter'],
  ])('answers %s with a machine-readable 400', async (_what, path, reason) => {
    const res = await request(ctx.app).get(path).expect(400).expect('Content-Type', /json/);
    expect(res.body.error.reason).toBe(reason);
    expect(validate(res.body, { $ref: '#/components/schemas/Error' }, doc as never)).toEqual([]);
  });

  it('may be read by other web pages (CORS) and explains itself in English under /en', async () => {
    const res = await request(ctx.app).get('/en/pruefen.json').query({ url: 'kein Link' }).expect(400);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.body.error.message).toMatch(/^This is not a web address/);
  });
});

describe('GET /pruefen (HTML)', () => {
  it('shows the form without an answer when no address was given', async () => {
    const res = await request(ctx.app).get('/pruefen').expect(200);
    expect(res.text).toContain('<h1 class="kern-heading-x-large">Ist dieser Account offiziell?</h1>');
    expect(res.text).toMatch(/<form class="verify-form" method="get" action="\/pruefen"/);
    expect(res.text).toContain('<label class="kern-label" for="feld-url">Adresse des Accounts</label>');
    expect(res.text).not.toContain('id="ergebnis-titel"');
    expect(res.text).toContain('aria-current="page">Account prüfen</a>');
  });

  const htmlExpectations: Record<string, string[]> = {
    official: ['Ja. Dieser Account ist ein offizieller Auftritt der Landeshauptstadt Hannover.'],
    formerly_official: [
      'Dieser Account war bis zum 31. März 2025 ein offizieller Auftritt der Landeshauptstadt Hannover.',
      'href="/angebote/altes-stadtgruen-facebook"',
    ],
    host_not_allowed: [
      'Dieser Account ist kein offizieller Auftritt der Landeshauptstadt Hannover.',
      'Die Adresse gehört zu keiner Plattform',
    ],
    not_registered: [
      'Dieser Account ist kein offizieller Auftritt der Landeshauptstadt Hannover.',
      'keinen Auftritt unter dieser Adresse eingetragen',
    ],
    not_an_account: [
      'Dieser Account ist kein offizieller Auftritt der Landeshauptstadt Hannover.',
      'aber nicht zu einem Account',
    ],
    unresolvable: [
      'Diese Adresse können wir nicht prüfen.',
      'Im Browser: Öffnen Sie den Link',
      'In der App: Tippen Sie auf den Namen',
    ],
    empty: ['Geben Sie die Adresse des Accounts ein.'],
    too_long: ['Die Adresse ist zu lang. Geben Sie höchstens 2000 Zeichen ein.'],
    not_a_url: ['Das ist keine Internetadresse.'],
    unsupported_scheme: ['Geprüft werden nur Internetadressen, die mit https:// oder http:// beginnen.'],
  };

  it.each(TABLE.map(([input, expected]) => [label(input), input, expected] as const))(
    '%s',
    async (_label, input, expected) => {
      const res = await request(ctx.app).get('/pruefen').query({ url: input });
      expect(res.headers['set-cookie']).toBeUndefined();
      const key =
        expected.result === 'official' || expected.result === 'formerly_official' || expected.result === 'unresolvable'
          ? expected.result
          : expected.reason;
      for (const text of htmlExpectations[key] ?? []) expect(res.text).toContain(text);
      if (expected.result === 'invalid') {
        expect(res.status).toBe(400);
        expect(res.text).toContain('error-summary');
        expect(res.text).toContain('aria-invalid="true"');
        expect(res.text).not.toContain('id="ergebnis-titel"');
      } else {
        expect(res.status).toBe(200);
        expect(res.text).toContain('id="ergebnis-titel"');
      }
      if (expected.result === 'official') expect(res.text).toContain(`href="/angebote/${expected.slug}"`);
      // the title says the verdict first
      const title = /<title>([^<]*)<\/title>/.exec(res.text)?.[1] ?? '';
      const titleStart = {
        official: /^Offiziell: .+ auf .+ – Ist dieser Account offiziell\?/,
        formerly_official: /^Nicht mehr offiziell: .+ auf .+ – Ist dieser Account offiziell\?/,
        unknown: /^Nicht im Register: .+ – Ist dieser Account offiziell\?/,
        unresolvable: /^Nicht prüfbar: .+ – Ist dieser Account offiziell\?/,
        invalid: /^Fehler: Ist dieser Account offiziell\?/,
      }[expected.result];
      expect(title).toMatch(titleStart);
      expect(title).not.toContain('<');
      // the answer comes before the form, right below the heading
      if (expected.result !== 'invalid') {
        const afterHeading = res.text.slice(res.text.indexOf('</h1>'));
        expect(afterHeading.indexOf('id="ergebnis-titel"')).toBeGreaterThan(0);
        expect(afterHeading.indexOf('id="ergebnis-titel"')).toBeLessThan(
          afterHeading.indexOf('<form class="verify-form"'),
        );
        expect(afterHeading.slice(0, afterHeading.indexOf('id="ergebnis-titel"'))).not.toMatch(/<p|<div|<form/);
      }
      // "not in the register" says what to do next: don't trust it, tell the press office
      if (expected.result === 'unknown') {
        expect(res.text).toContain('Was Sie jetzt tun können');
        expect(res.text).toContain('Verlassen Sie sich nicht auf Angaben dieses Accounts.');
        expect(res.text).toContain('Bitte melden Sie ihn – Presse- und Informationsamt:');
        expect(res.text).toContain('href="mailto:social-media@hannover-stadt.de"');
      } else {
        expect(res.text).not.toContain('Was Sie jetzt tun können');
      }
      // what was typed is shown again, as text
      if (input.trim() && input.length < 200)
        expect(res.text).toContain(
          'value="' + input.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;'),
        );
      expect(res.text).not.toContain('<script>alert');
    },
  );

  it('answers in English under /en', async () => {
    const ok = await request(ctx.app).get('/en/pruefen').query({ url: 'facebook.com/hannover.de' }).expect(200);
    expect(ok.text).toContain('Yes. This account is an official presence of the City of Hannover.');
    const old = await request(ctx.app).get('/en/pruefen').query({ url: 'facebook.com/altesstadtgruen' }).expect(200);
    expect(old.text).toContain('until 31 March 2025');
    const bad = await request(ctx.app).get('/en/pruefen').query({ url: 'kein Link' }).expect(400);
    expect(bad.text).toContain('This is not a web address.');
  });

  it('refuses two addresses at once with a clear message', async () => {
    const res = await request(ctx.app).get('/pruefen?url=a&url=b').expect(400);
    expect(res.text).toContain('Die Anfrage enthält mehrere Adressen.');
  });
});

describe('the verdict in the title, in English', () => {
  it.each([
    ['facebook.com/hannover.de', 'Official: Hannover.de on Facebook – Is this account official?'],
    ['facebook.com/altesstadtgruen', 'No longer official: '],
    [
      'https://www.facebook.com/share/1AbCdEfGhI/',
      'Cannot be checked: https://www.facebook.com/share/1AbCdEfGhI/ – Is this account official?',
    ],
    [
      'https://www.facebook.com/sprengel.museum',
      'Not in the register: https://www.facebook.com/sprengel.museum – Is this account official?',
    ],
    ['kein Link', 'Error: Is this account official?'],
  ])('%s', async (input, start) => {
    const res = await request(ctx.app).get('/en/pruefen').query({ url: input });
    expect(/<title>([^<]*)<\/title>/.exec(res.text)?.[1]).toMatch(
      new RegExp(`^${start.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`),
    );
  });

  it('shortens a long address in the title and keeps the whole address on the page, escaped', async () => {
    const long = `https://www.facebook.com/share/${'a'.repeat(300)}<b>`;
    const res = await request(ctx.app).get('/pruefen').query({ url: long }).expect(200);
    const title = /<title>([^<]*)<\/title>/.exec(res.text)?.[1] ?? '';
    expect(title).toMatch(/^Nicht prüfbar: https:\/\/www\.facebook\.com\/share\/a+… – /);
    expect(title.length).toBeLessThan(200);
    expect(res.text).toContain('value="https://www.facebook.com/share/' + 'a'.repeat(300) + '&lt;b&gt;"');
  });
});

describe('an address typed into the overview search is checked like on /pruefen', () => {
  it.each([
    ['/?q=https%3A%2F%2Fwww.facebook.com%2Fhannover.de', '/pruefen?url=https%3A%2F%2Fwww.facebook.com%2Fhannover.de'],
    ['/?q=+facebook.com%2Fsprengelmuseum+&plattform=facebook', '/pruefen?url=facebook.com%2Fsprengelmuseum'],
    ['/?q=fb.me%2Fhannover.de', '/pruefen?url=fb.me%2Fhannover.de'],
    [
      '/?q=https%3A%2F%2Fwww.facebook.com%2Fshare%2F1AbCdEfGhI%2F',
      '/pruefen?url=https%3A%2F%2Fwww.facebook.com%2Fshare%2F1AbCdEfGhI%2F',
    ],
    ['/?q=https%3A%2F%2Fwww.hannover.de%2F', '/pruefen?url=https%3A%2F%2Fwww.hannover.de%2F'],
    ['/en?q=facebook.com%2Fhannover.de', '/en/pruefen?url=facebook.com%2Fhannover.de'],
    // longer than the 200 characters a search may have: still checked, not refused
    [
      `/?q=${encodeURIComponent(`https://www.facebook.com/hannover.de?${'x'.repeat(300)}`)}`,
      `/pruefen?url=${encodeURIComponent(`https://www.facebook.com/hannover.de?${'x'.repeat(300)}`)}`,
    ],
  ])('%s → %s', async (path, location) => {
    const res = await request(ctx.app).get(path).expect(303);
    expect(res.headers.location).toBe(location);
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('ends at the verdict, without JavaScript (a plain redirect)', async () => {
    const res = await request(ctx.app).get('/?q=fb.me%2Fhannover.de').redirects(1).expect(200);
    expect(res.text).toContain('Ja. Dieser Account ist ein offizieller Auftritt der Landeshauptstadt Hannover.');
    expect(res.text).toMatch(/<title>Offiziell: Hannover\.de auf Facebook/);
  });

  it('an address longer than the check accepts is refused as a search term, not sent on', async () => {
    const res = await request(ctx.app)
      .get('/')
      .query({ q: `https://www.facebook.com/${'a'.repeat(3000)}` })
      .expect(400);
    expect(res.text).toContain('Der Suchbegriff darf höchstens 200 Zeichen lang sein.');
  });

  it.each(['Museum', 'hannover.de', 'Sprengel Museum', 'facebook'])('"%s" stays a search', async (q) => {
    const res = await request(ctx.app).get('/').query({ q }).expect(200);
    expect(res.text).toContain('id="ergebnis-titel"');
  });

  it('shows search results right below the heading, before the search form', async () => {
    const res = await request(ctx.app).get('/').query({ q: 'Museum' }).expect(200);
    const afterHeading = res.text.slice(res.text.indexOf('</h1>'));
    expect(afterHeading.indexOf('id="ergebnis-titel"')).toBeGreaterThan(0);
    expect(afterHeading.indexOf('id="ergebnis-titel"')).toBeLessThan(
      afterHeading.indexOf('<form class="presence-search"'),
    );
    expect(res.text).toContain('<a class="kern-link" href="#feld-q">Suche ändern</a>');
    // the full overview keeps the form first
    const all = await request(ctx.app).get('/').expect(200);
    expect(all.text.indexOf('<form class="presence-search"')).toBeLessThan(all.text.indexOf('id="ergebnis-titel"'));
  });
});
