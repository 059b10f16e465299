import type { Knex } from 'knex';
import { LIMITS } from '../../limits';
import type { SessionUser } from '../../directory/user';
import { recordHistory, diffRecords } from '../../audit/history';
import { listUnits, type OrgUnit } from '../../registry/org-units';
import { isHannoverDeUrl } from '../../requests/form';
import type { MessageKey } from '../../i18n/keys';
import { readCsv, type CsvRecord } from '../csv';
import { csvProblemErrors } from '../csv-messages';
import { findUpload, markConsumed, storeUpload, takeUpload } from '../uploads';
import { error } from '../web';
import type { FieldError } from '../../web/forms';
import { CODE, UNIT_KINDS } from './service';

/** CSV import of the unit tree: code;name;kind;parent_code;hannover_de_url. */
export const UNIT_COLUMNS = ['code', 'name', 'kind', 'parent_code', 'hannover_de_url'] as const;
export const UNIT_REQUIRED = ['code', 'name', 'kind'] as const;
export const UNIT_LIMITS = { maxBytes: 2 * 1_048_576, maxRows: 5_000 };

export interface UnitProblem {
  column: string;
  message: MessageKey;
  params?: Record<string, string | number>;
}

export interface UnitRow {
  line: number;
  code: string;
  name: string;
  kind: string;
  parentCode: string;
  hannoverDeUrl: string;
  action: 'create' | 'update' | 'unchanged';
  changes: string[];
  problems: UnitProblem[];
}

const snapshot = (u: { name: string; kind: string; parent: string | null; hannover_de_url: string | null }) => ({
  name: u.name,
  kind: u.kind,
  parent: u.parent,
  hannover_de_url: u.hannover_de_url,
});

/**
 * What the import would do, row by row, and every problem. Existing units (same code) are
 * updated; units missing from the file stay as they are (nothing is retired by an import).
 */
export async function planUnitImport(db: Knex | Knex.Transaction, records: CsvRecord[]): Promise<UnitRow[]> {
  const units = await listUnits(db, { includeRetired: true });
  const byCode = new Map(units.map((u) => [u.code, u]));
  const codeOf = new Map(units.map((u) => [u.id, u.code]));
  const fileCodes = new Map<string, number>();
  const rows: UnitRow[] = records.map((r) => {
    const c = r.cells;
    const row: UnitRow = {
      line: r.line,
      code: c.code ?? '',
      name: c.name ?? '',
      kind: (c.kind ?? '').toLowerCase(),
      parentCode: c.parent_code ?? '',
      hannoverDeUrl: c.hannover_de_url ?? '',
      action: 'create',
      changes: [],
      problems: [],
    };
    const problem = (column: string, message: MessageKey, params?: Record<string, string | number>) =>
      row.problems.push({ column, message, ...(params ? { params } : {}) });
    if (!row.code) problem('code', 'admin.units.error.codeMissing');
    else if (!CODE.test(row.code)) problem('code', 'admin.units.error.codeInvalid');
    else if (fileCodes.has(row.code))
      problem('code', 'admin.units.import.duplicate', { line: fileCodes.get(row.code) ?? 0 });
    else fileCodes.set(row.code, row.line);
    if (!row.name) problem('name', 'admin.units.error.nameMissing');
    else if (row.name.length > LIMITS.name) problem('name', 'admin.error.tooLong', { max: LIMITS.name });
    if (!(UNIT_KINDS as readonly string[]).includes(row.kind)) problem('kind', 'admin.units.error.kind');
    if (row.parentCode === row.code && row.code) problem('parent_code', 'admin.units.import.ownParent');
    if (row.hannoverDeUrl && (row.hannoverDeUrl.length > LIMITS.url || !isHannoverDeUrl(row.hannoverDeUrl)))
      problem('hannover_de_url', 'admin.units.error.hannoverDe');
    return row;
  });

  // the tree as it would be after the import: existing parents, changed by the file
  const parentAfter = new Map<string, string | null>();
  for (const u of units) parentAfter.set(u.code, u.parent_id ? (codeOf.get(u.parent_id) ?? null) : null);
  for (const row of rows)
    if (row.code && row.problems.every((p) => p.column !== 'code')) parentAfter.set(row.code, row.parentCode || null);

  for (const row of rows) {
    if (row.parentCode && !parentAfter.has(row.parentCode)) {
      row.problems.push({
        column: 'parent_code',
        message: 'admin.units.import.parentUnknown',
        params: { code: row.parentCode },
      });
    } else if (row.parentCode && byCode.get(row.parentCode)?.retired_at) {
      row.problems.push({ column: 'parent_code', message: 'admin.units.error.parentRetired' });
    } else if (row.parentCode && row.parentCode !== row.code) {
      const seen = new Set<string>([row.code]);
      for (let p: string | null | undefined = row.parentCode; p; p = parentAfter.get(p)) {
        if (seen.has(p)) {
          row.problems.push({ column: 'parent_code', message: 'admin.units.import.cycle' });
          break;
        }
        seen.add(p);
      }
    }
    const existing = byCode.get(row.code);
    if (existing) {
      const before = snapshot({
        ...existing,
        parent: existing.parent_id ? (codeOf.get(existing.parent_id) ?? null) : null,
      });
      const after = snapshot({
        name: row.name,
        kind: row.kind,
        parent: row.parentCode || null,
        hannover_de_url: row.hannoverDeUrl || null,
      });
      row.changes = Object.keys(diffRecords(before, after));
      row.action = row.changes.length ? 'update' : 'unchanged';
    }
  }
  return rows;
}

/** Applies a clean plan in the caller's transaction: parents before children. */
export async function applyUnitImport(
  trx: Knex.Transaction,
  rows: UnitRow[],
  actor: SessionUser,
  now: Date,
  token: string,
) {
  let created = 0;
  let updated = 0;
  const pending = rows.filter((r) => r.action !== 'unchanged');
  const ids = new Map((await listUnits(trx, { includeRetired: true })).map((u: OrgUnit) => [u.code, u.id]));
  const codes = new Set(pending.map((r) => r.code));
  let sortOrder = Number((await trx('org_units').max<{ m: number | null }[]>({ m: 'sort_order' }))[0]?.m ?? 0);
  while (pending.length) {
    // a row is ready when its parent exists or is not created by this file
    const index = pending.findIndex((r) => !r.parentCode || ids.has(r.parentCode) || !codes.has(r.parentCode));
    const row = index >= 0 ? pending.splice(index, 1)[0] : pending.shift();
    if (!row) break;
    const parentId = row.parentCode ? (ids.get(row.parentCode) ?? null) : null;
    const values = { name: row.name, kind: row.kind, parent_id: parentId, hannover_de_url: row.hannoverDeUrl || null };
    const existingId = ids.get(row.code);
    if (existingId === undefined) {
      const [inserted] = await trx('org_units')
        .insert({ ...values, code: row.code, sort_order: ++sortOrder, created_at: now, updated_at: now })
        .returning<Array<{ id: number }>>('id');
      if (!inserted) throw new Error('org_units insert returned no id');
      ids.set(row.code, inserted.id);
      created++;
      await recordHistory(trx, {
        at: now,
        actorUid: actor.uid,
        actorName: actor.name,
        action: 'org_unit.created',
        entityType: 'org_unit',
        entityId: inserted.id,
        comment: `CSV ${token}`,
        changes: diffRecords({}, { code: row.code, ...snapshot({ ...values, parent: row.parentCode || null }) }),
      });
    } else {
      const before = await trx<OrgUnit>('org_units').where({ id: existingId }).first();
      if (!before) throw new Error(`org unit ${existingId} vanished inside the import's transaction`);
      const parentBefore = before.parent_id
        ? ((await trx<OrgUnit>('org_units').where({ id: before.parent_id }).first('code'))?.code ?? null)
        : null;
      const changes = diffRecords(
        snapshot({ ...before, parent: parentBefore }),
        snapshot({ ...values, parent: row.parentCode || null }),
      );
      await trx('org_units')
        .where({ id: existingId })
        .update({ ...values, updated_at: now });
      updated++;
      await recordHistory(trx, {
        at: now,
        actorUid: actor.uid,
        actorName: actor.name,
        action: 'parent' in changes ? 'org_unit.moved' : 'name' in changes ? 'org_unit.renamed' : 'org_unit.changed',
        entityType: 'org_unit',
        entityId: existingId,
        comment: `CSV ${token}`,
        changes,
      });
    }
  }
  return { created, updated, unchanged: rows.filter((r) => r.action === 'unchanged').length };
}

/** What the unit import's pages get back from a check or a run. */
export type UnitImportOutcome =
  | { kind: 'gone' | 'used' | 'expired' }
  | { kind: 'problems'; csv: string; errors: FieldError[]; rows?: UnitRow[] }
  | { kind: 'done'; result: Record<string, number> };

/**
 * The CSV import of the unit tree: a dry run that stages a clean file under a token, then the
 * run that checks the staged file again and applies it in one transaction, all or nothing.
 */
export function createUnitImportService(deps: { db: Knex; clock: () => Date }) {
  const { db, clock } = deps;
  const read = (text: string) => readCsv(text, { columns: UNIT_COLUMNS, required: UNIT_REQUIRED, limits: UNIT_LIMITS });

  return {
    /** Checks CSV text; `rows` when the file itself could be read, `token` when it is clean and staged. */
    async check(actor: SessionUser, text: string): Promise<{ errors: FieldError[]; rows?: UnitRow[]; token?: string }> {
      const table = read(text);
      if (!table.ok) return { errors: csvProblemErrors(table.problems) };
      const rows = await planUnitImport(db, table.table.records);
      const bad = rows.filter((r) => r.problems.length > 0).length;
      if (bad) return { errors: [error('csv', 'admin.import.error.rows', { count: bad })], rows };
      const token = await storeUpload(db, 'org_units', actor.uid, text, rows.length, clock());
      return { errors: [], rows, token };
    },

    /** Imports a staged file, if it is still clean: in one transaction, and only once. */
    async run(actor: SessionUser, token: string): Promise<UnitImportOutcome> {
      const now = clock();
      return db.transaction(async (trx): Promise<UnitImportOutcome> => {
        const upload = await takeUpload(trx, token, 'org_units', actor.uid, now);
        if (upload === 'used' || upload === 'expired') return { kind: upload };
        if (!upload) return { kind: 'gone' };
        const table = read(upload.content);
        if (!table.ok) return { kind: 'problems', csv: upload.content, errors: csvProblemErrors(table.problems) };
        const rows = await planUnitImport(trx, table.table.records);
        if (rows.some((r) => r.problems.length))
          return { kind: 'problems', csv: upload.content, rows, errors: [error('csv', 'admin.import.error.changed')] };
        const result = await applyUnitImport(trx, rows, actor, now, token);
        await markConsumed(trx, token, result, now);
        return { kind: 'done', result };
      });
    },

    /** The result of a finished import, for the administrator who ran it. */
    async result(actor: SessionUser, token: string): Promise<Record<string, number> | undefined> {
      const upload = await findUpload(db, token, 'org_units', actor.uid);
      return upload?.consumed_at ? (upload.result ?? {}) : undefined;
    },
  };
}

export type UnitImportService = ReturnType<typeof createUnitImportService>;
