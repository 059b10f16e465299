import type { Knex } from 'knex';
import { listUnits } from '../../registry/org-units';
import { descendants } from '../units/service';

export interface RegisterFilter {
  status?: 'active' | 'closed';
  platform?: string;
  /** Unit code: the unit and every unit below it. */
  unit?: string;
  flagged?: boolean;
}

export interface RegisterRow {
  id: number;
  slug: string;
  name: string;
  platform_key: string;
  platform_name: string;
  account_id: string;
  url: string;
  status: 'active' | 'closed';
  central: boolean;
  unit_code: string;
  unit_name: string;
  hannover_de_url: string | null;
  published_at: Date | null;
  closed_at: Date | null;
  close_reason: string | null;
  last_confirmed_at: Date | null;
  review_due: string | null;
  review_overdue: boolean;
  editors_flagged: boolean;
  request_id: number | null;
  editors: string[];
}

/** Ids of the filter's unit and every unit below it. */
async function unitIds(db: Knex, f: RegisterFilter): Promise<number[] | undefined> {
  if (!f.unit) return undefined;
  const units = await listUnits(db, { includeRetired: true });
  const unit = units.find((u) => u.code === f.unit);
  return unit ? [unit.id, ...descendants(units, unit.id).map((u) => u.id)] : [-1];
}

function query(db: Knex, f: RegisterFilter, units: number[] | undefined) {
  const q = db('presences as p')
    .join('org_units as u', 'u.id', 'p.org_unit_id')
    .join('platforms as pl', 'pl.key', 'p.platform_key');
  if (f.status) q.where('p.status', f.status);
  if (f.platform) q.where('p.platform_key', f.platform);
  if (f.flagged)
    q.where((w) => {
      w.where('p.review_overdue', true).orWhere('p.editors_flagged', true);
    });
  if (units) q.whereIn('p.org_unit_id', units);
  return q;
}

const COLUMNS = [
  'p.id',
  'p.slug',
  'p.name',
  'p.platform_key',
  'pl.name as platform_name',
  'p.account_id',
  'p.url',
  'p.status',
  'p.central',
  'u.code as unit_code',
  'u.name as unit_name',
  'p.hannover_de_url',
  'p.published_at',
  'p.closed_at',
  'p.close_reason',
  'p.last_confirmed_at',
  'p.review_due',
  'p.review_overdue',
  'p.editors_flagged',
  'p.request_id',
];

async function withEditors(db: Knex, rows: Array<Omit<RegisterRow, 'editors'>>): Promise<RegisterRow[]> {
  const ids = rows.map((r) => r.id);
  const editors: Array<{ presence_id: number; uid: string }> = ids.length
    ? await db('presence_editors')
        .whereIn('presence_id', ids)
        .orderBy(['presence_id', 'position'])
        .select('presence_id', 'uid')
    : [];
  return rows.map((r) => ({ ...r, editors: editors.filter((e) => e.presence_id === r.id).map((e) => e.uid) }));
}

export async function listRegister(
  db: Knex,
  f: RegisterFilter,
  limit: number,
  offset: number,
): Promise<{ rows: RegisterRow[]; total: number }> {
  const units = await unitIds(db, f);
  const [rows, count] = await Promise.all([
    query(db, f, units)
      .select(COLUMNS)
      .orderBy([{ column: 'p.central', order: 'desc' }, { column: 'u.name' }, { column: 'p.name' }, { column: 'p.id' }])
      .limit(limit)
      .offset(offset),
    query(db, f, units).count({ n: '*' }).first(),
  ]);
  return { rows: await withEditors(db, rows), total: Number(count?.n ?? 0) };
}

export async function allRegister(db: Knex, f: RegisterFilter): Promise<RegisterRow[]> {
  const rows = await query(db, f, await unitIds(db, f))
    .select(COLUMNS)
    .orderBy([{ column: 'u.name' }, { column: 'p.name' }, { column: 'p.id' }]);
  return withEditors(db, rows);
}

/** Everything the printable approval record shows about one presence. */
export async function approvalRecord(db: Knex, id: number) {
  const presence = await db('presences as p')
    .join('org_units as u', 'u.id', 'p.org_unit_id')
    .join('platforms as pl', 'pl.key', 'p.platform_key')
    .where('p.id', id)
    .first<
      | (RegisterRow & {
          description: string;
          owner: string | null;
          details: Record<string, unknown>;
          created_at: Date;
        })
      | undefined
    >([...COLUMNS, 'p.description', 'p.owner', 'p.details', 'p.created_at']);
  if (!presence) return undefined;
  const editors = await db('presence_editors').where({ presence_id: id }).orderBy('position');
  const requests = await db('requests')
    .where('presence_id', id)
    .modify((q) => {
      if (presence.request_id) q.orWhere('id', presence.request_id);
    })
    .orderBy('id');
  const requestIds = requests.map((r: { id: number }) => r.id);
  const instances = requestIds.length
    ? await db('workflow_instances as i')
        .join('workflow_definitions as d', 'd.id', 'i.definition_id')
        .whereIn('i.request_id', requestIds)
        .select('i.request_id', 'i.state', 'd.definition', 'd.key', 'd.version')
    : [];
  const decisions = requestIds.length ? await db('decisions').whereIn('request_id', requestIds).orderBy('id') : [];
  const history = await db('history')
    .where('presence_id', id)
    .modify((q) => {
      if (requestIds.length) q.orWhereIn('request_id', requestIds);
    })
    .orderBy('id');
  const requestEditors = requestIds.length
    ? await db('request_editors').whereIn('request_id', requestIds).orderBy(['request_id', 'position'])
    : [];
  return { presence, editors, requests, instances, decisions, history, requestEditors };
}
