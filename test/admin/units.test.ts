import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/app';
import { signIn } from '../helpers/http';
import { seedDemoUnits } from '../../src/demo/org-units';
import { expectRedirect, post, text, type Agent } from './helpers';
import { LIMITS } from '../../src/limits';

let ctx: TestContext;
let admin: Agent;
beforeAll(async () => {
  ctx = await createTestContext();
  await seedDemoUnits(ctx.database.db);
  admin = await signIn(ctx.app, 'admin');
});
afterAll(() => ctx.close());

const db = () => ctx.database.db;
const unit = (code: string) => db()('org_units').where({ code }).first();
const historyOf = async (id: number) =>
  db()('history')
    .where({ entity_type: 'org_unit', entity_id: String(id) })
    .orderBy('id');
const U = '/intern/verwaltung/organisationseinheiten';

const form = (overrides: Record<string, string> = {}) => ({
  code: '41.9',
  name: 'Kulturbüro',
  kurzname: '',
  art: 'bereich',
  oberhalb: '41',
  hannoverDe: 'https://www.hannover.de/Kultur-Freizeit',
  reihenfolge: '5',
  ...overrides,
});

describe('organisational units', () => {
  it('shows the tree with nested units, heads and retired units', async () => {
    const res = await admin.get(U).expect(200);
    expect(res.text).toContain('data-testid="unit-tree"');
    // Fachbereich Kultur (41) sits below Dezernat IV, Sprengel Museum below 41
    expect(res.text).toMatch(
      /data-unit="IV" data-depth="0"[\s\S]*data-unit="41" data-depth="1"[\s\S]*data-unit="41.4" data-depth="2"/,
    );
    expect(res.text).toContain('Dr. Andrea Lange');
  });

  it('creates a unit, with every error named and every entry kept when the form is wrong', async () => {
    const bad = await post(
      admin,
      `${U}/neu`,
      form({
        code: '41 9',
        name: '',
        art: 'abteilung',
        oberhalb: 'XX',
        hannoverDe: 'https://hannover.evil.de/x',
        reihenfolge: 'zwei',
      }),
    );
    expect(bad.status).toBe(400);
    const page = text(bad.text);
    for (const message of [
      'Die Kennung besteht aus höchstens 40 Buchstaben',
      'Geben Sie den Namen an.',
      'Wählen Sie die Art der Organisationseinheit.',
      'Diese übergeordnete Einheit gibt es nicht.',
      'Geben Sie eine vollständige Adresse auf hannover.de an.',
      'Geben Sie eine ganze Zahl an.',
    ])
      expect(page).toContain(message);
    for (const field of ['code', 'name', 'art', 'oberhalb', 'hannoverDe', 'reihenfolge']) {
      expect(bad.text).toContain(`href="#feld-${field}"`); // error summary
      expect(bad.text).toContain(`id="feld-${field}-fehler"`); // next to the field
    }
    expect(bad.text).toContain('value="41 9"');
    expect(bad.text).toContain('value="zwei"');
    expect(await unit('41 9')).toBeUndefined();

    const taken = await post(admin, `${U}/neu`, form({ code: '41' }));
    expect(taken.status).toBe(400);
    expect(text(taken.text)).toContain('Die Kennung „41“ ist bereits vergeben.');

    const ok = await post(admin, `${U}/neu`, form());
    expectRedirect(ok, /\/intern\/verwaltung\/organisationseinheiten\/\d+\?gespeichert=1/);
    const created = await unit('41.9');
    expect(created).toMatchObject({
      name: 'Kulturbüro',
      kind: 'bereich',
      parent_id: (await unit('41')).id,
      sort_order: 5,
    });
    const history = await historyOf(created.id);
    expect(history.map((h) => h.action)).toEqual(['org_unit.created']);
    expect(history[0]).toMatchObject({ actor_uid: 'admin', actor_name: 'Sascha Wolff' });
    expect(history[0].changes.name).toEqual({ before: null, after: 'Kulturbüro' });
  });

  it('refuses a name and a short name longer than their columns, names both limits and keeps every entry', async () => {
    const name = `Kulturbüro ${'x'.repeat(LIMITS.name)}`;
    const kurzname = 'K'.repeat(LIMITS.unitShortName + 1);
    const bad = await post(admin, `${U}/neu`, form({ code: '41.99', name, kurzname }));
    expect(bad.status).toBe(400);
    expect(bad.text).toContain(`value="${name}"`);
    expect(bad.text).toContain(`value="${kurzname}"`);
    expect(bad.text).toContain('value="41.99"');
    const page = text(bad.text);
    expect(page).toContain(`Höchstens ${LIMITS.name} Zeichen.`);
    expect(page).toContain(`Höchstens ${LIMITS.unitShortName} Zeichen.`);
    for (const field of ['name', 'kurzname']) expect(bad.text).toContain(`href="#feld-${field}"`);
    // the summary lists the errors in the order of the form
    expect(bad.text.indexOf('href="#feld-name"')).toBeLessThan(bad.text.indexOf('href="#feld-kurzname"'));
    expect(await unit('41.99')).toBeUndefined();
  });

  it('renames and moves a unit, and refuses to move it below itself', async () => {
    const kultur = await unit('41.9');
    const renamed = await post(admin, `${U}/${kultur.id}`, form({ name: 'Kulturbüro Hannover' }));
    expectRedirect(renamed, /gespeichert=1/);
    const moved = await post(admin, `${U}/${kultur.id}`, form({ name: 'Kulturbüro Hannover', oberhalb: '42' }));
    expectRedirect(moved, /gespeichert=1/);
    expect(await unit('41.9')).toMatchObject({ name: 'Kulturbüro Hannover', parent_id: (await unit('42')).id });
    const actions = (await historyOf(kultur.id)).map((h) => h.action);
    expect(actions).toEqual(['org_unit.created', 'org_unit.renamed', 'org_unit.moved']);
    const move = (await historyOf(kultur.id)).at(-1);
    expect(move.changes.parent).toEqual({ before: '41', after: '42' });

    // Dezernat IV below its own grandchild: a loop, refused with the form kept
    const iv = await unit('IV');
    const loop = await post(admin, `${U}/${iv.id}`, {
      code: 'IV',
      name: 'Kultur- und Bildungsdezernat',
      kurzname: '',
      art: 'dezernat',
      oberhalb: '41.9',
      hannoverDe: '',
      reihenfolge: '11',
    });
    expect(loop.status).toBe(400);
    expect(text(loop.text)).toContain('„Kulturbüro Hannover“ liegt unterhalb dieser Einheit');
    expect(loop.text).toContain('href="#feld-oberhalb"');
    expect((await unit('IV')).parent_id).toBeNull();
    const self = await post(admin, `${U}/${iv.id}`, {
      code: 'IV',
      name: 'Kultur- und Bildungsdezernat',
      kurzname: '',
      art: 'dezernat',
      oberhalb: 'IV',
      hannoverDe: '',
      reihenfolge: '11',
    });
    expect(self.status).toBe(400);
    expect((await unit('IV')).parent_id).toBeNull();
  });

  it('adds and removes heads and deputies looked up in the directory', async () => {
    const kultur = await unit('41.9');
    const unknown = await post(admin, `${U}/${kultur.id}/leitung`, { leitung: 'niemand', funktion: 'head' });
    expect(unknown.status).toBe(400);
    expect(text(unknown.text)).toContain('Die Benutzerkennung „niemand“ gibt es im Verzeichnis nicht.');
    expect(unknown.text).toContain('value="niemand"');
    expectRedirect(
      await post(admin, `${U}/${kultur.id}/leitung`, { leitung: 'Redaktion2', funktion: 'deputy' }),
      /leitung=1/,
    );
    expect(await db()('org_unit_heads').where({ org_unit_id: kultur.id })).toEqual([
      { org_unit_id: kultur.id, uid: 'redaktion2', name: 'Kim Nowak', kind: 'deputy' },
    ]);
    const twice = await post(admin, `${U}/${kultur.id}/leitung`, { leitung: 'redaktion2', funktion: 'head' });
    expect(twice.status).toBe(400);
    expectRedirect(await post(admin, `${U}/${kultur.id}/leitung/entfernen`, { uid: 'redaktion2' }), /leitung=1/);
    expect(await db()('org_unit_heads').where({ org_unit_id: kultur.id })).toEqual([]);
    expect((await historyOf(kultur.id)).map((h) => h.action).slice(-2)).toEqual([
      'org_unit.head_added',
      'org_unit.head_removed',
    ]);
  });

  it('retires a unit: it keeps its presences, leaves the request form, and a unit with active sub-units is refused', async () => {
    const kultur = await unit('41');
    const refused = await post(admin, `${U}/${kultur.id}/aufloesen`, { grund: 'Umorganisation' });
    expect(refused.status).toBe(409);
    expect(text(refused.text)).toContain('Die Einheit hat noch aktive Untereinheiten');
    expect(refused.text).toContain('value="Umorganisation"'); // the reason is kept
    // a reason longer than its limit is refused and kept whole, not cut
    const long = `Grund ${'g'.repeat(1000)}`;
    const tooLong = await post(admin, `${U}/${kultur.id}/aufloesen`, { grund: long });
    expect(tooLong.status).toBe(400);
    expect(tooLong.text).toContain(`value="${long}"`);
    expect(text(tooLong.text)).toContain('1000');
    expect((await unit('41')).retired_at).toBeNull();

    const sprengel = await unit('41.4');
    const hde = await db()('presences').where({ slug: 'hannover-de-facebook' }).first();
    await db()('presences').insert({
      slug: 'sprengel-facebook',
      platform_key: 'facebook',
      account_id: 'sprengelmuseum',
      url: 'https://www.facebook.com/sprengelmuseum',
      name: 'Sprengel Museum',
      org_unit_id: sprengel.id,
      status: 'active',
      published_at: new Date(),
    });
    expectRedirect(await post(admin, `${U}/${sprengel.id}/aufloesen`, { grund: 'Umorganisation' }), /aufgeloest=1/);
    expect((await unit('41.4')).retired_at).toBeInstanceOf(Date);
    expect(await db()('presences').where({ slug: 'sprengel-facebook' }).first()).toMatchObject({
      status: 'active',
      org_unit_id: sprengel.id,
    });
    expect(hde).toBeDefined();
    const retired = (await historyOf(sprengel.id)).at(-1);
    expect(retired).toMatchObject({ action: 'org_unit.retired', comment: 'Umorganisation' });

    // the request form no longer offers it, and the tree marks it
    const editor = await signIn(ctx.app, 'redaktion');
    const requestForm = await editor.get('/intern/antraege/neu').expect(200);
    expect(requestForm.text).not.toContain('value="41.4"');
    expect(requestForm.text).toContain('value="41.2"');
    expect((await admin.get(U)).text).toMatch(/unit-tree__item--retired" data-unit="41.4"/);

    // and it can come back
    expectRedirect(await post(admin, `${U}/${sprengel.id}/reaktivieren`, {}), /reaktiviert=1/);
    expect((await unit('41.4')).retired_at).toBeNull();
    expect((await historyOf(sprengel.id)).at(-1).action).toBe('org_unit.reactivated');
  });

  it('refuses to change the code of a unit that requests refer to', async () => {
    const kultur = await unit('41');
    await db()('requests').insert({
      kind: 'new',
      author_uid: 'redaktion',
      author_name: 'Robin Schäfer',
      org_unit_id: kultur.id,
      status: 'draft',
      data: JSON.stringify({ orgUnit: '41' }),
    });
    const res = await post(admin, `${U}/${kultur.id}`, {
      code: '41-neu',
      name: 'Fachbereich Kultur',
      kurzname: '',
      art: 'fachbereich',
      oberhalb: 'IV',
      hannoverDe: 'https://www.hannover.de/Kultur-Freizeit',
      reihenfolge: '12',
    });
    expect(res.status).toBe(400);
    expect(text(res.text)).toContain('Die Kennung kann nicht geändert werden, weil Anträge auf sie verweisen.');
  });
});

describe('importing units from CSV', () => {
  const I = `${U}/import`;

  it('shows a dry run with every problem and writes nothing', async () => {
    const before = await db()('org_units').count({ n: '*' }).first();
    const csv = [
      'code;name;kind;parent_code;hannover_de_url',
      'V;Dezernat V;dezernat;;',
      '50;Fachbereich Soziales;fachbereich;V;https://www.hannover.de/Soziales',
      '50;Doppelt;fachbereich;V;',
      '51;Jugend;abteilung;V;',
      '52;Ohne Eltern;fachbereich;ZZ;',
      'A;Kreis A;amt;B;',
      'B;Kreis B;amt;A;',
      '53;Falsche Seite;amt;V;https://example.org/',
    ].join('\n');
    const res = await post(admin, I, { csv }, I);
    expect(res.status).toBe(400);
    const page = text(res.text);
    expect(page).toContain('Diese Kennung steht schon in Zeile 3.');
    expect(page).toContain('Wählen Sie die Art der Organisationseinheit.');
    expect(page).toContain('Die übergeordnete Einheit „ZZ“ gibt es weder im Register noch in der Datei.');
    expect(page).toContain('Die Zuordnung ergäbe einen Kreis');
    expect(page).toContain('Geben Sie eine vollständige Adresse auf hannover.de an.');
    expect(res.text).not.toContain('name="token"');
    expect(await db()('org_units').count({ n: '*' }).first()).toEqual(before);
  });

  it('imports a clean file after the dry run, parents first, all in one go', async () => {
    const csv =
      '\uFEFFcode,name,kind,parent_code,hannover_de_url\r\n50,Fachbereich Soziales,fachbereich,V,https://www.hannover.de/Soziales\r\nV,Dezernat V,dezernat,,\r\n42,Stadtbibliothek Hannover (neu),fachbereich,IV,https://www.hannover.de/Kultur-Freizeit/Bibliotheken-Archive\r\n';
    const dry = await post(admin, I, { csv }, I);
    expect(dry.status).toBe(200);
    expect(text(dry.text)).toContain('3 Zeilen: 2 neu, 1 geändert, 0 unverändert, 0 mit Problemen.');
    const token = /name="token" value="([^"]+)"/.exec(dry.text)?.[1] ?? '';
    expect(token).not.toBe('');
    expect(await unit('V')).toBeUndefined();

    const done = await post(admin, `${I}/ausfuehren`, { token }, I);
    expectRedirect(done, new RegExp(`/organisationseinheiten/import/${token}$`));
    const result = await admin.get(done.headers.location as string).expect(200);
    expect(text(result.text)).toContain('2 angelegt, 1 geändert, 0 unverändert.');
    expect((await unit('50')).parent_id).toBe((await unit('V')).id);
    expect((await unit('42')).name).toBe('Stadtbibliothek Hannover (neu)');
    const rows = await db()('history').where({ entity_type: 'org_unit' }).whereLike('comment', `CSV ${token}`);
    expect(rows.map((r) => r.action).sort()).toEqual(['org_unit.created', 'org_unit.created', 'org_unit.renamed']);
    // a token works once
    const again = await post(admin, `${I}/ausfuehren`, { token }, I);
    expectRedirect(again, new RegExp(token));
    expect(await db()('org_units').where({ code: 'V' })).toHaveLength(1);
  });
});
