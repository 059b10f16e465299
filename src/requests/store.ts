import type { Knex } from 'knex';
import type { Instance, Status } from '../workflow/core';
import type { WorkflowDefinition } from '../workflow/definition';
import { normaliseStored, type RequestData } from './form';
import { syncWaits } from './waits';

type Q = Knex | Knex.Transaction;

export interface RequestRow {
  id: number;
  kind: 'new' | 'existing' | 'change' | 'editors';
  presence_id: number | null;
  author_uid: string;
  author_name: string;
  org_unit_id: number | null;
  status: Status;
  title: string;
  data: RequestData;
  version: number;
  submitted_at: Date | null;
  finished_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export interface EditorRow {
  request_id: number;
  uid: string;
  name: string;
  email: string | null;
  position: number;
  confirmed_at: Date | null;
}

export interface InstanceRow {
  id: number;
  request_id: number;
  definition_id: number;
  status: Status;
  state: Instance;
  revision: number;
}

const toRequest = (row: Record<string, unknown> | undefined): RequestRow | undefined =>
  row ? ({ ...row, data: normaliseStored(row.data) } as RequestRow) : undefined;

export async function getRequest(
  db: Q,
  id: number,
  opts: { forUpdate?: boolean } = {},
): Promise<RequestRow | undefined> {
  const q = db('requests').where({ id }).first();
  if (opts.forUpdate) q.forUpdate();
  return toRequest(await q);
}

export async function insertRequest(
  db: Q,
  row: Pick<RequestRow, 'kind' | 'author_uid' | 'author_name' | 'org_unit_id' | 'title' | 'data'> & {
    presence_id?: number | null;
  },
  now: Date,
): Promise<number> {
  const [inserted] = await db('requests')
    .insert({ ...row, data: JSON.stringify(row.data), status: 'draft', version: 0, created_at: now, updated_at: now })
    .returning('id');
  return inserted.id as number;
}

export async function updateRequest(
  db: Q,
  id: number,
  patch: Partial<Omit<RequestRow, 'id' | 'data'>> & { data?: RequestData },
  now: Date,
) {
  const values: Record<string, unknown> = { ...patch, updated_at: now };
  if (patch.data) values.data = JSON.stringify(patch.data);
  await db('requests').where({ id }).update(values);
}

export async function insertVersion(
  db: Q,
  requestId: number,
  version: number,
  data: RequestData,
  uid: string,
  now: Date,
) {
  await db('request_versions').insert({
    request_id: requestId,
    version,
    data: JSON.stringify(data),
    submitted_by: uid,
    submitted_at: now,
  });
}

export async function getVersion(db: Q, requestId: number, version: number): Promise<RequestData | undefined> {
  const row = await db('request_versions').where({ request_id: requestId, version }).first('data');
  return row ? normaliseStored(row.data) : undefined;
}

export async function getEditors(db: Q, requestId: number): Promise<EditorRow[]> {
  return db('request_editors').where({ request_id: requestId }).orderBy('position');
}

/** Replaces the editor list, keeping confirmations of editors who stay. */
export async function setEditors(
  db: Q,
  requestId: number,
  editors: Array<{ uid: string; name: string; email: string | null }>,
) {
  const before = new Map((await getEditors(db, requestId)).map((e) => [e.uid, e]));
  await db('request_editors').where({ request_id: requestId }).delete();
  if (editors.length === 0) return;
  await db('request_editors').insert(
    editors.map((e, position) => ({
      request_id: requestId,
      uid: e.uid,
      name: e.name,
      email: e.email,
      position,
      confirmed_at: before.get(e.uid)?.confirmed_at ?? null,
    })),
  );
}

export async function getInstance(
  db: Q,
  requestId: number,
  opts: { forUpdate?: boolean } = {},
): Promise<InstanceRow | undefined> {
  const q = db('workflow_instances').where({ request_id: requestId }).first();
  if (opts.forUpdate) q.forUpdate();
  return q;
}

export async function insertInstance(
  db: Q,
  requestId: number,
  definitionId: number,
  state: Instance,
  now: Date,
  definition?: WorkflowDefinition,
) {
  await db('workflow_instances').insert({
    request_id: requestId,
    definition_id: definitionId,
    status: state.status,
    state: JSON.stringify(state),
    revision: 1,
    created_at: now,
    updated_at: now,
  });
  await syncWaits(db, requestId, definition ?? (await getDefinition(db, definitionId)), state);
}

/**
 * Stores the instance's new state. `definition` is the instance's own (definition_id): a
 * caller that holds it already saves the read (a definition row never changes).
 */
export async function saveInstance(
  db: Q,
  row: InstanceRow,
  state: Instance,
  now: Date,
  definition?: WorkflowDefinition,
) {
  await db('workflow_instances')
    .where({ id: row.id })
    .update({ state: JSON.stringify(state), status: state.status, revision: row.revision + 1, updated_at: now });
  // where the request waits now, for the task lists (same transaction as the instance)
  await syncWaits(db, row.request_id, definition ?? (await getDefinition(db, row.definition_id)), state);
}

export async function getDefinition(db: Q, id: number): Promise<WorkflowDefinition> {
  const row = await db('workflow_definitions').where({ id }).first('definition');
  if (!row) throw new Error(`workflow definition ${id} missing`);
  return row.definition as WorkflowDefinition;
}

export async function newestDefinition(db: Q, key: string): Promise<{ id: number; definition: WorkflowDefinition }> {
  const row = await db('workflow_definitions').where({ key }).orderBy('version', 'desc').first('id', 'definition');
  if (!row) throw new Error(`no workflow definition "${key}"`);
  return { id: row.id, definition: row.definition as WorkflowDefinition };
}

/**
 * Records that a person looked at a version and returns the version to compare it with:
 * the one they saw before, for as long as the current version stays the same.
 */
export async function markSeen(
  db: Q,
  requestId: number,
  uid: string,
  version: number,
  now: Date,
): Promise<number | undefined> {
  const prev = await db('request_views').where({ request_id: requestId, uid }).first('version', 'previous_version');
  if (!prev) {
    await db('request_views').insert({ request_id: requestId, uid, version, seen_at: now });
    return undefined;
  }
  if (prev.version === version) return (prev.previous_version as number | null) ?? undefined;
  await db('request_views')
    .where({ request_id: requestId, uid })
    .update({ version, previous_version: prev.version, seen_at: now });
  return prev.version as number;
}

export async function insertDecision(
  db: Q,
  d: {
    request_id: number;
    step_id: string;
    version: number;
    outcome: string;
    actor_uid: string;
    actor_name: string;
    on_behalf_of?: string | null;
    comment?: string | null;
    decided_at: Date;
    /** JSON: { checked, unchecked } item ids of the step's checklist */
    checklist?: string;
    /** JSON: the request sections a return or rejection points to */
    sections?: string;
  },
) {
  await db('decisions').insert(d);
}

/** Requests in review, with their instances: the task list is computed from these. */
export async function requestsInReview(db: Q): Promise<Array<RequestRow & { instance: InstanceRow }>> {
  const rows = await db('requests as r')
    .join('workflow_instances as w', 'w.request_id', 'r.id')
    .where('r.status', 'in_review')
    .select('r.*', 'w.id as w_id', 'w.definition_id', 'w.state', 'w.revision', 'w.status as w_status')
    .orderBy('r.submitted_at', 'asc');
  return rows.map((r: Record<string, unknown>) => ({
    ...(toRequest(r) as RequestRow),
    instance: {
      id: r.w_id as number,
      request_id: r.id as number,
      definition_id: r.definition_id as number,
      state: r.state as Instance,
      revision: r.revision as number,
      status: r.w_status as Status,
    },
  }));
}

/**
 * Requests in review, each with its workflow definition (read once per definition, however
 * many requests share it): the deadline job and the task list walk exactly this.
 */
export async function requestsInReviewWithDefinitions(
  db: Q,
): Promise<Array<{ request: RequestRow & { instance: InstanceRow }; definition: WorkflowDefinition }>> {
  const definitions = new Map<number, WorkflowDefinition>();
  const out: Array<{ request: RequestRow & { instance: InstanceRow }; definition: WorkflowDefinition }> = [];
  for (const request of await requestsInReview(db)) {
    const id = request.instance.definition_id;
    let definition = definitions.get(id);
    if (!definition) {
      definition = await getDefinition(db, id);
      definitions.set(id, definition);
    }
    out.push({ request, definition });
  }
  return out;
}
