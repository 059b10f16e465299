import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { createTestDatabase } from '../helpers/db';
import { csvDocument, detectSeparator, neutralise, readCsv, textFromBytes, textFromForm } from '../../src/admin/csv';
import { batchingTransaction, recordHistoryInBulk } from '../../src/admin/import/batch';
import { readDay } from '../../src/admin/import/check';
import { wouldCycle } from '../../src/admin/units/service';
import { stagesOf, parseText } from '../../src/admin/workflows/service';
import { DIENSTANWEISUNG_V1 } from '../../src/workflow/default-definitions';
import { berlinDayStart } from '../../src/admin/web';
import express from 'express';
import request from 'supertest';
import { LARGE_FORM_PATHS, largeAdminForms } from '../../src/admin/body';

const limits = { maxBytes: 1_000_000, maxRows: 100 };

describe('reading CSV', () => {
  it('detects the separator from the header line', () => {
    expect(detectSeparator('a;b;c\n1,2;3')).toBe(';');
    expect(detectSeparator('a,b,c\n1;2,3')).toBe(',');
    expect(detectSeparator('a\tb\tc')).toBe('\t');
    expect(detectSeparator('\n\nname\n')).toBe(';');
  });

  it('reads a header by name, strips the BOM, keeps quoted separators and reports lines', () => {
    const r = readCsv('\uFEFFName;Code\r\n"A; B";1\r\n\r\n"mehr\nzeilig";2\r\n', {
      columns: ['name', 'code'],
      required: ['code'],
      limits,
    });
    expect(r).toEqual({
      ok: true,
      table: {
        separator: ';',
        records: [
          { line: 2, cells: { name: 'A; B', code: '1' } },
          { line: 4, cells: { name: 'mehr\nzeilig', code: '2' } },
        ],
      },
    });
  });

  it('names problems of the file', () => {
    const read = (text: string) =>
      readCsv(text, { columns: ['a', 'b'], required: ['a', 'b'], limits: { maxBytes: 100, maxRows: 2 } });
    expect(read('a;c\n1;2')).toEqual({
      ok: false,
      problems: [
        { code: 'missing_columns', columns: 'b' },
        { code: 'unknown_columns', columns: 'c' },
      ],
    });
    expect(read('a;b;a\n1;2;3')).toEqual({ ok: false, problems: [{ code: 'duplicate_columns', columns: 'a' }] });
    expect(read('a;b\n1;2\n3;4\n5;6')).toEqual({ ok: false, problems: [{ code: 'too_many_rows', max: 2, rows: 3 }] });
    expect(read(`a;b\n${'x'.repeat(200)};1`)).toEqual({ ok: false, problems: [{ code: 'too_large', maxMb: 0 }] });
    expect(read('  \n')).toEqual({ ok: false, problems: [{ code: 'empty' }] });
    expect(read('a;b\n"x;1')).toMatchObject({ ok: false, problems: [{ code: 'malformed' }] });
  });

  it('accepts UTF-8 and refuses Windows-1252 bytes, replacement characters and garbled umlauts', () => {
    expect(textFromBytes(Buffer.from('\uFEFFname\nMünchen', 'utf8'))).toEqual({ ok: true, text: 'name\nMünchen' });
    expect(textFromBytes(Buffer.from('name\nMünchen', 'latin1'))).toEqual({ ok: false, problem: { code: 'encoding' } });
    expect(textFromForm('name\nM\uFFFDnchen')).toEqual({ ok: false, problem: { code: 'encoding' } });
    expect(textFromBytes(Buffer.from('\uFEFFname\nMünchen', 'utf16le'))).toEqual({
      ok: false,
      problem: { code: 'encoding' },
    });
    expect(textFromForm('n\u0000a\u0000m\u0000e\u0000')).toEqual({ ok: false, problem: { code: 'encoding' } });
    expect(textFromForm('name\nMÃ¼nchen')).toEqual({ ok: false, problem: { code: 'mojibake', sample: 'Ã¼' } });
    // a body the parser could not decode arrives percent-encoded, line breaks included
    expect(textFromForm('name%0D%0AM%FCnchen')).toEqual({ ok: false, problem: { code: 'encoding' } });
    expect(textFromForm('name%0D%0AM%C3%BCnchen')).toEqual({ ok: true, text: 'name\r\nMünchen' });
    // a decoded value keeps a literal %20 as typed
    expect(textFromForm('url\nhttps://www.hannover.de/a%20b')).toEqual({
      ok: true,
      text: 'url\nhttps://www.hannover.de/a%20b',
    });
  });
});

describe('writing CSV', () => {
  it('neutralises cells a spreadsheet would run as formulas', () => {
    for (const v of ['=1+1', '+49 511', '-2', '@SUM(A1)', '\tx', '\rx']) expect(neutralise(v)).toBe(`'${v}`);
    expect(neutralise('Kultur = Leben')).toBe('Kultur = Leben');
    expect(neutralise(42)).toBe('42');
    expect(neutralise(null)).toBe('');
    expect(neutralise(new Date('2026-01-01T00:00:00Z'))).toBe('2026-01-01T00:00:00.000Z');
  });

  it('writes a BOM, semicolons and quotes that parse back', () => {
    const doc = csvDocument(
      ['a', 'b'],
      [
        ['x;y', 'Zitat "z"'],
        ['=bad', 'Zeile\nzwei'],
      ],
    );
    expect(doc.startsWith('\uFEFFa;b\r\n')).toBe(true);
    expect(parse(doc, { delimiter: ';', bom: true })).toEqual([
      ['a', 'b'],
      ['x;y', 'Zitat "z"'],
      ["'=bad", 'Zeile\nzwei'],
    ]);
  });
});

describe('small rules', () => {
  it('reads ISO and German dates', () => {
    expect(readDay('2019-05-01')).toBe('2019-05-01');
    expect(readDay('1.5.2019')).toBe('2019-05-01');
    expect(readDay('31.02.2019')).toBeUndefined();
    expect(readDay('2019/05/01')).toBeUndefined();
  });

  it('finds loops in the unit tree', () => {
    const units = [
      { id: 1, parent_id: null },
      { id: 2, parent_id: 1 },
      { id: 3, parent_id: 2 },
    ];
    expect(wouldCycle(units, 1, 3)).toBe(true);
    expect(wouldCycle(units, 1, 1)).toBe(true);
    expect(wouldCycle(units, 3, 1)).toBe(false);
    expect(wouldCycle(units, 2, null)).toBe(false);
  });

  it('groups workflow steps into stages that run in parallel', () => {
    expect(stagesOf(DIENSTANWEISUNG_V1).map((s) => s.map((x) => x.id))).toEqual([
      ['unit_head'],
      ['communications', 'data_protection'],
      ['hannoverde'],
    ]);
  });

  it('reads JSON and YAML and says where the syntax breaks', () => {
    expect(parseText('{"a": 1}')).toEqual({ ok: true, value: { a: 1 }, format: 'json' });
    expect(parseText('a: 1\nb: [x, y]')).toEqual({ ok: true, value: { a: 1, b: ['x', 'y'] }, format: 'yaml' });
    const bad = parseText('a: 1\na: 2');
    expect(bad.ok).toBe(false);
  });

  it('starts Berlin days at local midnight, in winter and summer', () => {
    expect(berlinDayStart('2026-01-15').toISOString()).toBe('2026-01-14T23:00:00.000Z');
    expect(berlinDayStart('2026-07-15').toISOString()).toBe('2026-07-14T22:00:00.000Z');
    expect(berlinDayStart('2026-03-29').toISOString()).toBe('2026-03-28T23:00:00.000Z'); // the day summer time starts
  });
});

describe('the import’s batching', () => {
  it('answers repeated reads once, collects plain inserts, passes everything else through', async () => {
    const database = await createTestDatabase();
    try {
      await database.db
        .transaction(async (trx) => {
          const batch = batchingTransaction(trx, { cacheReads: ['platforms'], collect: 'outbox' });
          const a = await batch.trx('platforms').where({ key: 'facebook' }).first('key', 'enabled');
          await trx('platforms').where({ key: 'facebook' }).update({ enabled: false });
          const b = await batch.trx('platforms').where({ key: 'facebook' }).first('key', 'enabled');
          expect(a).toEqual({ key: 'facebook', enabled: true });
          expect(b).toEqual(a); // from memory: the import never writes reference tables
          (b as { enabled: boolean }).enabled = false;
          expect(await batch.trx('platforms').where({ key: 'facebook' }).first('key', 'enabled')).toEqual({
            key: 'facebook',
            enabled: true,
          });
          expect(await batch.trx('presences').count({ n: '*' }).first()).toEqual({ n: 1 }); // not cached, not broken

          const mail = {
            recipient_email: 'a@hannover-stadt.de',
            template: 'step_waiting',
            subject: 's',
            body: 'b',
            status: 'pending',
            attempts: 0,
          };
          await batch.trx('outbox').insert(mail);
          await batch
            .trx('outbox')
            .insert({ ...mail, dedupe_key: 'k1' })
            .onConflict('dedupe_key')
            .ignore();
          expect(await trx('outbox').pluck('dedupe_key')).toEqual(['k1']);
          await batch.flush();
          expect(await trx('outbox').orderBy('id').pluck('dedupe_key')).toEqual(['k1', null]);
          expect(typeof batch.trx.raw).toBe('function');
          throw new Error('rollback');
        })
        .catch((e: Error) => expect(e.message).toBe('rollback'));
      await database.db.transaction(async (trx) => {
        await recordHistoryInBulk(trx, [
          {
            at: new Date(),
            actorUid: 'admin',
            actorName: 'A',
            action: 'import.presences',
            entityType: 'import',
            entityId: 1,
          },
          {
            at: new Date(),
            actorUid: null,
            actorName: null,
            action: 'request.imported',
            entityType: 'import',
            entityId: 2,
            changes: { a: { before: 1, after: 2 } },
          },
        ]);
      });
      const rows = await database.db('history').orderBy('id');
      expect(rows.map((r) => [r.action, r.entity_id, r.changes])).toEqual([
        ['import.presences', '1', null],
        ['request.imported', '2', { a: { before: 1, after: 2 } }],
      ]);
    } finally {
      await database.close();
    }
  });
});

describe('the parser for large admin forms', () => {
  it('reads large bodies only on its paths and only for administrators; others get the small limit', async () => {
    const app = express();
    app.use((req, _res, next) => {
      const role = req.headers['x-role'];
      if (typeof role === 'string')
        req.user = { uid: role, name: role, email: undefined, unit: undefined, roles: ['employee', role as 'admin'] };
      next();
    });
    app.use(largeAdminForms('200kb'));
    app.use((req, res) => res.json({ parsed: req.body !== undefined && Object.keys(req.body as object).length > 0 }));
    app.use((err: { status?: number }, _req: express.Request, res: express.Response, _next: express.NextFunction) =>
      res.status(err.status ?? 500).json({ status: err.status }),
    );
    const big = `csv=${'x'.repeat(1_000_000)}`;
    const path = LARGE_FORM_PATHS[0] ?? '';
    expect((await request(app).post(path).set('x-role', 'admin').type('form').send(big)).body).toEqual({
      parsed: true,
    });
    expect((await request(app).post(path).set('x-role', 'communications').type('form').send(big)).status).toBe(413);
    expect((await request(app).post(path).type('form').send(big)).status).toBe(413);
    expect((await request(app).post(path).set('x-role', 'communications').type('form').send('csv=a')).body).toEqual({
      parsed: true,
    });
    expect(
      (await request(app).post('/intern/verwaltung/ablaeufe/neu').set('x-role', 'admin').type('form').send('a=1')).body,
    ).toEqual({ parsed: false });
  });
});
