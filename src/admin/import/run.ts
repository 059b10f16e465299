import type { Knex } from 'knex';
import { recordHistory, type HistoryEntry } from '../../audit/history';
import { batchingTransaction, chunks, recordHistoryInBulk } from './batch';
import { emptyRequestData, type RequestData } from '../../requests/form';
import type { Notify } from '../../requests/service';
import { newestDefinition, type RequestRow } from '../../requests/store';
import { waitsOf } from '../../requests/waits';
import { decide, newInstance, type WorkflowEvent } from '../../workflow/core';
import type { CheckedRow, Person } from './check';

/** The directive's workflow: existing presences are registered like new ones. */
export const IMPORT_DEFINITION_KEY = 'dienstanweisung';

export class ImportRefused extends Error {
  constructor(
    public readonly line: number,
    reason: string,
  ) {
    super(`row ${line}: ${reason}`);
    this.name = 'ImportRefused';
  }
}

/** The request form's data for an imported row: kind "existing", what the CSV gives, nothing else. */
export function requestDataOf(row: CheckedRow): RequestData {
  const data = emptyRequestData();
  data.kind = 'existing';
  data.orgUnit = row.unitCode;
  data.platform = row.platform;
  data.name = row.name;
  data.url = row.url;
  data.description = row.description;
  data.hannoverDeUrl = row.hannoverDeUrl;
  data.existingSince = row.existingSince;
  data.editors = row.editors.map((e) => e.uid);
  return data;
}

/** What service.apply records for each workflow event, for the same history. */
function eventHistory(e: WorkflowEvent, requestId: number, author: Person, now: Date): HistoryEntry {
  const actorUid = 'actorUid' in e ? e.actorUid : null;
  return {
    at: now,
    actorUid,
    actorName: actorUid === author.uid ? author.name : null,
    onBehalfOf: 'onBehalfOf' in e ? (e.onBehalfOf ?? null) : null,
    action: `workflow.${e.type}`,
    entityType: 'request',
    entityId: requestId,
    requestId,
    comment: 'comment' in e ? (e.comment ?? null) : null,
    changes: 'stepId' in e ? { step: { before: null, after: e.stepId } } : null,
  };
}

/**
 * Imports checked rows inside the caller's transaction: every row becomes a request of kind
 * "existing", submitted into the newest directive workflow, so it waits at the first step
 * (never silently active). Requests, versions, editors, workflow instances, history and the
 * mails to the first step's deciders are all written in that one transaction.
 */
export async function importRows(
  trx: Knex.Transaction,
  rows: CheckedRow[],
  deps: { admin: Person; notify: Notify; now: Date; token: string },
): Promise<{ created: number; firstId: number; lastId: number; definitionVersion: number }> {
  const { admin, notify, now, token } = deps;
  const newest = await newestDefinition(trx, IMPORT_DEFINITION_KEY);
  const definition = newest.definition;

  const prepared = rows.map((row) => {
    if (row.problems.length > 0 || !row.unit) throw new ImportRefused(row.line, 'row has problems');
    const author = row.author ?? admin;
    const data = requestDataOf(row);
    const fresh = newInstance(definition, { authorUid: author.uid, editorUids: data.editors, unit: row.unitCode });
    const result = decide({
      definition,
      instance: fresh,
      action: { type: 'submit' },
      actor: { uid: author.uid, roles: [], headOfUnits: [], actingFor: [] },
      now,
      context: { editorsConfirmed: false },
    });
    if (!result.ok) throw new ImportRefused(row.line, `workflow refused: ${result.refusal.code}`);
    // an imported presence must be reviewed: it waits at the first step, it is never published here
    if (result.instance.status !== 'in_review')
      throw new ImportRefused(row.line, `workflow status ${result.instance.status}`);
    return { row, author, data, state: result.instance, events: result.events };
  });
  if (prepared.length === 0) return { created: 0, firstId: 0, lastId: 0, definitionVersion: definition.version };

  // ids first, so that every table can be written in bulk without relying on RETURNING order
  const idRows = (
    await trx.raw<{ rows: Array<{ id: number }> }>(
      "SELECT nextval(pg_get_serial_sequence('requests', 'id'))::int AS id FROM generate_series(1, ?)",
      [prepared.length],
    )
  ).rows;
  const ids = idRows.map((r) => Number(r.id)).sort((a, b) => a - b);
  const items = prepared.map((p, i) => ({ ...p, id: ids[i] as number }));

  for (const chunk of chunks(items)) {
    await trx('requests').insert(
      chunk.map((it) => ({
        id: it.id,
        kind: 'existing',
        author_uid: it.author.uid,
        author_name: it.author.name,
        org_unit_id: it.row.unit?.id ?? null,
        status: it.state.status,
        title: it.data.name,
        data: JSON.stringify(it.data),
        version: 1,
        submitted_at: now,
        created_at: now,
        updated_at: now,
      })),
    );
    await trx('request_versions').insert(
      chunk.map((it) => ({
        request_id: it.id,
        version: 1,
        data: JSON.stringify(it.data),
        submitted_by: admin.uid,
        submitted_at: now,
      })),
    );
    await trx('request_editors').insert(
      chunk.flatMap((it) =>
        it.row.editors.map((e, position) => ({
          request_id: it.id,
          uid: e.uid,
          name: e.name,
          email: e.email,
          position,
          confirmed_at: null,
        })),
      ),
    );
    await trx('workflow_instances').insert(
      chunk.map((it) => ({
        request_id: it.id,
        definition_id: newest.id,
        status: it.state.status,
        state: JSON.stringify(it.state),
        revision: 1,
        created_at: now,
        updated_at: now,
      })),
    );
    // where each waits (the unit head's step), for the task lists (#15)
    const waits = chunk.flatMap((it) => waitsOf(it.id, definition, it.state));
    if (waits.length > 0) await trx('request_waits').insert(waits);
  }

  const entries: HistoryEntry[] = [];
  for (const it of items) {
    entries.push({
      at: now,
      actorUid: admin.uid,
      actorName: admin.name,
      action: 'request.imported',
      entityType: 'request',
      entityId: it.id,
      requestId: it.id,
      comment: `CSV ${token}, Zeile/line ${it.row.line}`,
    });
    for (const e of it.events) entries.push(eventHistory(e, it.id, it.author, now));
  }
  await recordHistoryInBulk(trx, entries);

  // mails to the first step's deciders, as for any submission: reference data read once, mails written in bulk
  const batch = batchingTransaction(trx, {
    cacheReads: ['org_units', 'org_unit_heads', 'people', 'platforms'],
    collect: 'outbox',
  });
  for (const it of items) {
    const request: RequestRow = {
      id: it.id,
      kind: 'existing',
      presence_id: null,
      author_uid: it.author.uid,
      author_name: it.author.name,
      org_unit_id: it.row.unit?.id ?? null,
      status: it.state.status,
      title: it.data.name,
      data: it.data,
      version: 1,
      submitted_at: now,
      finished_at: null,
      created_at: now,
      updated_at: now,
    };
    await notify(batch.trx, request, definition, it.events);
  }
  await batch.flush();

  const firstId = items[0]?.id ?? 0;
  const lastId = items[items.length - 1]?.id ?? 0;
  await recordHistory(trx, {
    at: now,
    actorUid: admin.uid,
    actorName: admin.name,
    action: 'import.presences',
    entityType: 'import',
    entityId: token,
    comment: `${items.length} requests ${firstId}..${lastId}`,
    changes: {
      requests: { before: null, after: items.length },
      definition: { before: null, after: `${definition.key} v${definition.version}` },
    },
  });
  return { created: items.length, firstId, lastId, definitionVersion: definition.version };
}
