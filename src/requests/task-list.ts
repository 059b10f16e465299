import type { Knex } from 'knex';
import { z } from 'zod';
import { LIMITS } from '../limits';
import type { Actor } from '../workflow/core';
import { decidableSteps } from '../workflow/core';
import type { WorkflowDefinition } from '../workflow/definition';
import { whereRequestVisible, whereStepDecidable, type Viewer } from '../policy/access';
import { requestViewer, viewerOfActor } from '../policy/viewer';
import { buildActor } from '../policy/actors';
import type { SessionUser } from '../directory/user';
import { unitTree, listUnits } from '../registry/org-units';

/**
 * The two task lists that must scale (#15): "Meine Aufgaben" (the steps this person may decide
 * now) and the list of all requests they may see. Filters, sorting and paging happen in SQL,
 * with the policy's SQL filters (src/policy/access.ts) and the waiting rows of request_waits.
 */

export const PAGE_SIZE = 50;
/** A CSV download holds at most this many rows (a spreadsheet, not a backup). */
export const CSV_LIMIT = 10_000;

export const STATUSES = ['draft', 'in_review', 'returned', 'rejected', 'withdrawn', 'published'] as const;

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, 'requests.filter.error.tooLong')
    .optional()
    .transform((v) => (v === '' ? undefined : v));

/**
 * The query of both lists (GET form, German names). Unknown step, unit or platform values are
 * checked against the choices by the caller; everything else here. Repeated parameters
 * (arrays) are malformed.
 */
export const taskQuerySchema = z.object({
  schritt: optionalText(LIMITS.stepId),
  einheit: optionalText(LIMITS.unitCode),
  plattform: optionalText(40),
  ueberfaellig: z
    .enum(['', 'ja'], { error: 'requests.filter.error.overdue' })
    .optional()
    .transform((v) => v === 'ja'),
  q: optionalText(LIMITS.search),
  sortierung: z
    .enum(['', 'wartezeit', 'frist', 'geaendert'], { error: 'requests.filter.error.sort' })
    .optional()
    .transform((v) => (v === '' ? undefined : v)),
  stand: z
    .enum(['', ...STATUSES], { error: 'requests.filter.error.status' })
    .optional()
    .transform((v) => (v === '' ? undefined : v)),
  seite: z
    .string()
    .regex(/^[1-9]\d{0,5}$/, 'requests.filter.error.page')
    .optional()
    .transform((v) => (v === undefined ? 1 : Number(v))),
});
export type TaskQuery = z.output<typeof taskQuerySchema>;
export type TaskSort = 'wartezeit' | 'frist' | 'geaendert';

/** The choices of the filter form: steps of every workflow, units as a tree, platforms. */
export async function filterChoices(db: Knex) {
  const definitions: Array<{ key: string; version: number; definition: WorkflowDefinition }> = await db(
    'workflow_definitions',
  )
    .orderBy('version', 'desc')
    .select('key', 'version', 'definition');
  const steps = new Map<string, { de: string; en: string }>();
  for (const d of definitions) for (const s of d.definition.steps) if (!steps.has(s.id)) steps.set(s.id, s.name);
  const units = unitTree(await listUnits(db));
  const platforms: Array<{ key: string; name: string }> = await db('platforms')
    .orderBy('sort_order')
    .select('key', 'name');
  return { steps: [...steps].map(([id, name]) => ({ id, name })), units, platforms };
}

const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Filters both lists share: unit with its sub-units, platform, free text over title and account. */
function whereRequestFilters(q: Knex.QueryBuilder, filter: TaskQuery, alias = 'r') {
  if (filter.einheit)
    q.whereRaw(
      `${alias}.org_unit_id in (with recursive sub(id) as (select id from org_units where code = ?` +
        ` union all select o.id from org_units o join sub on o.parent_id = sub.id) select id from sub)`,
      [filter.einheit],
    );
  if (filter.plattform) q.whereRaw(`(${alias}.data->>'platform') = ?`, [filter.plattform]);
  if (filter.q) {
    const like = likePattern(filter.q);
    q.where((w) => {
      w.whereILike(`${alias}.title`, like)
        .orWhereRaw(`(${alias}.data->>'url') ilike ?`, [like])
        .orWhereRaw(`(${alias}.data->>'name') ilike ?`, [like]);
    });
  }
}

export interface TaskRow {
  id: number;
  title: string;
  unit_name: string | null;
  platform: string | null;
  url: string | null;
  step_id: string;
  stepName: { de: string; en: string };
  onBehalfOf?: string;
  opened_at: Date;
  due_at: Date | null;
  overdue: boolean;
}

/** Definitions by id, loaded once per list. */
function definitionCache(db: Knex) {
  const cache = new Map<number, Promise<WorkflowDefinition>>();
  return (id: number) => {
    let d = cache.get(id);
    if (!d) {
      d = db('workflow_definitions')
        .where({ id })
        .first('definition')
        .then((r: { definition: WorkflowDefinition }) => r.definition);
      cache.set(id, d);
    }
    return d;
  };
}

/** The steps this actor may decide now, filtered, sorted and paged in SQL. */
export async function myTasks(
  db: Knex,
  actor: Actor,
  filter: TaskQuery,
  now: Date,
  paging: { limit: number; offset: number },
): Promise<{ rows: TaskRow[]; total: number }> {
  const base = () => {
    const q = db('request_waits as w')
      .join('requests as r', 'r.id', 'w.request_id')
      .join('workflow_instances as i', 'i.request_id', 'r.id')
      .where('r.status', 'in_review');
    whereStepDecidable(q, actor, 'w', 'i');
    whereRequestVisible(q, db, viewerOfActor(actor));
    whereRequestFilters(q, filter);
    if (filter.schritt) q.where('w.step_id', filter.schritt);
    if (filter.ueberfaellig) q.where('w.due_at', '<', now);
    return q;
  };
  const n = ((await base().count({ n: '*' }))[0] as { n: string | number } | undefined)?.n ?? 0;
  const q = base()
    .leftJoin('org_units as u', 'u.id', 'r.org_unit_id')
    .select(
      'r.id',
      'r.title',
      'u.name as unit_name',
      db.raw(`r.data->>'platform' as platform`),
      db.raw(`r.data->>'url' as url`),
      'w.step_id',
      'w.opened_at',
      'w.due_at',
      'i.state',
      'i.definition_id',
    )
    .limit(paging.limit)
    .offset(paging.offset);
  if (filter.sortierung === 'frist') q.orderByRaw('w.due_at asc nulls last, w.opened_at asc, r.id asc');
  else q.orderBy([{ column: 'w.opened_at' }, { column: 'r.id' }]);
  const definitionOf = definitionCache(db);
  const rows: TaskRow[] = [];
  for (const r of await q) {
    const definition = await definitionOf(r.definition_id);
    const step = definition.steps.find((s) => s.id === r.step_id);
    // who they decide for comes from the core (the SQL only found the step)
    const decidable = decidableSteps(definition, r.state, actor).find((d) => d.stepId === r.step_id);
    rows.push({
      id: r.id,
      title: r.title,
      unit_name: r.unit_name,
      platform: r.platform,
      url: r.url,
      step_id: r.step_id,
      stepName: step?.name ?? { de: r.step_id, en: r.step_id },
      ...(decidable?.onBehalfOf ? { onBehalfOf: decidable.onBehalfOf } : {}),
      opened_at: r.opened_at,
      due_at: r.due_at,
      overdue: r.due_at !== null && r.due_at < now,
    });
  }
  return { rows, total: Number(n) };
}

export interface RequestListRow {
  id: number;
  title: string;
  status: string;
  unit_name: string | null;
  platform: string | null;
  url: string | null;
  updated_at: Date;
  /** Open steps (in review), with names; empty otherwise. */
  waitingAt: Array<{ stepId: string; name: { de: string; en: string }; since: Date; due: Date | null }>;
  /** Since when it waits: at the earliest open step, or since the return (returned). */
  since: Date | null;
  due: Date | null;
}

/** Every request this viewer may see, filtered, sorted and paged in SQL. */
export async function requestList(
  db: Knex,
  viewer: Viewer,
  filter: TaskQuery,
  now: Date,
  paging: { limit: number; offset: number },
): Promise<{ rows: RequestListRow[]; total: number }> {
  const base = () => {
    const q = db('requests as r');
    whereRequestVisible(q, db, viewer);
    whereRequestFilters(q, filter);
    if (filter.stand) q.where('r.status', filter.stand);
    if (filter.schritt)
      q.whereExists(db('request_waits as sw').whereRaw('sw.request_id = r.id').where('sw.step_id', filter.schritt));
    if (filter.ueberfaellig)
      q.whereExists(db('request_waits as ow').whereRaw('ow.request_id = r.id').where('ow.due_at', '<', now));
    return q;
  };
  const n = ((await base().count({ n: '*' }))[0] as { n: string | number } | undefined)?.n ?? 0;
  const waits = db('request_waits')
    .groupBy('request_id')
    .select('request_id', db.raw('min(opened_at) as since'), db.raw('min(due_at) as due'));
  const q = base()
    .leftJoin(waits.as('ws'), 'ws.request_id', 'r.id')
    .leftJoin('org_units as u', 'u.id', 'r.org_unit_id')
    .leftJoin('workflow_instances as i', 'i.request_id', 'r.id')
    .select(
      'r.id',
      'r.title',
      'r.status',
      'r.updated_at',
      'u.name as unit_name',
      db.raw(`r.data->>'platform' as platform`),
      db.raw(`r.data->>'url' as url`),
      'ws.since',
      'ws.due',
      'i.definition_id',
    )
    .limit(paging.limit)
    .offset(paging.offset);
  if (filter.sortierung === 'wartezeit') q.orderByRaw('ws.since asc nulls last, r.id asc');
  else if (filter.sortierung === 'frist') q.orderByRaw('ws.due asc nulls last, ws.since asc, r.id asc');
  else
    q.orderBy([
      { column: 'r.updated_at', order: 'desc' },
      { column: 'r.id', order: 'desc' },
    ]);
  const found: Array<Record<string, unknown>> = await q;
  const ids = found.map((r) => r.id as number);
  const open: Array<{ request_id: number; step_id: string; opened_at: Date; due_at: Date | null }> =
    ids.length > 0 ? await db('request_waits').whereIn('request_id', ids).orderBy(['request_id', 'opened_at']) : [];
  const returnedIds = found.filter((r) => r.status === 'returned').map((r) => r.id as number);
  const returnedAt = new Map<number, Date>(
    returnedIds.length > 0
      ? (
          await db('decisions')
            .whereIn('request_id', returnedIds)
            .where({ outcome: 'returned' })
            .groupBy('request_id')
            .select('request_id', db.raw('max(decided_at) as at'))
        ).map((d: { request_id: number; at: Date }) => [d.request_id, d.at])
      : [],
  );
  const definitionOf = definitionCache(db);
  const rows: RequestListRow[] = [];
  for (const r of found) {
    const definition = r.definition_id ? await definitionOf(r.definition_id as number) : undefined;
    const waitingAt = open
      .filter((w) => w.request_id === r.id)
      .map((w) => ({
        stepId: w.step_id,
        name: definition?.steps.find((s) => s.id === w.step_id)?.name ?? { de: w.step_id, en: w.step_id },
        since: w.opened_at,
        due: w.due_at,
      }));
    rows.push({
      id: r.id as number,
      title: r.title as string,
      status: r.status as string,
      unit_name: (r.unit_name as string | null) ?? null,
      platform: (r.platform as string | null) ?? null,
      url: (r.url as string | null) ?? null,
      updated_at: r.updated_at as Date,
      waitingAt,
      since: (r.since as Date | null) ?? returnedAt.get(r.id as number) ?? null,
      due: (r.due as Date | null) ?? null,
    });
  }
  return { rows, total: Number(n) };
}

/** The task lists with the database and clock bound (src/intern builds it once). */
export function createTaskListService(db: Knex, clock: () => Date) {
  return {
    choices: () => filterChoices(db),
    async myTasks(user: SessionUser, filter: TaskQuery, paging: { limit: number; offset: number }) {
      const now = clock();
      return myTasks(db, await buildActor(db, user, now), filter, now, paging);
    },
    async requestList(user: SessionUser, filter: TaskQuery, paging: { limit: number; offset: number }) {
      // a deputy sees what the people they deputise for today may see (as on the request page)
      const now = clock();
      return requestList(db, (await requestViewer(db, user, now)).viewer, filter, now, paging);
    },
  };
}
export type TaskListService = ReturnType<typeof createTaskListService>;
export type FilterChoices = Awaited<ReturnType<typeof filterChoices>>;
