import type { Knex } from 'knex';
import type { HistoryAction } from './actions';

export type Changes = Record<string, { before: unknown; after: unknown }>;

export interface HistoryEntry {
  at: Date;
  actorUid: string | null;
  actorName: string | null;
  onBehalfOf?: string | null;
  /** Only listed actions: each has a label in both languages (src/audit/actions.ts). */
  action: HistoryAction;
  entityType:
    | 'request'
    | 'presence'
    | 'org_unit'
    | 'platform'
    | 'workflow_definition'
    | 'substitution'
    | 'outbox'
    | 'import'
    | 'report_case';
  entityId: string | number;
  requestId?: number | null;
  presenceId?: number | null;
  comment?: string | null;
  changes?: Changes | null;
}

/** Appends to the history (the database refuses UPDATE and DELETE on it). */
export async function recordHistory(db: Knex | Knex.Transaction, entry: HistoryEntry): Promise<void> {
  await db('history').insert({
    at: entry.at,
    actor_uid: entry.actorUid,
    actor_name: entry.actorName,
    on_behalf_of: entry.onBehalfOf ?? null,
    action: entry.action,
    entity_type: entry.entityType,
    entity_id: String(entry.entityId),
    request_id: entry.requestId ?? null,
    presence_id: entry.presenceId ?? null,
    comment: entry.comment ?? null,
    changes: entry.changes ? JSON.stringify(entry.changes) : null,
  });
}

/** Field-by-field differences between two flat records (only fields that differ). */
export function diffRecords(before: Record<string, unknown>, after: Record<string, unknown>): Changes {
  const changes: Changes = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const a = before[key];
    const b = after[key];
    if (JSON.stringify(a ?? null) !== JSON.stringify(b ?? null)) changes[key] = { before: a ?? null, after: b ?? null };
  }
  return changes;
}

export interface HistoryRow {
  id: number;
  at: Date;
  actor_uid: string | null;
  actor_name: string | null;
  on_behalf_of: string | null;
  action: string;
  comment: string | null;
  changes: Changes | null;
}

/** A history row with the request and presence it belongs to. */
export interface LinkedHistoryRow extends HistoryRow {
  request_id: number | null;
  presence_id: number | null;
}

export async function historyOfRequest(db: Knex, requestId: number): Promise<HistoryRow[]> {
  return db('history').where({ request_id: requestId }).orderBy('id', 'asc');
}

/**
 * Narrows a history query to one presence's whole life: its own entries (confirmations,
 * changes, closing) and every entry of each request that belongs to it — the one that created
 * it (recorded before the presence had an id; publication links it through
 * requests.presence_id), every change request, and the request whose data it holds now.
 */
export function ofPresence(db: Knex, presenceId: number) {
  const requestIds = db('requests')
    .where('presence_id', presenceId)
    .select('id')
    .union((u) => {
      u.from('presences').where('id', presenceId).whereNotNull('request_id').select('request_id');
    });
  // = ANY(ARRAY(…)): the request ids are computed once and both history indexes are used
  // (OR-ed IN subqueries make PostgreSQL scan the whole history)
  return (w: Knex.QueryBuilder) => {
    w.where('presence_id', presenceId).orWhereRaw('request_id = ANY(ARRAY(?))', [requestIds]);
  };
}

/** A presence's whole life in one query, oldest first (the order in which it was written). */
export async function historyOfPresence(db: Knex, presenceId: number): Promise<LinkedHistoryRow[]> {
  return db('history').where(ofPresence(db, presenceId)).orderBy('id', 'asc');
}
