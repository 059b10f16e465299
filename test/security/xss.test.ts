import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOMParser } from '@xmldom/xmldom';
import { agentFor, createSecurityContext, presenceFixture, type Agent, type SecurityContext } from './context';
import { loadFixtures, type Fixtures } from './route-table';
import { findInjections, markerCount, XSS_MARK, XSS_PAYLOADS, type Finding } from './html-check';
import { TEXT_FIELDS } from '../../src/requests/form';
import { validForm } from '../requests/fixtures';
import { backendName } from '../helpers/env';

/**
 * Stored and reflected XSS, checked in the HTML: every payload of the corpus goes through
 * every text field of every form (request form, decisions, withdrawal, closing, change
 * request, deputies, sign-in, searches, administration forms and CSV imports), and every page
 * that shows the value afterwards is checked with findInjections (html-check.ts): the
 * payload only ever appears escaped, no tag, event handler or javascript: link was injected.
 * Machine formats are parsed (Atom as XML, JSON) and the CSV is checked for formula cells.
 */

let ctx: SecurityContext;
let fixtures: Fixtures;
const a: Record<string, { agent: Agent; csrf: string }> = {};
let triedFields = 0;
let checkedPages = 0;
const findings: Array<Finding & { page: string }> = [];

beforeAll(async () => {
  ctx = await createSecurityContext();
  fixtures = await loadFixtures(ctx);
  for (const uid of ['redaktion', 'redaktion2', 'leitung', 'kommunikation', 'datenschutz', 'hannoverde', 'admin'])
    a[uid] = await agentFor(ctx.app, uid);
  a.anonymous = await agentFor(ctx.app, undefined);
}, 180_000);
afterAll(async () => {
  console.info(
    `[security] XSS: ${XSS_PAYLOADS.length} payloads, ${triedFields} payload×field submissions, ${checkedPages} pages checked (${backendName})`,
  );
  await ctx?.close();
});

type Res = { status: number; text: string; headers: Record<string, string> };

/** Every response: no server error, no stack trace; HTML is checked for injections. */
function check(res: Res, page: string): Res {
  expect(res.status, `${page}: ${res.text?.slice(0, 600)}`).toBeLessThan(500);
  expect(res.text ?? '', page).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/);
  if (/html/.test(res.headers['content-type'] ?? '')) {
    checkedPages++;
    for (const f of findInjections(res.text)) findings.push({ ...f, page });
  }
  return res;
}
async function get(who: string, url: string) {
  return check(await (a[who] as { agent: Agent }).agent.get(url), `${who} GET ${url}`);
}
async function post(who: string, url: string, body: Record<string, string>) {
  const { agent, csrf } = a[who] as { agent: Agent; csrf: string };
  return check(
    await agent
      .post(url)
      .type('form')
      .send({ ...body, _csrf: csrf }),
    `${who} POST ${url}`,
  );
}
function expectClean() {
  const list = findings.splice(0);
  expect(list.map((f) => `${f.page}: ${f.problem}\n    …${f.excerpt}…`)).toEqual([]);
}
const idFrom = (location: string | undefined) => Number(/\/antraege\/(\d+)/.exec(location ?? '')?.[1]);

async function stepOf(who: string, id: number, step: string) {
  const page = await get(who, `/intern/antraege/${id}`);
  return new RegExp(`data-step="${step}" data-state="([a-z]+)"`).exec(page.text)?.[1];
}
async function decide(who: string, id: number, step: string, outcome: string, comment: string) {
  const res = await post(who, `/intern/antraege/${id}/entscheidung`, {
    schritt: step,
    entscheidung: outcome,
    kommentar: comment,
  });
  expect(res.status, `${who} ${outcome} ${step}: ${res.text.slice(0, 400)}`).toBe(303);
}

describe(`XSS through every form, checked on every page that shows it (${backendName})`, () => {
  it('the checker itself finds injections and passes the portal’s own pages', async () => {
    expect(findInjections('<p>ok</p><img src=x onerror=alert(1)>').length).toBeGreaterThan(0);
    expect(findInjections('<a href=" javascript:alert(1)">x</a>').length).toBeGreaterThan(0);
    expect(findInjections('<p>&lt;script&gt;</p><script src="/assets/app.js" defer></script>')).toEqual([]);
    for (const url of ['/', `/angebote/${fixtures.presence41Slug}`, '/pruefen', '/impressum', '/anmelden'])
      await get('anonymous', url);
    for (const url of [
      '/intern',
      '/intern/antraege',
      `/intern/antraege/${fixtures.reqReview}`,
      '/intern/verwaltung/organisationseinheiten',
      '/intern/postausgang',
    ])
      await get('admin', url);
    expectClean();
  });

  it('request form: every text field and every editor slot, saved as draft and submitted with errors', async () => {
    const ids: number[] = [];
    for (const p of XSS_PAYLOADS) {
      const body: Record<string, string> = { aktion: 'entwurf', editorSuche: p };
      for (const f of TEXT_FIELDS) body[f] = p;
      for (let i = 1; i <= 4; i++) body[`editor${i}`] = p;
      triedFields += TEXT_FIELDS.length + 5;
      const saved = await post('redaktion', '/intern/antraege/neu', body);
      expect(saved.status).toBe(303);
      const id = idFrom(saved.headers.location);
      ids.push(id);
      await get('redaktion', `/intern/antraege/${id}?gespeichert=1`);
      const form = await get('redaktion', `/intern/antraege/${id}/bearbeiten`);
      expect(markerCount(form.text)).toBeGreaterThan(0);
      // submitted: the form comes back with every entry kept and every error named
      const submitted = await post('redaktion', `/intern/antraege/${id}/bearbeiten`, { ...body, aktion: 'einreichen' });
      expect(submitted.status).toBe(400);
      expect(markerCount(submitted.text)).toBeGreaterThan(0);
      // the directory search and "add this person" buttons echo the typed values
      await post('redaktion', `/intern/antraege/${id}/bearbeiten`, { ...body, aktion: 'suchen' });
      await post('redaktion', '/intern/antraege/neu', { ...body, aktion: 'suchen' });
      await post('redaktion', '/intern/antraege/neu', { ...body, uebernehmen: p });
    }
    await get('redaktion', '/intern');
    await get('redaktion', '/intern/antraege');
    expectClean();
  }, 240_000);

  it('a submitted request with payloads in every free-text field: deciders’ pages, comments, return, resubmission, publication and the public side', async () => {
    const free = [
      'description',
      'necessity',
      'purpose',
      'targetGroups',
      'topics',
      'contentTypes',
      'postingFrequency',
      'interaction',
      'moderation',
      'staffedHours',
      'responseTime',
      'alternativeChannel',
      'offboarding',
    ];
    for (const [i, p] of XSS_PAYLOADS.entries()) {
      const overrides: Record<string, string> = { name: `${p} ${i}`, url: `https://www.facebook.com/xss.probe.${i}` };
      for (const f of free) overrides[f] = p;
      triedFields += free.length + 1;
      const filed = await post('redaktion', '/intern/antraege/neu', { ...validForm(overrides), aktion: 'einreichen' });
      expect(filed.status, filed.text.slice(0, 500)).toBe(303);
      const id = idFrom(filed.headers.location);

      // step 1 returns it with the payload as comment; the author sees the comment in the form
      await get('leitung', '/intern');
      await get('leitung', `/intern/antraege/${id}`);
      await decide('leitung', id, 'unit_head', 'return', p);
      triedFields++;
      const again = await get('redaktion', `/intern/antraege/${id}/bearbeiten`);
      expect(markerCount(again.text)).toBeGreaterThan(0);
      const resubmitted = await post('redaktion', `/intern/antraege/${id}/bearbeiten`, {
        ...validForm(overrides),
        aktion: 'einreichen',
      });
      expect(resubmitted.status, resubmitted.text.slice(0, 500)).toBe(303);

      // a refused decision (no outcome) re-renders the comment as typed
      const refused = await post('leitung', `/intern/antraege/${id}/entscheidung`, {
        schritt: 'unit_head',
        entscheidung: '',
        kommentar: p,
      });
      expect(refused.status).toBe(400);
      triedFields++;
      await decide('leitung', id, 'unit_head', 'approve', p);
      await decide('kommunikation', id, 'communications', 'approve', p);
      await decide('datenschutz', id, 'data_protection', 'approve', p);
      triedFields += 3;
      for (const who of ['redaktion', 'redaktion2']) {
        const res = await post(who, `/intern/antraege/${id}/bestaetigen`, { bestaetigung: 'ja' });
        expect(res.status).toBe(303);
      }
      expect(await stepOf('hannoverde', id, 'hannoverde')).toBe('open');
      await decide('hannoverde', id, 'hannoverde', 'approve', p);
      triedFields++;
      for (const who of ['redaktion', 'leitung', 'kommunikation', 'hannoverde', 'admin'])
        await get(who, `/intern/antraege/${id}`);
    }
    // every page that lists or shows them
    const presences = await ctx.database.db('presences').where('url', 'like', '%xss.probe%').select('id', 'slug');
    expect(presences).toHaveLength(XSS_PAYLOADS.length);
    for (const p of presences) {
      const page = await get('anonymous', `/angebote/${p.slug}`);
      expect(markerCount(page.text)).toBeGreaterThan(0);
      await get('anonymous', `/en/angebote/${p.slug}`);
      await get('redaktion', `/intern/angebote/${p.id}`);
      await get('admin', `/intern/verwaltung/register/${p.id}/nachweis`);
    }
    for (const url of [
      '/',
      '/en',
      '/einbetten',
      '/?q=xss',
      `/?q=${XSS_MARK}`,
      '/pruefen?url=https%3A%2F%2Fwww.facebook.com%2Fxss.probe.1',
    ]) {
      const res = await get('anonymous', url);
      if (url === '/') expect(markerCount(res.text)).toBeGreaterThan(0);
    }
    for (const url of [
      '/intern',
      '/intern/antraege',
      '/intern/angebote',
      '/intern/verwaltung/register',
      '/intern/verwaltung/verlauf',
      '/intern/postausgang',
      '/intern/postausgang?seite=2',
      '/intern/postausgang?seite=3',
    ]) {
      await get('admin', url);
    }
    expectClean();

    // machine formats: well-formed, payload as text
    const atom = await a.anonymous!.agent.get('/angebote.atom');
    const errors: string[] = [];
    const doc = new DOMParser({
      onError: (level: string, msg: string) => {
        if (level !== 'warning') errors.push(msg);
      },
    }).parseFromString(atom.text, 'application/xml');
    expect(errors).toEqual([]);
    expect(doc.getElementsByTagName('script').length).toBe(0);
    expect(doc.getElementsByTagName('entry').length).toBeGreaterThan(0);
    const json = JSON.parse((await a.anonymous!.agent.get('/angebote.json')).text);
    expect(JSON.stringify(json)).toContain(XSS_MARK);
    const csv = (await a.anonymous!.agent.get('/angebote.csv')).text;
    expect(csv).toContain(XSS_MARK);
  }, 600_000);

  it('withdrawal reason, closing reason and the closed presence’s pages', async () => {
    for (const p of XSS_PAYLOADS) {
      const filed = await post('redaktion', '/intern/antraege/neu', {
        ...validForm({ url: `https://www.facebook.com/xss.withdraw.${XSS_PAYLOADS.indexOf(p)}` }),
        aktion: 'einreichen',
      });
      const id = idFrom(filed.headers.location);
      expect((await post('redaktion', `/intern/antraege/${id}/zurueckziehen`, { grund: p })).status).toBe(303);
      await get('redaktion', `/intern/antraege/${id}`);
      triedFields++;
    }
    const presences = await ctx.database
      .db('presences')
      .where('url', 'like', '%xss.probe%')
      .orderBy('id')
      .select('id', 'slug', 'url');
    for (const [i, p] of XSS_PAYLOADS.entries()) {
      const presence = presences[i] as { id: number; slug: string; url: string };
      // closing without a reason comes back with the error; then closed with the payload as reason
      await post('redaktion', `/intern/angebote/${presence.id}/schliessen`, { grund: '' });
      // the confirmation page shows the reason (checked like every page), its button closes
      expect((await post('redaktion', `/intern/angebote/${presence.id}/schliessen`, { grund: p })).status).toBe(200);
      expect(
        (await post('redaktion', `/intern/angebote/${presence.id}/schliessen`, { grund: p, bestaetigt: '1' })).status,
      ).toBe(303);
      triedFields++;
      await get('redaktion', `/intern/angebote/${presence.id}?geschlossen=1`);
      await get('admin', `/intern/verwaltung/register/${presence.id}/nachweis`);
      await get('anonymous', `/angebote/${presence.slug}`);
      await get('anonymous', `/pruefen?url=${encodeURIComponent(presence.url)}`);
    }
    await get('admin', '/intern/verwaltung/register?status=closed');
    await get('admin', '/intern/angebote?filter=geschlossen');
    expectClean();
  }, 300_000);

  it('change request form after publication', async () => {
    const fields = [
      'orgUnit',
      'name',
      'url',
      'description',
      'hannoverDeUrl',
      'purpose',
      'targetGroups',
      'topics',
      'postingFrequency',
      'staffedHours',
      'responseTime',
    ];
    for (const p of XSS_PAYLOADS) {
      const body: Record<string, string> = { editor1: p, editor2: 'redaktion2', editorSuche: p };
      for (const f of fields) body[f] = p;
      triedFields += fields.length + 2;
      const res = await post('redaktion', `/intern/angebote/${fixtures.presence41}/aenderung`, body);
      expect(res.status).toBe(400);
      expect(markerCount(res.text)).toBeGreaterThan(0);
      await post('redaktion', `/intern/angebote/${fixtures.presence41}/aenderung`, { ...body, aktion: 'suchen' });
    }
    // a valid change with a payload in the description: the change request's own page
    const valid = await post('redaktion', `/intern/angebote/${fixtures.presence41}/aenderung`, {
      orgUnit: '41.2',
      name: 'Museum August Kestner',
      url: 'https://www.facebook.com/museumaugustkestner',
      description: XSS_PAYLOADS.join(' '),
      hannoverDeUrl: 'https://www.hannover.de/Kultur-Freizeit',
      editor1: 'redaktion',
      editor2: 'redaktion2',
    });
    expect(valid.status, valid.text.slice(0, 500)).toBe(303);
    await get('redaktion', valid.headers.location as string);
    await get('kommunikation', valid.headers.location as string);
    expectClean();
  }, 300_000);

  it('deputies, sign-in and the return path', async () => {
    for (const p of XSS_PAYLOADS) {
      for (const who of ['redaktion', 'admin']) {
        const res = await post(who, '/intern/vertretung', { vertretung: p, von: p, bis: p, fuer: p });
        expect(res.status).toBe(400);
        expect(markerCount(res.text)).toBeGreaterThan(0);
        // the people search and "übernehmen" show what was sent, in the box and in the error
        const searched = await post(who, '/intern/vertretung', {
          vertretungSuche: p,
          aktion: 'suchen',
          von: p,
          bis: p,
        });
        expect(searched.status).toBe(200);
        expect(markerCount(searched.text)).toBeGreaterThan(0);
        const taken = await post(who, '/intern/vertretung', { uebernehmen: p, vertretungSuche: p, von: p, bis: p });
        expect(taken.status).toBe(400);
        expect(markerCount(taken.text)).toBeGreaterThan(0);
      }
      triedFields += 6;
      const signIn = await post('anonymous', '/anmelden', { username: p, password: p, zurueck: p });
      expect(signIn.status).toBe(400);
      await get('anonymous', `/anmelden?zurueck=${encodeURIComponent(p)}`);
      await get('anonymous', `/intern/${encodeURIComponent(p)}`);
      triedFields += 3;
    }
    expectClean();
  }, 120_000);

  it('search fields and query parameters of every page that has them', async () => {
    for (const p of XSS_PAYLOADS) {
      const e = encodeURIComponent(p);
      const publicUrls = [
        `/?q=${e}`,
        `/?q=${e}&plattform=${e}&bereich=${e}&seite=${e}`,
        `/pruefen?url=${e}`,
        `/einbetten?plattform=${e}&bereich=${e}`,
        `/angebote/${e}`,
        `/${e}`,
        `/en/?q=${e}`,
      ];
      for (const url of publicUrls) await get('anonymous', url);
      const json = await a.anonymous!.agent.get(`/pruefen.json?url=${e}`);
      expect(json.status).toBeLessThan(500);
      expect(json.headers['content-type']).toMatch(/json/);
      const staffUrls = [
        `/intern/antraege?stand=${e}`,
        `/intern/angebote?filter=${e}`,
        `/intern/antraege/${fixtures.reqReview}?gespeichert=${e}`,
        `/intern/postausgang?status=${e}&seite=${e}`,
        `/intern/verwaltung/verlauf?person=${e}&aktion=${e}&von=${e}&bis=${e}&praesenz=${e}&antrag=${e}`,
        `/intern/verwaltung/verlauf.csv?person=${e}`,
        `/intern/verwaltung/register?status=${e}&plattform=${e}&einheit=${e}&markiert=${e}`,
        `/intern/verwaltung/ablaeufe/neu?von=${e}`,
        `/intern/verwaltung/ablaeufe/${fixtures.definitionId}?angegeben=${e}`,
        `/intern/verwaltung/organisationseinheiten?gespeichert=${e}`,
      ];
      for (const url of staffUrls) await get('admin', url);
      triedFields += publicUrls.length + staffUrls.length + 1;
    }
    expectClean();
  }, 240_000);

  it('administration forms: units, heads, unit import, platforms, workflows, inventory import', async () => {
    const A = '/intern/verwaltung';
    let n = 0;
    for (const p of XSS_PAYLOADS) {
      n++;
      // unit form, all fields (error state), then a valid unit whose name is the payload
      const bad = await post('admin', `${A}/organisationseinheiten/neu`, {
        code: p,
        name: p,
        kurzname: p,
        art: p,
        oberhalb: p,
        hannoverDe: p,
        reihenfolge: p,
      });
      expect(bad.status).toBe(400);
      const created = await post('admin', `${A}/organisationseinheiten/neu`, {
        code: `XSS${n}`,
        name: p,
        kurzname: p,
        art: 'bereich',
        oberhalb: '41',
        hannoverDe: '',
        reihenfolge: '0',
      });
      expect(created.status, created.text.slice(0, 500)).toBe(303);
      await get('admin', created.headers.location as string);
      await post('admin', `${(created.headers.location as string).split('?')[0]}/leitung`, { leitung: p, funktion: p });
      await post('admin', `${(created.headers.location as string).split('?')[0]}/leitung/entfernen`, { uid: p });
      // unit CSV import (dry run shows every cell)
      await post('admin', `${A}/organisationseinheiten/import`, {
        csv: `code;name;kind;parent_code;hannover_de_url\nXI${n};${p.replace(/[;\n"]/g, ' ')};stelle;;\n${p.replace(/[;\n"]/g, ' ')};x;${p.replace(/[;\n"]/g, ' ')};;\n`,
      });
      // platform rules: error state and preview with the payload as sample
      await post('admin', `${A}/plattformen/instagram`, { aktion: 'vorschau', hosts: p, regeln: p, beispiel: p });
      await post('admin', `${A}/plattformen/instagram`, {
        aktion: 'vorschau',
        hosts: 'instagram.com\nwww.instagram.com',
        regeln: '',
        beispiel: p,
      });
      await post('admin', `${A}/plattformen/instagram`, { aktion: p, hosts: p });
      // workflow upload: not YAML, and YAML whose texts are the payload
      await post('admin', `${A}/ablaeufe/neu`, { definition: p });
      await post('admin', `${A}/ablaeufe/neu`, {
        definition: `key: ${JSON.stringify(p)}\nversion: 1\nname:\n  de: ${JSON.stringify(p)}\n  en: ${JSON.stringify(p)}\nsteps: []\n`,
      });
      // inventory import: payloads in the cells (dry run lists the rows and their problems)
      const cell = p.replace(/[;\n"]/g, ' ');
      const dry = await post('admin', `${A}/import/pruefen`, {
        csv: `unit_code;platform;name;url;description;hannover_de_url;existing_since;editors;author\n41;facebook;${cell};https://www.facebook.com/xss.import.${n};${cell};https://www.hannover.de/Kultur-Freizeit;2019-05-01;redaktion redaktion2;\n${cell};${cell};${cell};${cell};${cell};${cell};${cell};${cell};${cell}\n`,
      });
      expect(markerCount(dry.text), 'the dry run shows the cells').toBeGreaterThan(0);
      triedFields += 7 + 2 + 2 + 4 + 3 + 2 + 9;
    }
    for (const url of [
      `${A}/organisationseinheiten`,
      `${A}/rollen`,
      `${A}/verlauf`,
      `${A}/ablaeufe`,
      `${A}/plattformen`,
      '/intern/antraege/neu',
    ]) {
      const res = await get('admin', url);
      if (url.endsWith('organisationseinheiten') || url.endsWith('/neu'))
        expect(markerCount(res.text), url).toBeGreaterThan(0);
    }
    // a clean import into the units named with payloads: the public overview groups by them
    const rows = XSS_PAYLOADS.map(
      (p, i) =>
        `XSS${i + 1};facebook;${p.replace(/[;\n"]/g, ' ')};https://www.facebook.com/xss.unit.${i};${p.replace(/[;\n"]/g, ' ')};https://www.hannover.de/Kultur-Freizeit;2019-05-01;redaktion redaktion2;`,
    );
    const dry = await post('admin', `${A}/import/pruefen`, {
      csv: `unit_code;platform;name;url;description;hannover_de_url;existing_since;editors;author\n${rows.join('\n')}\n`,
    });
    const token = /name="token" value="([^"]+)"/.exec(dry.text)?.[1];
    expect(
      token,
      dry.text
        .replace(/<[^>]+>/g, ' ')
        .replace(/\s+/g, ' ')
        .slice(0, 6000),
    ).toBeTruthy();
    const done = await post('admin', `${A}/import/ausfuehren`, { token: token as string });
    expect(done.status, done.text.slice(0, 1000)).toBe(303);
    await get('admin', done.headers.location as string);
    // imported rows are requests waiting for step 1: their pages and the head's task list
    const imported = await ctx.database.db('requests').whereRaw("data->>'url' like ?", ['%xss.unit.%']).pluck('id');
    expect(imported).toHaveLength(XSS_PAYLOADS.length);
    for (const id of imported.slice(0, 5)) await get('leitung', `/intern/antraege/${id}`);
    await get('leitung', '/intern');
    // presences in the units named with payloads (straight into the register): the public side groups by unit
    for (let i = 1; i <= XSS_PAYLOADS.length; i++)
      await presenceFixture(ctx, `XSS${i}`, ['redaktion'], `Angebot ${XSS_MARK}-${i}`);
    for (const url of ['/', '/en', '/einbetten', '/?bereich=XSS1', '/?q=XSS2']) {
      const res = await get('anonymous', url);
      if (url === '/') expect(markerCount(res.text)).toBeGreaterThan(XSS_PAYLOADS.length);
    }
    expectClean();
  }, 300_000);

  it('a workflow version whose step names are the payload: shown escaped in the administration and on requests', async () => {
    const A = '/intern/verwaltung';
    const form = await get('admin', `${A}/ablaeufe/neu?von=${fixtures.definitionId}`);
    const yamlText = /<textarea[^>]*name="definition"[^>]*>([\s\S]*?)<\/textarea>/.exec(form.text)?.[1];
    expect(yamlText, 'the upload form offers the current definition as YAML').toBeTruthy();
    const decoded = (yamlText as string)
      .replace(/&#39;/g, "'")
      .replace(/&quot;|&#34;/g, '"')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&')
      .replace(/^\n/, '');
    let replaced = 0;
    const withPayload = decoded.replace(
      /^(\s+de:\s*).*$/gm,
      (_m, lead: string) => `${lead}${JSON.stringify(XSS_PAYLOADS[replaced++ % XSS_PAYLOADS.length])}`,
    );
    expect(replaced).toBeGreaterThan(0);
    const res = await post('admin', `${A}/ablaeufe/neu`, { definition: withPayload });
    expect(res.status, res.text.slice(0, 1500)).toBe(303);
    await get('admin', res.headers.location as string);
    await get('admin', `${A}/ablaeufe`);
    // a request filed now runs on the new version: its page shows the step names
    const filed = await post('redaktion', '/intern/antraege/neu', {
      ...validForm({ url: 'https://www.facebook.com/xss.workflow' }),
      aktion: 'einreichen',
    });
    expect(filed.status).toBe(303);
    const page = await get('leitung', filed.headers.location as string);
    expect(markerCount(page.text)).toBeGreaterThan(0);
    await get('leitung', '/intern');
    triedFields += replaced;
    expectClean();
  }, 120_000);
});
