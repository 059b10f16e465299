import type { Knex } from 'knex';

export type Changes = Record<string, { before: unknown; after: unknown }>;

export interface HistoryEntry {
  at: Date;
  actorUid: string | null;
  actorName: string | null;
  onBehalfOf?: string | null;
  action: string;
  entityType: 'request' | 'presence' | 'org_unit' | 'platform' | 'workflow_definition' | 'substitution' | 'outbox' | 'import';
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

export async function historyOfRequest(db: Knex, requestId: number): Promise<HistoryRow[]> {
  return db('history').where({ request_id: requestId }).orderBy('id', 'asc');
}
