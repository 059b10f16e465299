import type { Knex } from 'knex';
import { whereReassessmentAnswerable, type Viewer } from '../policy/access';

/** The queries of the platform re-assessments; nothing here knows about HTTP. */

type Db = Knex | Knex.Transaction;

export type TaskState = 'open' | 'confirmed' | 'closed';

export interface ReassessmentRow {
  id: number;
  platform_key: string;
  platform_name: string;
  platform_enabled: boolean;
  reason: string;
  deadline: string;
  status: 'open' | 'reported';
  platform_closed: boolean;
  opened_by_uid: string;
  opened_by_name: string;
  opened_at: Date;
  reported_at: Date | null;
}

export interface Progress {
  confirmed: number;
  closed: number;
  open: number;
}

export interface TaskRow {
  reassessment_id: number;
  presence_id: number;
  presence_name: string;
  presence_status: 'active' | 'closed';
  unit_code: string;
  unit_name: string;
  /** As stored: 'open' also for a presence closed on its own page (see stateOf). */
  state: TaskState;
  answered_by_uid: string | null;
  answered_by_name: string | null;
  answered_at: Date | null;
  comment: string | null;
  reminded_on: string | null;
  unanswered_at_deadline: boolean;
}

/** A task's state as a person reads it: a presence closed on its own page has answered too. */
export const stateOf = (t: Pick<TaskRow, 'state' | 'presence_status'>): TaskState =>
  t.state === 'open' && t.presence_status === 'closed' ? 'closed' : t.state;

const day = (v: unknown) => (v instanceof Date ? v.toISOString() : String(v)).slice(0, 10);

const withPlatform = (db: Db) =>
  db('reassessments as r')
    .join('platforms as pl', 'pl.key', 'r.platform_key')
    .select('r.*', 'pl.name as platform_name', 'pl.enabled as platform_enabled');

const fromRow = (r: ReassessmentRow): ReassessmentRow => ({ ...r, deadline: day(r.deadline) });

export async function getReassessment(
  db: Db,
  id: number,
  opts: { forUpdate?: boolean } = {},
): Promise<ReassessmentRow | undefined> {
  const q = withPlatform(db).where('r.id', id);
  if (opts.forUpdate) q.forUpdate('r');
  const row = await q.first<ReassessmentRow | undefined>();
  return row ? fromRow(row) : undefined;
}

export async function listReassessments(db: Db): Promise<Array<ReassessmentRow & { progress: Progress }>> {
  const rows: ReassessmentRow[] = await withPlatform(db).orderBy('r.id', 'desc');
  const counts: Array<{ reassessment_id: number; state: TaskState; presence_status: string; n: number }> = await db(
    'reassessment_tasks as t',
  )
    .join('presences as p', 'p.id', 't.presence_id')
    .groupBy('t.reassessment_id', 't.state', 'p.status')
    .select('t.reassessment_id', 't.state', 'p.status as presence_status')
    .count({ n: '*' });
  return rows.map((r) => {
    const progress: Progress = { confirmed: 0, closed: 0, open: 0 };
    for (const c of counts.filter((c) => c.reassessment_id === r.id))
      progress[stateOf({ state: c.state, presence_status: c.presence_status as TaskRow['presence_status'] })] += Number(
        c.n,
      );
    return { ...fromRow(r), progress };
  });
}

export async function openReassessmentOf(db: Db, platformKey: string): Promise<{ id: number } | undefined> {
  return db('reassessments').where({ platform_key: platformKey, status: 'open' }).first('id');
}

/** The platforms for the open form, with their active presences and whether one is being re-assessed. */
export async function platformsForForm(
  db: Db,
): Promise<Array<{ key: string; name: string; active: number; running: boolean }>> {
  const platforms: Array<{ key: string; name: string }> = await db('platforms')
    .orderBy([{ column: 'sort_order' }, { column: 'key' }])
    .select('key', 'name');
  const active: Array<{ platform_key: string; n: number }> = await db('presences')
    .where({ status: 'active' })
    .groupBy('platform_key')
    .select('platform_key')
    .count({ n: '*' });
  const running = new Set((await db('reassessments').where({ status: 'open' }).pluck('platform_key')) as string[]);
  return platforms.map((p) => ({
    ...p,
    active: Number(active.find((a) => a.platform_key === p.key)?.n ?? 0),
    running: running.has(p.key),
  }));
}

const tasksQuery = (db: Db) =>
  db('reassessment_tasks as t')
    .join('presences as p', 'p.id', 't.presence_id')
    .join('org_units as u', 'u.id', 'p.org_unit_id')
    .select(
      't.*',
      'p.name as presence_name',
      'p.status as presence_status',
      'u.code as unit_code',
      'u.name as unit_name',
    );

const taskFromRow = (t: TaskRow): TaskRow => ({
  ...t,
  reminded_on: t.reminded_on === null ? null : day(t.reminded_on),
});

export async function tasksOf(db: Db, reassessmentId: number): Promise<TaskRow[]> {
  const rows: TaskRow[] = await tasksQuery(db)
    .where('t.reassessment_id', reassessmentId)
    .orderBy([{ column: 'u.name' }, { column: 'p.name' }, { column: 'p.id' }]);
  return rows.map(taskFromRow);
}

export async function getTask(
  db: Db,
  reassessmentId: number,
  presenceId: number,
  opts: { forUpdate?: boolean } = {},
): Promise<TaskRow | undefined> {
  const q = tasksQuery(db).where({ 't.reassessment_id': reassessmentId, 't.presence_id': presenceId });
  if (opts.forUpdate) q.forUpdate('t');
  const row = await q.first<TaskRow | undefined>();
  return row ? taskFromRow(row) : undefined;
}

/** The presences active on a platform now: each gets a task. */
export async function activePresencesOn(
  db: Db,
  platformKey: string,
): Promise<Array<{ id: number; name: string; unit_code: string }>> {
  return db('presences as p')
    .join('org_units as u', 'u.id', 'p.org_unit_id')
    .where({ 'p.platform_key': platformKey, 'p.status': 'active' })
    .orderBy('p.id')
    .select('p.id', 'p.name', 'u.code as unit_code');
}

export async function answerTask(
  db: Db,
  reassessmentId: number,
  presenceId: number,
  answer: { state: 'confirmed' | 'closed'; uid: string; name: string; at: Date; comment: string | null },
): Promise<void> {
  await db('reassessment_tasks').where({ reassessment_id: reassessmentId, presence_id: presenceId }).update({
    state: answer.state,
    answered_by_uid: answer.uid,
    answered_by_name: answer.name,
    answered_at: answer.at,
    comment: answer.comment,
  });
}

export interface OpenTask {
  reassessmentId: number;
  presenceId: number;
  presenceName: string;
  platformName: string;
  reason: string;
  deadline: string;
}

/**
 * The open tasks someone may answer (policy: whereReassessmentAnswerable), earliest deadline
 * first; optionally only those of one presence.
 */
export async function openTasksFor(db: Knex, viewer: Viewer, presenceId?: number): Promise<OpenTask[]> {
  const q = db('reassessment_tasks as t')
    .join('reassessments as r', 'r.id', 't.reassessment_id')
    .join('platforms as pl', 'pl.key', 'r.platform_key')
    .join('presences as p', 'p.id', 't.presence_id')
    .join('org_units as u', 'u.id', 'p.org_unit_id')
    .where('t.state', 'open')
    .orderBy([{ column: 'r.deadline' }, { column: 'p.name' }, { column: 'p.id' }])
    .select('t.reassessment_id', 't.presence_id', 'p.name', 'pl.name as platform_name', 'r.reason', 'r.deadline');
  if (presenceId !== undefined) q.where('t.presence_id', presenceId);
  whereReassessmentAnswerable(q, db, viewer);
  return (await q).map((r: Record<string, unknown>) => ({
    reassessmentId: r.reassessment_id as number,
    presenceId: r.presence_id as number,
    presenceName: r.name as string,
    platformName: r.platform_name as string,
    reason: r.reason as string,
    deadline: day(r.deadline),
  }));
}

/** Open re-assessments: the job's work list. */
export async function openReassessments(db: Db): Promise<ReassessmentRow[]> {
  return (await withPlatform(db).where('r.status', 'open').orderBy('r.id')).map(fromRow);
}
