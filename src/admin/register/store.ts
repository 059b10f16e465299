import type { Knex } from 'knex';
import { listUnits } from '../../registry/org-units';
import { descendants } from '../units/service';
import type { LinkedHistoryRow } from '../../audit/history';
import type { RequestRow } from '../../requests/store';
import type { Instance } from '../../workflow/core';
import type { WorkflowDefinition } from '../../workflow/definition';

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

/** An editor of a presence or of a request, in the order given (0 = lead). */
export interface EditorRow {
  uid: string;
  name: string;
  email: string | null;
  position: number;
}

/** A decision on a workflow step. */
export interface DecisionRow {
  id: number;
  request_id: number;
  step_id: string;
  version: number;
  outcome: string;
  actor_uid: string;
  actor_name: string;
  on_behalf_of: string | null;
  comment: string | null;
  decided_at: Date;
}

/** A request's workflow instance with the definition it runs on. */
export interface InstanceRow {
  request_id: number;
  state: Instance;
  definition: WorkflowDefinition;
  key: string;
  version: number;
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
  const editors = await db<EditorRow & { presence_id: number }>('presence_editors')
    .where({ presence_id: id })
    .orderBy('position');
  const requests = await db<RequestRow>('requests')
    .where((w) => {
      w.where('presence_id', id);
      if (presence.request_id) w.orWhere('id', presence.request_id);
    })
    .orderBy('id');
  const requestIds = requests.map((r) => r.id);
  const instances: InstanceRow[] = requestIds.length
    ? await db('workflow_instances as i')
        .join('workflow_definitions as d', 'd.id', 'i.definition_id')
        .whereIn('i.request_id', requestIds)
        .select<InstanceRow[]>('i.request_id', 'i.state', 'd.definition', 'd.key', 'd.version')
    : [];
  const decisions = requestIds.length
    ? await db<DecisionRow>('decisions').whereIn('request_id', requestIds).orderBy('id')
    : [];
  const history = await db<LinkedHistoryRow>('history')
    .where((w) => {
      w.where('presence_id', id);
      if (requestIds.length) w.orWhereIn('request_id', requestIds);
    })
    .orderBy('id');
  const requestEditors = requestIds.length
    ? await db<EditorRow & { request_id: number }>('request_editors')
        .whereIn('request_id', requestIds)
        .orderBy(['request_id', 'position'])
    : [];
  return { presence, editors, requests, instances, decisions, history, requestEditors };
}

/** The uids that appear in an approval record (decisions, history, workflow steps). */
function uidsOf(record: NonNullable<Awaited<ReturnType<typeof approvalRecord>>>): string[] {
  const uids = new Set<string>();
  const add = (...values: Array<string | null | undefined>) => values.forEach((u) => u && uids.add(u));
  for (const d of record.decisions) add(d.actor_uid, d.on_behalf_of);
  for (const h of record.history) add(h.actor_uid, h.on_behalf_of);
  for (const i of record.instances)
    for (const st of Object.values(
      (i.state?.steps ?? {}) as Record<string, { decidedBy?: string; onBehalfOf?: string }>,
    ))
      add(st.decidedBy, st.onBehalfOf);
  return [...uids];
}

/** The internal register: filter choices, pages, the whole list for the CSV, the approval record. */
export function createRegisterService(deps: { db: Knex; clock: () => Date }) {
  const { db, clock } = deps;
  return {
    /** What the filters offer: every platform and every unit (retired ones too). */
    async choices() {
      const platforms = await db<{ key: string; name: string }>('platforms')
        .orderBy('sort_order')
        .select('key', 'name');
      return { platforms, units: await listUnits(db, { includeRetired: true }) };
    },
    list: (f: RegisterFilter, limit: number, offset: number) => listRegister(db, f, limit, offset),
    all: (f: RegisterFilter) => allRegister(db, f),

    /** The printable approval record, with the names of everyone in it and the time of printing. */
    async record(id: number) {
      const record = await approvalRecord(db, id);
      if (!record) return undefined;
      const names: Record<string, string> = {};
      const people = await db<{ uid: string; name: string }>('people')
        .whereIn('uid', uidsOf(record))
        .select('uid', 'name');
      for (const p of people) names[p.uid] = p.name;
      for (const d of record.decisions) names[d.actor_uid] ??= d.actor_name;
      return { ...record, names, printedAt: clock() };
    },
  };
}

export type RegisterService = ReturnType<typeof createRegisterService>;
