import type { Knex } from 'knex';
import type { Instance } from '../workflow/core';
import type { WorkflowDefinition } from '../workflow/definition';
import { addWorkingDays } from '../workflow/working-days';

type Q = Knex | Knex.Transaction;

/**
 * Where each request in review waits: one row per open step in `request_waits`, kept beside
 * the workflow instance (written in the same transaction as the instance), so that task lists
 * filter, sort and page in SQL — by step, decider, unit and deadline — instead of reading every
 * instance's JSON. The deadline is the step's reminder date (working days, computed here once,
 * as the deadline job and the task list reckon it).
 */
export interface WaitRow {
  request_id: number;
  step_id: string;
  decider_kind: 'unit_head' | 'role';
  decider_role: string | null;
  unit_code: string;
  opened_at: Date;
  due_at: Date | null;
}

/** The open steps of an instance in review, as rows (pure). */
export function waitsOf(requestId: number, definition: WorkflowDefinition, state: Instance): WaitRow[] {
  if (state.status !== 'in_review') return [];
  return definition.steps.flatMap((step) => {
    const status = state.steps[step.id];
    if (status?.state !== 'open' || !status.openedAt) return [];
    const openedAt = new Date(status.openedAt);
    return [
      {
        request_id: requestId,
        step_id: step.id,
        decider_kind: step.decider.kind,
        decider_role: step.decider.kind === 'role' ? step.decider.role : null,
        unit_code: state.unit,
        opened_at: openedAt,
        due_at: step.deadline ? addWorkingDays(openedAt, step.deadline.remindAfterWorkingDays) : null,
      },
    ];
  });
}

/**
 * Replaces a request's rows with the open steps of its instance (call inside the instance's
 * transaction). One statement (issue 14: a decision's round trips): the rows of steps no
 * longer open are deleted in a CTE, those of the open steps inserted or overwritten — the two
 * touch different keys, so neither sees the other's rows.
 */
export async function syncWaits(db: Q, requestId: number, definition: WorkflowDefinition, state: Instance) {
  const rows = waitsOf(requestId, definition, state);
  if (rows.length === 0) {
    await db('request_waits').where({ request_id: requestId }).delete();
    return;
  }
  await db
    .with('gone', (q) =>
      q
        .from('request_waits')
        .where({ request_id: requestId })
        .whereNotIn(
          'step_id',
          rows.map((r) => r.step_id),
        )
        .delete(),
    )
    .insert(rows)
    .into('request_waits')
    .onConflict(['request_id', 'step_id'])
    .merge();
}
