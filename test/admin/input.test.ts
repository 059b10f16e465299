import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/app';
import { signIn } from '../helpers/http';
import { seedDemoUnits } from '../../src/demo/org-units';
import { LIMITS } from '../../src/limits';
import { post, text, tokenOf, type Agent } from './helpers';

/**
 * The administration's input pipeline as an administrator meets it (issue 11 point 3): every
 * form and query string read by a zod schema that owns its limits and messages. Typed fields
 * come back with every entry kept and every error named; controls and links that no page
 * sends are a friendly 400 or 404 page, never a 500; notices after odd links show nothing.
 */
let ctx: TestContext;
let admin: Agent;
beforeAll(async () => {
  ctx = await createTestContext();
  await seedDemoUnits(ctx.database.db);
  admin = await signIn(ctx.app, 'admin');
});
afterAll(() => ctx.close());

const A = '/intern/verwaltung';

/** A friendly error page: the given status, the portal's layout, no stack trace. */
function expectFriendly(res: { status: number; text: string }, status: number, what: string) {
  expect(res.status, what).toBe(status);
  expect(res.text, what).toContain('<html');
  expect(res.text, what).not.toMatch(/at .+\.ts:\d+/);
}

/** POSTs a raw urlencoded body (repeated fields) with the session's CSRF token. */
async function postRaw(url: string, body: string) {
  return admin
    .post(url)
    .type('form')
    .send(`_csrf=${encodeURIComponent(await tokenOf(admin))}&${body}`);
}

const count = async (table: string) => Number((await ctx.database.db(table).count({ n: '*' }).first())?.n);

describe('platforms', () => {
  it('names an over-long host list and sample address with their limits, keeps every entry, saves nothing', async () => {
    const before = await ctx.database.db('platforms').where({ key: 'instagram' }).first();
    const hosts = `instagram.com\n${'h'.repeat(LIMITS.platformHosts)}`;
    const sample = `https://instagram.com/${'a'.repeat(LIMITS.url)}`;
    const rules = '{ "patterns": [] }';
    const res = await post(
      admin,
      `${A}/plattformen/instagram`,
      { hosts, regeln: rules, beispiel: sample, aktion: 'vorschau' },
      `${A}/plattformen/instagram`,
    );
    expect(res.status).toBe(400);
    const page = text(res.text);
    expect(res.text).toContain('href="#feld-hosts"');
    expect(res.text).toContain('href="#feld-beispiel"');
    expect(page).toContain(`Höchstens ${LIMITS.platformHosts} Zeichen.`);
    expect(page).toContain(`Höchstens ${LIMITS.url} Zeichen.`);
    // the summary follows the form's order: hosts before the sample
    expect(res.text.indexOf('href="#feld-hosts"')).toBeLessThan(res.text.indexOf('href="#feld-beispiel"'));
    expect(page).toContain(hosts);
    expect(page).toContain(sample);
    expect(page).toContain(rules);
    expect(await ctx.database.db('platforms').where({ key: 'instagram' }).first()).toEqual(before);
  });

  it('answers buttons and checkboxes no page sends, and repeated fields, with a 400 page', async () => {
    const form = { hosts: 'instagram.com', regeln: '{}', beispiel: '' };
    expectFriendly(
      await post(admin, `${A}/plattformen/instagram`, { ...form, aktion: 'speichern', trotzdem: 'vielleicht' }),
      400,
      'trotzdem=vielleicht',
    );
    expectFriendly(
      await postRaw(`${A}/plattformen/instagram`, 'aktion=vorschau&hosts=a.com&hosts=b.com&regeln=%7B%7D'),
      400,
      'hosts twice',
    );
    expectFriendly(
      await post(admin, `${A}/plattformen/instagram/freigabe`, { freigegeben: 'ja', bestaetigt: 'ja bitte' }),
      400,
      'bestaetigt=ja bitte',
    );
  });

  it('shows a notice only for the links its own redirects make', async () => {
    const enabled = 'Die Plattform ist freigegeben';
    expect(text((await admin.get(`${A}/plattformen?freigegeben=instagram`).expect(200)).text)).toContain(enabled);
    for (const odd of ['?freigegeben=%3Cscript%3E', '?freigegeben[]=x', '?freigegeben=a&freigegeben=b', '?gesperrt=']) {
      const res = await admin.get(`${A}/plattformen${odd}`);
      expect(res.status, odd).toBe(200);
      expect(text(res.text), odd).not.toMatch(/Die Plattform ist (freigegeben und|gesperrt\.)/);
    }
    const saved = 'Die Änderungen wurden gespeichert.';
    expect(text((await admin.get(`${A}/plattformen/facebook?gespeichert=1`).expect(200)).text)).toContain(saved);
    expect(text((await admin.get(`${A}/plattformen/facebook?gespeichert=ja`).expect(200)).text)).not.toContain(saved);
  });
});

describe('workflow definitions', () => {
  it('refuses a definition over its limit with the limit named and the text kept, storing nothing', async () => {
    const versions = await count('workflow_definitions');
    const definition = `key: dienstanweisung\n# ${'x'.repeat(LIMITS.workflowDefinition)}\n`;
    const res = await post(admin, `${A}/ablaeufe/neu`, { definition }, `${A}/ablaeufe/neu`);
    expect(res.status).toBe(400);
    expect(res.text).toContain('href="#feld-definition"');
    expect(text(res.text)).toContain(`Höchstens ${LIMITS.workflowDefinition} Zeichen.`);
    expect(text(res.text)).toContain(definition.trim());
    expect(await count('workflow_definitions')).toBe(versions);
  });

  it('reads the notice parameters of its own redirect and ignores odd ones', async () => {
    const created = (res: { text: string }) => res.text.includes('data-testid="created"');
    const renumbered = (res: { text: string }) => text(res.text).includes('In der Datei stand Fassung');
    const plain = await admin.get(`${A}/ablaeufe/1?neu=1`).expect(200);
    expect(created(plain)).toBe(true);
    expect(renumbered(plain)).toBe(false);
    expect(renumbered(await admin.get(`${A}/ablaeufe/1?neu=1&angegeben=7`).expect(200))).toBe(true);
    for (const odd of ['?neu=ja', '?neu=1&neu=1', '?angegeben=x&neu=1', '?angegeben[]=1']) {
      const res = await admin.get(`${A}/ablaeufe/1${odd}`);
      expect(res.status, odd).toBe(200);
      expect(renumbered(res), odd).toBe(false);
    }
    expect(created(await admin.get(`${A}/ablaeufe/1?neu=ja`))).toBe(false);
    // "new version from": an id of no version is a page that does not exist; a repeated one a malformed link
    expectFriendly(await admin.get(`${A}/ablaeufe/neu?von=999999`), 404, 'von=999999');
    expectFriendly(await admin.get(`${A}/ablaeufe/neu?von=1&von=2`), 400, 'von twice');
  });
});

describe('roles', () => {
  it('lists the role holders and unit heads that the role service reads, in German and English', async () => {
    await ctx.database.db('people').insert({
      uid: 'neu.pruefer',
      name: 'Neu Prüfer*in',
      unit: '41',
      roles: JSON.stringify(['data_protection']),
      seen_at: new Date(),
    });
    for (const prefix of ['', '/en']) {
      const res = await admin.get(`${prefix}${A}/rollen`).expect(200);
      expect(res.text).toMatch(/data-role="data_protection"[\s\S]*?data-holder="neu.pruefer"/);
      expect(res.text).toContain('data-head="leitung" data-unit="41"');
    }
  });
});

describe('bulk import', () => {
  it('answers an unknown, malformed or repeated token with 404 or 400, never 500', async () => {
    expectFriendly(await post(admin, `${A}/import/ausfuehren`, { token: 'c'.repeat(32) }), 404, 'unknown token');
    expectFriendly(await post(admin, `${A}/import/ausfuehren`, { token: '../../etc' }), 404, 'malformed token');
    expectFriendly(await postRaw(`${A}/import/ausfuehren`, `token=${'c'.repeat(32)}&token=x`), 400, 'token twice');
    expectFriendly(await postRaw(`${A}/import/pruefen`, 'csv=a&csv=b'), 400, 'csv twice');
    expectFriendly(
      await postRaw(`${A}/organisationseinheiten/import/ausfuehren`, 'token=a&token=b'),
      400,
      'unit token twice',
    );
    expectFriendly(await admin.get(`${A}/import/ergebnis/${'d'.repeat(32)}`), 404, 'no such result');
    expectFriendly(await admin.get(`${A}/import/ergebnis/%3Cx%3E`), 404, 'malformed result token');
  });
});

describe('history', () => {
  it('names an over-long person and action with their column limits and keeps every entry', async () => {
    const person = 'p'.repeat(LIMITS.uid + 1);
    const action = 'a'.repeat(LIMITS.historyAction + 1);
    const res = await admin.get(`${A}/verlauf?person=${person}&aktion=${action}&antrag=12`);
    expect(res.status).toBe(400);
    const page = text(res.text);
    expect(page).toContain(`Höchstens ${LIMITS.uid} Zeichen.`);
    expect(page).toContain(`Höchstens ${LIMITS.historyAction} Zeichen.`);
    expect(res.text.indexOf('href="#feld-person"')).toBeLessThan(res.text.indexOf('href="#feld-aktion"'));
    for (const value of [person, action, '12']) expect(res.text).toContain(`value="${value}"`);
    // the same filter as a download is refused too, not run
    expect((await admin.get(`${A}/verlauf.csv?aktion=${action}`)).status).toBe(400);
  });

  it('answers a page number or a parameter no link makes with the 400 page', async () => {
    for (const odd of [
      '?seite=abc',
      '?seite=0',
      '?seite=1&seite=2',
      '?person=a&person=b',
      '?von=2026-01-01&von=2026-01-02',
    ])
      expectFriendly(await admin.get(`${A}/verlauf${odd}`), 400, odd);
    expect((await admin.get(`${A}/verlauf?seite=1&unbekannt=1`)).status).toBe(200);
  });
});

describe('units and register', () => {
  it('names an over-long head id and an unknown function, keeping both entries', async () => {
    const leitung = 'x'.repeat(LIMITS.uid + 1);
    const res = await post(admin, `${A}/organisationseinheiten/1/leitung`, { leitung, funktion: 'chef' });
    expect(res.status).toBe(400);
    expect(text(res.text)).toContain(`Höchstens ${LIMITS.uid} Zeichen.`);
    expect(text(res.text)).toContain('Wählen Sie Leitung oder Vertretung.');
    expect(res.text).toContain(`value="${leitung}"`);
  });

  it('refuses register filters no select box offers with a 400 page', async () => {
    for (const odd of ['?markiert=2', '?status=', '?plattform=Facebook', `?einheit=${'9'.repeat(41)}`, '?seite=x'])
      expect((await admin.get(`${A}/register${odd}`)).status, odd).toBe(odd === '?status=' ? 200 : 400);
    expectFriendly(await admin.get(`${A}/register.csv?markiert=ja`), 400, 'csv markiert=ja');
  });
});
