import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Express } from 'express';
import { parse } from 'csv-parse/sync';
import { createTestContext, type TestContext } from '../helpers/app';
import { signIn, submitForm } from '../helpers/http';
import { seedDemoUnits } from '../../src/demo/org-units';
import { IMPORT_CHECK_PATH } from '../../src/admin/routes';
import { validForm } from '../requests/fixtures';
import { expectRedirect, post, text, tokenOf, type Agent } from './helpers';

let ctx: TestContext;
let app: Express;
let admin: Agent;
beforeAll(async () => {
  ctx = await createTestContext();
  await seedDemoUnits(ctx.database.db);
  app = ctx.app; // the real app: the large body limit is its own (src/admin/body.ts)
  admin = await signIn(app, 'admin');
});
afterAll(() => ctx.close());

const db = () => ctx.database.db;
const I = '/intern/verwaltung/import';
const HEADER = 'unit_code;platform;name;url;description;hannover_de_url;existing_since;editors;author';

/** Row counts of everything an import writes: none of them may change on a dry run or a failed import. */
async function footprint() {
  const count = async (table: string) => Number((await db()(table).count({ n: '*' }).first())?.n ?? 0);
  return {
    requests: await count('requests'),
    versions: await count('request_versions'),
    editors: await count('request_editors'),
    instances: await count('workflow_instances'),
    history: await count('history'),
    outbox: await count('outbox'),
    presences: await count('presences'),
  };
}

const dryRun = (csv: string) => post(admin, IMPORT_CHECK_PATH, { csv }, I);
const tokenIn = (html: string) => /name="token" value="([^"]+)"/.exec(html)?.[1];
const problemsOf = (html: string, line: number) => {
  const row =
    new RegExp(`<tr class="kern-table__row" data-line="${line}" data-outcome="problem">([\\s\\S]*?)</tr>`).exec(
      html,
    )?.[1] ?? '';
  return [...row.matchAll(/data-column="([a-z_]+)" data-problem="([a-zA-Z._]+)"/g)].map((m) => `${m[1]}:${m[2]}`);
};

describe('bulk import: documentation and template', () => {
  it('documents the columns and offers a template that reads back', async () => {
    const page = await admin.get(I).expect(200);
    for (const c of [
      'unit_code',
      'platform',
      'name',
      'url',
      'description',
      'hannover_de_url',
      'existing_since',
      'editors',
      'author',
    ]) {
      expect(page.text).toContain(`data-column="${c}"`);
    }
    const template = await admin.get(`${I}/vorlage.csv`).expect(200);
    expect(template.headers['content-type']).toMatch(/text\/csv; charset=utf-8/);
    expect(template.headers['content-disposition']).toMatch(/attachment/);
    expect(template.text.startsWith('\uFEFF')).toBe(true);
    const rows: string[][] = parse(template.text, { delimiter: ';', bom: true });
    expect(rows[0]).toEqual(HEADER.split(';'));
    expect(rows[1]?.[0]).toBe('41');
  });
});

describe('bulk import: the dry run', () => {
  let inFlightId: number;
  beforeAll(async () => {
    const editor = await signIn(ctx.app, 'redaktion');
    const res = await submitForm(editor, '/intern/antraege/neu', '/intern/antraege/neu', {
      ...validForm({ name: 'Museen', url: 'https://www.facebook.com/museen.hannover' }),
      aktion: 'einreichen',
    });
    expect(res.status).toBe(303);
    inFlightId = Number(/(\d+)/.exec(res.headers.location as string)?.[1]);
  });

  it('shows every problem of every row, with BOM and semicolons, and writes nothing', async () => {
    const before = await footprint();
    const csv = [
      `\uFEFF${HEADER}`,
      '41;facebook;Kulturbüro Hannover;https://www.facebook.com/kulturbuero.hannover;"Veranstaltungen; Förderung";https://www.hannover.de/Kultur-Freizeit;2019-05-01;redaktion redaktion2;',
      '41.2;facebook;Kulturbüro doppelt;facebook.com/Kulturbuero.Hannover/about;;;;redaktion|redaktion2;',
      '99;facebook;Unbekannte Einheit;https://www.facebook.com/unbekannt.einheit;;;;redaktion redaktion2;',
      '41;instagram;Gesperrte Plattform;https://www.instagram.com/kultur.hannover;;;;redaktion redaktion2;',
      '41;facebook;Doppelgänger;https://www.faceb00k.com/kultur.hannover;;;;redaktion redaktion2;',
      '41;facebook;Schon eingetragen;https://m.facebook.com/Hannover.de/;;;;redaktion redaktion2;',
      '41;facebook;Unbekannte Redaktion;https://www.facebook.com/unbekannte.redaktion;;;;redaktion|niemand.da;',
      ';facebook;;;;;;redaktion;',
      '41;facebook;Läuft schon;https://www.facebook.com/museen.hannover;;;;redaktion redaktion2;',
      '41;facebook;Zukunft;https://www.facebook.com/zukunft.hannover;;https://www.hannover.example/;2099-01-01;redaktion redaktion2;unbekannt',
      '41;tiktok;Fremde Plattform;https://www.tiktok.com/@hannover;;;;redaktion redaktion2;',
    ].join('\r\n');
    const res = await dryRun(csv);
    expect(res.status).toBe(400);
    const html = res.text;
    expect(html).toContain('data-rows="11" data-problems="10"');
    expect(text(html)).toContain('10 Zeilen haben Probleme');
    expect(problemsOf(html, 2)).toEqual([]);
    expect(html).toContain('data-line="2" data-outcome="ok"');
    expect(problemsOf(html, 3)).toEqual(['url:admin.import.problem.duplicateRow']);
    expect(problemsOf(html, 4)).toEqual(['unit_code:admin.import.problem.unitUnknown']);
    expect(problemsOf(html, 5)).toEqual(['platform:admin.import.problem.platformDisabled']);
    expect(problemsOf(html, 6)).toEqual(['url:admin.import.problem.url.host_not_allowed']);
    expect(problemsOf(html, 7)).toEqual(['url:admin.import.problem.urlRegistered']);
    expect(problemsOf(html, 8)).toEqual(['editors:admin.import.problem.editorUnknown']);
    expect(problemsOf(html, 9)).toEqual([
      'unit_code:admin.import.problem.unitMissing',
      'name:admin.import.problem.nameMissing',
      'url:admin.import.problem.urlMissing',
      'editors:admin.import.problem.editorsTooFew',
    ]);
    expect(problemsOf(html, 10)).toEqual(['url:admin.import.problem.urlInFlight']);
    expect(problemsOf(html, 11)).toEqual([
      'hannover_de_url:admin.import.problem.hannoverDe',
      'existing_since:admin.import.problem.dateFuture',
      'author:admin.import.problem.authorUnknown',
    ]);
    expect(problemsOf(html, 12)).toEqual(['platform:admin.import.problem.platformUnknown']);
    const page = text(html);
    expect(page).toContain('Dasselbe Konto steht schon in Zeile 2.');
    expect(page).toContain('Eine Organisationseinheit „99“ gibt es nicht.');
    expect(page).toContain('Die Plattform Instagram ist nicht freigegeben.');
    expect(page).toContain('Das ist keine Adresse von Facebook');
    expect(page).toContain('Dieses Konto ist bereits im Register eingetragen („Hannover.de“');
    expect(page).toContain('Die Redakteur*in „niemand.da“ gibt es im Verzeichnis nicht.');
    expect(page).toContain(`Für dieses Konto läuft bereits ein Antrag (Nr. ${inFlightId}).`);
    expect(page).toContain('wird Antrag für Fachbereich Kultur, Redaktion: Robin Schäfer, Kim Nowak');
    // the form comes back with the CSV, and there is nothing to confirm
    expect(page).toContain('Veranstaltungen; Förderung');
    expect(tokenIn(html)).toBeUndefined();
    expect(html).toContain('href="#feld-csv"');
    expect(await footprint()).toEqual(before);
    expect(await db()('admin_uploads')).toEqual([]);
  });

  it("names the person named twice in a row's editors", async () => {
    const res = await dryRun(
      [HEADER, '41;facebook;Doppelt;https://www.facebook.com/doppelt.benannt;;;;redaktion redaktion2 redaktion2;'].join(
        '\n',
      ),
    );
    expect(res.status).toBe(400);
    expect(problemsOf(res.text, 2)).toEqual(['editors:admin.import.problem.editorsDuplicate']);
    expect(text(res.text)).toContain('Kim Nowak ist doppelt als Redakteur*in genannt.');
  });

  it('refuses Windows-1252 bytes with a clear message', async () => {
    const csv = `${HEADER}\r\n41;facebook;Kulturbüro Mitte;https://www.facebook.com/kulturbuero.mitte;Für alle;;;redaktion redaktion2;\r\n`;
    const latin1 = [...Buffer.from(csv, 'latin1')]
      .map((b) => `%${b.toString(16).padStart(2, '0').toUpperCase()}`)
      .join('');
    const token = await tokenOf(admin, I);
    const res = await admin
      .post(IMPORT_CHECK_PATH)
      .type('form')
      .send(`_csrf=${encodeURIComponent(token)}&csv=${latin1}`);
    expect(res.status).toBe(400);
    expect(text(res.text)).toContain('Die Datei ist nicht in UTF-8 gespeichert (vermutlich Windows-1252 oder Latin-1');
    expect(res.text).toContain('href="#feld-csv"');

    // the same file already mangled on the way (replacement characters) or read the wrong way round
    const replaced = await dryRun(csv.replace('ü', '\uFFFD'));
    expect(text(replaced.text)).toContain('nicht in UTF-8 gespeichert');
    const mojibake = await dryRun(Buffer.from(csv, 'utf8').toString('latin1'));
    expect(text(mojibake.text)).toContain('falsch umgewandelte Umlaute (zum Beispiel „Ã¼“)');

    // the same bytes as UTF-8 are fine
    const utf8 = [...Buffer.from(csv, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0').toUpperCase()}`).join('');
    const ok = await admin
      .post(IMPORT_CHECK_PATH)
      .type('form')
      .send(`_csrf=${encodeURIComponent(token)}&csv=${utf8}`);
    expect(ok.status).toBe(200);
    expect(text(ok.text)).toContain('Kulturbüro Mitte');
  });

  it('names problems of the file itself: header, size, rows, quotes', async () => {
    const missing = await dryRun('unit_code,platform,name\n41,facebook,x\n');
    expect(text(missing.text)).toContain('In der Kopfzeile fehlen Spalten: url, editors.');
    const unknown = await dryRun(`${HEADER};farbe\n41;facebook;x;https://www.facebook.com/x.y.z;;;;a b;;rot\n`);
    expect(text(unknown.text)).toContain('Unbekannte Spalten in der Kopfzeile: farbe.');
    const quotes = await dryRun(`${HEADER}\n41;facebook;"kaputt;https://www.facebook.com/kaputt;;;;a b;\n`);
    expect(text(quotes.text)).toMatch(/Die CSV-Daten sind in Zeile \d+ fehlerhaft/);
    const empty = await dryRun(`${HEADER}\n`);
    expect(text(empty.text)).toContain('Die CSV-Daten sind leer oder enthalten nur die Kopfzeile.');
    const tooMany = await dryRun(`${HEADER}\n${'41;facebook;n;u;;;;a b;\n'.repeat(10_001)}`);
    expect(text(tooMany.text)).toContain(
      'Die CSV-Daten haben 10001 Zeilen; höchstens 10000 sind in einem Import möglich.',
    );
    const tooLarge = await dryRun(`${HEADER}\n41;facebook;n;u;${'x'.repeat(5 * 1_048_576)};;;a b;\n`);
    expect(text(tooLarge.text)).toContain('Die CSV-Daten sind größer als 5 MB.');
  });
});

describe('bulk import: all or nothing', () => {
  const small = (prefix: string, n = 3) =>
    [
      HEADER,
      ...Array.from(
        { length: n },
        (_, i) =>
          `41;facebook;${prefix} ${i + 1};https://www.facebook.com/${prefix}.${i + 1};;https://www.hannover.de/Kultur-Freizeit;01.05.2019;redaktion redaktion2;`,
      ),
    ].join('\n');

  it('imports nothing when the register changed between the dry run and the confirmation', async () => {
    const dry = await dryRun(small('wechsel'));
    expect(dry.status).toBe(200);
    const token = tokenIn(dry.text) ?? '';
    // meanwhile somebody registers the account of row 3
    const unit = await db()('org_units').where({ code: '41' }).first();
    await db()('presences').insert({
      slug: 'wechsel-3',
      platform_key: 'facebook',
      account_id: 'wechsel.3',
      url: 'https://www.facebook.com/wechsel.3',
      name: 'Wechsel 3',
      org_unit_id: unit.id,
      status: 'active',
    });
    const before = await footprint();
    const res = await post(admin, `${I}/ausfuehren`, { token }, I);
    expect(res.status).toBe(409);
    expect(text(res.text)).toContain('Seit dem Probelauf hat sich das Register geändert');
    expect(problemsOf(res.text, 4)).toEqual(['url:admin.import.problem.urlRegistered']);
    expect(await footprint()).toEqual(before);
  });

  it('asks for a new dry run when the confirmation comes more than a day later', async () => {
    const dry = await dryRun(small('spaet', 1));
    const token = tokenIn(dry.text) ?? '';
    const before = await footprint();
    const now = ctx.clock.now;
    ctx.clock.advance(25 * 60 * 60 * 1000);
    try {
      // a day later yesterday's sign-in has ended (maximum session lifetime): the administrator signs in again
      const later = await signIn(app, 'admin');
      const res = await post(later, `${I}/ausfuehren`, { token }, I);
      expect(res.status).toBe(409);
      expect(text(res.text)).toContain('Der Probelauf ist älter als einen Tag.');
      expect(await footprint()).toEqual(before);
    } finally {
      ctx.clock.set(now);
    }
  });

  it('rolls everything back when a row fails while the import runs', async () => {
    const dry = await dryRun(small('abbruch', 5));
    const token = tokenIn(dry.text) ?? '';
    expect(token).not.toBe('');
    // a database failure at the fourth row, after the first rows were written
    await db().raw(`CREATE FUNCTION test_fail_import() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.action = 'request.imported' AND NEW.comment LIKE '%line 5' THEN RAISE EXCEPTION 'simulated failure'; END IF;
  RETURN NEW;
END $$`);
    await db().raw(
      'CREATE TRIGGER test_fail_import BEFORE INSERT ON history FOR EACH ROW EXECUTE FUNCTION test_fail_import()',
    );
    const before = await footprint();
    const failed = await post(admin, `${I}/ausfuehren`, { token }, I);
    expect(failed.status).toBe(500);
    expect(text(failed.text)).toContain('Der Import ist fehlgeschlagen; es wurde nichts übernommen.');
    expect(text(failed.text)).toContain('abbruch 5'); // the CSV comes back
    expect(await footprint()).toEqual(before);
    expect((await db()('admin_uploads').where({ token }).first()).consumed_at).toBeNull();

    // fixed: the same confirmation now goes through, once
    await db().raw('DROP TRIGGER test_fail_import ON history');
    await db().raw('DROP FUNCTION test_fail_import()');
    const done = await post(admin, `${I}/ausfuehren`, { token }, I);
    expectRedirect(done, new RegExp(`/import/ergebnis/${token}$`));
    expect((await footprint()).requests).toBe(before.requests + 5);
    // a second click shows the result again instead of importing twice
    const again = await post(admin, `${I}/ausfuehren`, { token }, I);
    expectRedirect(again, new RegExp(`/import/ergebnis/${token}$`));
    expect((await footprint()).requests).toBe(before.requests + 5);
  });
});

describe('bulk import: 5,000 rows', () => {
  const UNITS = ['41', '41.2', '41.4', '42', '37', '67.4'];
  const rows = 5000;
  const csv = [
    HEADER,
    ...Array.from({ length: rows }, (_, i) => {
      const n = String(i + 1).padStart(4, '0');
      return `${UNITS[i % UNITS.length]};facebook;Bestand ${n};https://www.facebook.com/bestand.${n};Übernommener Auftritt Nr. ${n} aus der Bestandsliste des Presseamts;https://www.hannover.de/Kultur-Freizeit;2018-03-0${(i % 9) + 1};redaktion redaktion2;${i % 2 ? 'redaktion' : ''}`;
    }),
  ].join('\r\n');

  it('takes large bodies only on the import paths: other forms keep the 200 kB limit (413, a friendly page)', async () => {
    const res = await post(
      admin,
      '/intern/verwaltung/ablaeufe/neu',
      { definition: csv },
      '/intern/verwaltung/ablaeufe/neu',
    );
    expect(res.status).toBe(413);
    expect(text(res.text)).toContain('Die Datei ist zu groß');
  });

  it('reads a large body only for an administrator: anyone else gets the usual 200 kB limit', async () => {
    const editor = await signIn(app, 'redaktion');
    const res = await post(editor, IMPORT_CHECK_PATH, { csv }, '/intern');
    expect(res.status).toBe(413);
    expect(text(res.text)).toContain('Die Datei ist zu groß');
    expect(text(res.text)).not.toContain('Bestand 0001');
  });

  it('imports in one transaction: every row a request of kind "existing" waiting at the unit head', async () => {
    const before = await footprint();
    const started = Date.now();
    const dry = await dryRun(csv);
    const dryMs = Date.now() - started;
    expect(dry.status, text(dry.text).slice(0, 3000)).toBe(200);
    expect(dry.text).toContain(`data-rows="${rows}" data-problems="0"`);
    const token = tokenIn(dry.text) ?? '';
    expect(await footprint()).toEqual(before);

    const confirmStarted = Date.now();
    const done = await post(admin, `${I}/ausfuehren`, { token }, I);
    const importMs = Date.now() - confirmStarted;
    const result = await admin.get(expectRedirect(done, /\/import\/ergebnis\//)).expect(200);
    expect(result.text).toContain(`data-created="${rows}"`);
    console.info(`5,000-row import: dry run ${dryMs} ms, import ${importMs} ms (${ctx.database.kind})`);

    const imported = await db()('requests').where('title', 'like', 'Bestand %').orderBy('id');
    expect(imported).toHaveLength(rows);
    expect(new Set(imported.map((r) => `${r.kind}:${r.status}:${r.version}`))).toEqual(
      new Set(['existing:in_review:1']),
    );
    expect(imported[0].data).toMatchObject({
      kind: 'existing',
      orgUnit: '41',
      platform: 'facebook',
      name: 'Bestand 0001',
      url: 'https://www.facebook.com/bestand.0001',
      existingSince: '2018-03-01',
      editors: ['redaktion', 'redaktion2'],
    });
    expect(imported[0].author_uid).toBe('admin');
    expect(imported[1].author_uid).toBe('redaktion');
    const ids = imported.map((r) => r.id);

    // the newest version of the directive (version 2 since migration 0014)
    const definition = await db()('workflow_definitions')
      .where({ key: 'dienstanweisung' })
      .orderBy('version', 'desc')
      .first('id', 'version');
    expect(definition.version).toBe(2);
    const instances = await db()('workflow_instances').whereIn('request_id', ids);
    expect(instances).toHaveLength(rows);
    for (const i of instances) {
      expect(i.definition_id).toBe(definition.id);
      expect(i.status).toBe('in_review');
      expect(i.state.steps.unit_head.state).toBe('open');
      expect(i.state.steps.communications.state).toBe('waiting');
      expect(i.state.steps.hannoverde.state).toBe('waiting');
    }
    expect(Number((await db()('request_editors').whereIn('request_id', ids).count({ n: '*' }).first())?.n)).toBe(
      rows * 2,
    );
    expect(Number((await db()('request_versions').whereIn('request_id', ids).count({ n: '*' }).first())?.n)).toBe(rows);
    expect(await db()('presences').where('name', 'like', 'Bestand %')).toEqual([]); // never silently active

    const history: Array<{ action: string; n: number | string }> = await db()('history')
      .whereIn('request_id', ids)
      .select('action')
      .count({ n: '*' })
      .groupBy('action');
    expect(Object.fromEntries(history.map((h) => [h.action, Number(h.n)]))).toEqual({
      'request.imported': rows,
      'workflow.submitted': rows,
      'workflow.step_opened': rows,
    });
    expect(await db()('history').where({ action: 'import.presences', entity_id: token }).first()).toMatchObject({
      actor_uid: 'admin',
      entity_type: 'import',
    });

    // the head of Fachbereich Kultur (41 and its sub-units without a head) is told about each of them
    const mails = Number(
      (
        await db()('outbox')
          .whereIn('request_id', ids)
          .where({ template: 'step_waiting', recipient_uid: 'leitung' })
          .count({ n: '*' })
          .first()
      )?.n,
    );
    expect(mails).toBe(ids.filter((_, i) => ['41', '41.2', '41.4'].includes(UNITS[i % UNITS.length] ?? '')).length);

    // the head sees the tasks
    const head = await signIn(ctx.app, 'leitung');
    const tasks = await head.get('/intern').expect(200);
    expect(tasks.text).toContain(`data-request="${ids[0]}" data-step="unit_head"`);
  }, 240_000);
});

describe('CSV import as a file upload (multipart)', () => {
  const csv = [
    HEADER,
    '41;facebook;Hochgeladen Eins;https://www.facebook.com/hochgeladen.eins;Veranstaltungen im Kulturbüro;https://www.hannover.de/Kultur-Freizeit;2019-05-01;redaktion redaktion2;',
    '99;facebook;Hochgeladen Zwei;https://www.facebook.com/hochgeladen.zwei;;;;redaktion redaktion2;',
  ].join('\r\n');
  const csvFile = (content: string | Buffer) => ({
    content: typeof content === 'string' ? Buffer.from(content, 'utf8') : content,
    options: { filename: 'bestand.csv', contentType: 'text/csv' },
  });
  const upload = async (agent: Agent, content: string | Buffer, fields: Record<string, string> = {}, csrf?: string) => {
    const file = csvFile(content);
    let req = agent.post(IMPORT_CHECK_PATH).field('_csrf', csrf ?? (await tokenOf(agent, I)));
    for (const [name, value] of Object.entries(fields)) req = req.field(name, value);
    return req.attach('datei', file.content, file.options);
  };
  /** The page without what differs between two dry runs of the same data (the upload token). */
  const comparable = (html: string) => html.replace(/name="token" value="[^"]+"/g, 'name="token" value="…"');

  it('offers a file field for CSV on both import forms, sent as multipart', async () => {
    for (const page of [I, '/intern/verwaltung/organisationseinheiten/import']) {
      const html = (await admin.get(page).expect(200)).text;
      expect(html).toContain('enctype="multipart/form-data"');
      expect(html).toMatch(
        /<input class="kern-form-input__input" type="file" id="feld-datei" name="datei" accept="\.csv,text\/csv"/,
      );
      expect(html).toContain('name="csv"'); // the paste box stays as a fallback
    }
  });

  it('gives an administrator the same dry run for an uploaded file (with or without BOM) as for the pasted text, and writes nothing', async () => {
    const before = await footprint();
    const pasted = await dryRun(csv);
    const uploaded = await upload(admin, csv);
    const withBom = await upload(admin, `\uFEFF${csv}`);
    expect(pasted.status).toBe(400);
    expect(pasted.text).toContain('data-rows="2" data-problems="1"');
    for (const res of [uploaded, withBom]) {
      expect(res.status, text(res.text).slice(0, 2000)).toBe(pasted.status);
      expect(comparable(res.text)).toBe(comparable(pasted.text));
    }
    expect(problemsOf(uploaded.text, 3)).toEqual(['unit_code:admin.import.problem.unitUnknown']);
    expect(await footprint()).toEqual(before);
  });

  it('takes the file when both a file and pasted text come, and keeps a clean upload for the import', async () => {
    const clean = csv.split('\r\n').slice(0, 2).join('\r\n');
    const res = await upload(admin, clean, {
      csv: `${HEADER}\r\n41;facebook;Eingefügt;https://www.facebook.com/eingefuegt.x;;;;redaktion redaktion2;`,
    });
    expect(res.status).toBe(200);
    expect(res.text).toContain('data-rows="1" data-problems="0"');
    expect(text(res.text)).toContain('Hochgeladen Eins');
    expect(text(res.text)).not.toContain('Eingefügt');
    const token = tokenIn(res.text) ?? '';
    expect((await db()('admin_uploads').where({ token }).first()).content).toBe(clean);
  });

  it('uses the pasted text when the form comes as multipart without a file', async () => {
    const token = await tokenOf(admin, I);
    const res = await admin.post(IMPORT_CHECK_PATH).field('_csrf', token).field('csv', csv);
    expect(res.status).toBe(400);
    expect(comparable(res.text)).toBe(comparable((await dryRun(csv)).text));
  });

  it('refuses a Windows-1252 file with the encoding message, and a file with NUL bytes', async () => {
    const before = await footprint();
    const latin1 = await upload(
      admin,
      Buffer.from(
        `${HEADER}\r\n41;facebook;Kulturbüro;https://www.facebook.com/kb.x;;;;redaktion redaktion2;`,
        'latin1',
      ),
    );
    expect(text(latin1.text)).toContain('Die Datei ist nicht in UTF-8 gespeichert');
    expect(latin1.text).not.toContain('data-rows=');
    const utf16 = await upload(admin, Buffer.from(`\uFEFF${csv}`, 'utf16le'));
    expect(text(utf16.text)).toContain('Die Datei ist nicht in UTF-8 gespeichert');
    // a NUL in a multipart field is refused like in any form
    const nul = await admin
      .post(IMPORT_CHECK_PATH)
      .field('_csrf', await tokenOf(admin, I))
      .field('csv', `${HEADER}\u0000`);
    expect(nul.status).toBe(400);
    expect(await footprint()).toEqual(before);
  });

  it('checks the CSRF token of a multipart form: missing or wrong is 403, and nothing is kept', async () => {
    const uploads = Number((await db()('admin_uploads').count({ n: '*' }).first())?.n);
    const missing = await admin
      .post(IMPORT_CHECK_PATH)
      .attach('datei', Buffer.from(csv), { filename: 'bestand.csv', contentType: 'text/csv' });
    expect(missing.status).toBe(403);
    const wrong = await upload(admin, csv, {}, 'falsch');
    expect(wrong.status).toBe(403);
    for (const res of [missing, wrong]) expect(text(res.text)).not.toContain('Hochgeladen Eins');
    // the token of another session does not count either
    const other = await signIn(app, 'admin');
    const foreign = await upload(admin, csv, {}, await tokenOf(other, I));
    expect(foreign.status).toBe(403);
    expect(Number((await db()('admin_uploads').count({ n: '*' }).first())?.n)).toBe(uploads);
  });

  it('refuses an upload by anyone but an administrator before reading it (403), also on the unit import', async () => {
    const editor = await signIn(app, 'redaktion');
    const big = Buffer.alloc(3 * 1024 * 1024, 'a');
    for (const path of [IMPORT_CHECK_PATH, '/intern/verwaltung/organisationseinheiten/import']) {
      const res = await editor
        .post(path)
        .field('_csrf', await tokenOf(editor, '/intern'))
        .attach('datei', big, { filename: 'gross.csv', contentType: 'text/csv' });
      expect(res.status).toBe(403);
      expect(text(res.text)).not.toContain('Bestand');
    }
  });

  it('refuses a file over 16 MB with the friendly 413 page', async () => {
    const before = await footprint();
    const huge = Buffer.concat([Buffer.from(`${HEADER}\r\n`), Buffer.alloc(16 * 1024 * 1024 + 1, 'x')]);
    const res = await upload(admin, huge);
    expect(res.status).toBe(413);
    expect(text(res.text)).toContain('Die Datei ist zu groß');
    expect(await footprint()).toEqual(before);
  });

  it('imports units from an uploaded file as from pasted text', async () => {
    const U = '/intern/verwaltung/organisationseinheiten/import';
    const units = [
      'code;name;kind;parent_code;hannover_de_url',
      'IX;Dezernat IX;dezernat;;',
      '95;Fachbereich Hochgeladen;fachbereich;IX;',
    ].join('\n');
    const pasted = await post(admin, U, { csv: units }, U);
    const uploaded = await admin
      .post(U)
      .field('_csrf', await tokenOf(admin, U))
      .attach('datei', Buffer.from(`\uFEFF${units}`), { filename: 'einheiten.csv', contentType: 'text/csv' });
    expect(uploaded.status, text(uploaded.text).slice(0, 2000)).toBe(pasted.status);
    expect(pasted.status).toBe(200);
    expect(comparable(uploaded.text)).toBe(comparable(pasted.text));
    expect(text(uploaded.text)).toContain('Fachbereich Hochgeladen');
  });
});
