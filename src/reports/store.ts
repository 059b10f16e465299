import type { Knex } from 'knex';

/** Queries of the fake-account reports (issue 12). Nothing here knows about HTTP. */

export const CASE_STATES = ['new', 'impostor', 'ours', 'unrelated', 'closed'] as const;
export type CaseState = (typeof CASE_STATES)[number];

/** Verdicts that change a public answer: a warning, or "not a look-alike after all". */
export type PublicVerdict = 'impostor' | 'ours' | 'unrelated';

export interface CaseRow {
  id: number;
  platform_key: string;
  platform_name: string;
  account_id: string;
  account_url: string;
  state: CaseState;
  report_count: number;
  first_reported_at: Date;
  last_reported_at: Date;
  lookalike_of: number[];
  confirmed_at: Date | null;
  reported_to_platform_on: string | null;
  presence_id: number | null;
  closed_at: Date | null;
  decided_by: string | null;
  updated_at: Date;
}

export interface ReportRow {
  id: number;
  case_id: number;
  created_at: Date;
  message: string | null;
  email: string | null;
  client_address: string | null;
  locale: string;
  personal_data_deleted_at: Date | null;
}

export interface VerdictRow {
  platform_key: string;
  account_id: string;
  state: PublicVerdict;
  account_url: string;
  confirmed_at: Date | null;
  reported_to_platform_on: string | null;
}

/** pg returns jsonb parsed; be tolerant of text. */
const ids = (v: unknown): number[] => {
  const list = typeof v === 'string' ? (JSON.parse(v) as unknown) : v;
  return Array.isArray(list) ? list.map(Number).filter(Number.isInteger) : [];
};
/** A date column as 'YYYY-MM-DD' on both backends. */
const day = (v: unknown): string | null =>
  typeof v === 'string' ? v.slice(0, 10) : v instanceof Date ? v.toISOString().slice(0, 10) : null;

const CASE_COLUMNS = ['c.*', 'pl.name as platform_name'];
const toCase = (r: Record<string, unknown>): CaseRow =>
  ({
    ...r,
    lookalike_of: ids(r.lookalike_of),
    reported_to_platform_on: day(r.reported_to_platform_on),
    report_count: Number(r.report_count),
  }) as CaseRow;

/** Every verdict that changes a public answer (read once per register version). */
export async function publicVerdicts(db: Knex): Promise<VerdictRow[]> {
  const rows = await db('report_cases')
    .whereIn('state', ['impostor', 'ours', 'unrelated'])
    .select<Array<Record<string, unknown>>>(
      'platform_key',
      'account_id',
      'state',
      'account_url',
      'confirmed_at',
      'reported_to_platform_on',
    );
  return rows.map((r) => ({ ...r, reported_to_platform_on: day(r.reported_to_platform_on) }) as VerdictRow);
}

/** Confirmed impostors, newest warning first (/warnungen, the Atom feed). */
export async function impostors(db: Knex, limit?: number): Promise<CaseRow[]> {
  const q = db('report_cases as c')
    .join('platforms as pl', 'pl.key', 'c.platform_key')
    .where('c.state', 'impostor')
    .select(CASE_COLUMNS)
    .orderBy([
      { column: 'c.confirmed_at', order: 'desc' },
      { column: 'c.id', order: 'desc' },
    ]);
  if (limit !== undefined) q.limit(limit);
  return ((await q) as Array<Record<string, unknown>>).map(toCase);
}

/**
 * Adds one report: the case of the account is created, or counted up (one statement, so two
 * reports at once both count). Returns the case and whether it is new.
 */
export async function addReport(
  trx: Knex.Transaction,
  report: {
    platform: string;
    accountId: string;
    url: string;
    lookalikeOf: number[];
    message: string | null;
    email: string | null;
    clientAddress: string | null;
    locale: string;
    now: Date;
  },
): Promise<{ caseId: number; count: number; created: boolean }> {
  const [row] = await trx('report_cases')
    .insert({
      platform_key: report.platform,
      account_id: report.accountId,
      account_url: report.url,
      state: 'new',
      report_count: 1,
      first_reported_at: report.now,
      last_reported_at: report.now,
      lookalike_of: JSON.stringify(report.lookalikeOf),
      updated_at: report.now,
    })
    .onConflict(['platform_key', 'account_id'])
    .merge({
      report_count: trx.raw('report_cases.report_count + 1'),
      last_reported_at: report.now,
      lookalike_of: JSON.stringify(report.lookalikeOf),
    })
    .returning<Array<{ id: number; report_count: number; first_reported_at: Date }>>([
      'id',
      'report_count',
      'first_reported_at',
    ]);
  if (!row) throw new Error('report_cases upsert returned nothing');
  await trx('account_reports').insert({
    case_id: row.id,
    created_at: report.now,
    message: report.message,
    email: report.email,
    client_address: report.clientAddress,
    locale: report.locale,
  });
  const count = Number(row.report_count);
  return { caseId: row.id, count, created: count === 1 };
}

export async function listCases(db: Knex, state: CaseState | undefined, limit = 500): Promise<CaseRow[]> {
  const q = db('report_cases as c')
    .join('platforms as pl', 'pl.key', 'c.platform_key')
    .select(CASE_COLUMNS)
    .orderByRaw("(c.state = 'new') DESC, c.last_reported_at DESC, c.id DESC")
    .limit(limit);
  if (state) q.where('c.state', state);
  return ((await q) as Array<Record<string, unknown>>).map(toCase);
}

export async function countByState(db: Knex): Promise<Record<CaseState, number>> {
  const rows = await db('report_cases')
    .select('state')
    .count<Array<{ state: CaseState; n: number | string }>>({ n: '*' })
    .groupBy('state');
  const out = Object.fromEntries(CASE_STATES.map((s) => [s, 0])) as Record<CaseState, number>;
  for (const r of rows) out[r.state] = Number(r.n);
  return out;
}

export async function caseById(db: Knex | Knex.Transaction, id: number, lock = false): Promise<CaseRow | undefined> {
  const q = db('report_cases as c')
    .join('platforms as pl', 'pl.key', 'c.platform_key')
    .where('c.id', id)
    .first(CASE_COLUMNS);
  if (lock) q.forUpdate('c');
  const row = (await q) as Record<string, unknown> | undefined;
  return row ? toCase(row) : undefined;
}

export async function reportsOfCase(db: Knex, caseId: number): Promise<ReportRow[]> {
  return db('account_reports').where({ case_id: caseId }).orderBy('created_at', 'asc').orderBy('id', 'asc');
}

export interface PresenceRef {
  id: number;
  slug: string;
  name: string;
  url: string;
  account_id: string;
  status: 'active' | 'closed';
}

export async function presencesByIds(db: Knex, list: number[]): Promise<PresenceRef[]> {
  if (list.length === 0) return [];
  return db('presences')
    .whereIn('id', list)
    .select('id', 'slug', 'name', 'url', 'account_id', 'status')
    .orderBy('name');
}

/** The presences of a platform (active first): what an account that is "ours" may be linked to. */
export async function presencesOnPlatform(db: Knex, platform: string): Promise<PresenceRef[]> {
  return db('presences')
    .where({ platform_key: platform })
    .select('id', 'slug', 'name', 'url', 'account_id', 'status')
    .orderByRaw("(status = 'active') DESC, name, id");
}

export async function updateCase(trx: Knex.Transaction, id: number, patch: Partial<Record<string, unknown>>) {
  await trx('report_cases').where({ id }).update(patch);
}

/** The history of one case, oldest first. */
export async function historyOfCase(db: Knex, id: number) {
  return db('history')
    .where({ entity_type: 'report_case', entity_id: String(id) })
    .orderBy('id', 'asc')
    .select('id', 'at', 'actor_uid', 'actor_name', 'action', 'comment', 'changes');
}

/** New cases with reports the digest has not told about yet (locked: one digest takes them). */
export async function undigestedNewCases(trx: Knex.Transaction): Promise<CaseRow[]> {
  const rows = (await trx('report_cases as c')
    .join('platforms as pl', 'pl.key', 'c.platform_key')
    .where('c.state', 'new')
    .where((w) => {
      w.whereNull('c.digested_at').orWhereRaw('c.last_reported_at > c.digested_at');
    })
    .select(CASE_COLUMNS)
    .orderBy('c.first_reported_at')
    .forUpdate('c')) as Array<Record<string, unknown>>;
  return rows.map(toCase);
}

/** Claims the day's digest; false when another instance (or an earlier run) sent it already. */
export async function claimDigestDay(trx: Knex.Transaction, dayIso: string, now: Date, cases: number) {
  const won = await trx('report_digests')
    .insert({ day: dayIso, sent_at: now, cases })
    .onConflict('day')
    .ignore()
    .returning('day');
  return won.length === 1;
}

export async function markDigested(trx: Knex.Transaction, caseIds: number[], now: Date): Promise<void> {
  if (caseIds.length > 0) await trx('report_cases').whereIn('id', caseIds).update({ digested_at: now });
}

/**
 * Deletes reporters' e-mail and address `days` after their case was decided (and at least
 * `days` after the report itself, so that a late report keeps its chance of a reply).
 * Returns how many reports lost their personal data.
 */
export async function deleteExpiredPersonalData(db: Knex, now: Date, days: number): Promise<number> {
  const cutoff = new Date(now.getTime() - days * 24 * 60 * 60_000);
  return db('account_reports')
    .whereNull('personal_data_deleted_at')
    .where((w) => {
      w.whereNotNull('email').orWhereNotNull('client_address');
    })
    .where('created_at', '<', cutoff)
    .whereIn('case_id', db('report_cases').whereNotNull('closed_at').where('closed_at', '<', cutoff).select('id'))
    .update({ email: null, client_address: null, personal_data_deleted_at: now });
}
