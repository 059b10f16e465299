import type { Knex } from 'knex';

/**
 * The queries behind the process figures: one per figure, each computed in SQL (counts,
 * medians and 90th percentiles with percentile_cont). Times are passed in as instants;
 * the service turns calendar days, months and quarters (Hannover time) into them.
 */

export interface Range {
  from: Date;
  /** exclusive */
  to: Date;
}

type Row = Record<string, unknown>;

/** The rows of a raw query (both backends answer { rows }). */
async function rows(db: Knex, sql: string, bindings: readonly Knex.RawBinding[] = []): Promise<Row[]> {
  const result = await db.raw<{ rows: Row[] }>(sql, bindings);
  return result.rows;
}

const num = (v: unknown): number => Number(v ?? 0);
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** An SQL array literal of instants ('{"2026-01-31T23:00:00.000Z",…}'): the list of boundaries to count at. */
const instants = (dates: Date[]): string => `{${dates.map((d) => `"${d.toISOString()}"`).join(',')}}`;

/** Each unit's Dezernat (the nearest ancestor of kind "dezernat", itself included); units outside every Dezernat are missing. */
const DEZERNAT_OF_UNIT = `
  with recursive up(unit_id, id, parent_id, kind, depth) as (
    select id, id, parent_id, kind, 0 from org_units
    union all
    select up.unit_id, o.id, o.parent_id, o.kind, up.depth + 1
      from up join org_units o on o.id = up.parent_id
     where up.kind <> 'dezernat' and up.depth < 30
  )
  select up.unit_id, d.id as dezernat_id, d.name as dezernat_name, d.sort_order as dezernat_sort
    from up join org_units d on d.id = up.id
   where up.kind = 'dezernat'`;

export interface StepCount {
  step_id: string;
  open: number;
  overdue: number;
  escalated: number;
}

/** Open steps of requests in review, with how many are past their reminder deadline and how many were escalated. */
export async function openSteps(db: Knex): Promise<StepCount[]> {
  const found = await rows(
    db,
    `
    select s.key as step_id,
           count(*) as open,
           count(*) filter (where s.value->>'remindedAt' is not null) as overdue,
           count(*) filter (where s.value->>'escalatedAt' is not null) as escalated
      from workflow_instances i
     cross join lateral jsonb_each(i.state->'steps') s
     where i.status = 'in_review' and s.value->>'state' = 'open'
     group by s.key
     order by s.key`,
  );
  return found.map((r) => ({
    step_id: String(r.step_id),
    open: num(r.open),
    overdue: num(r.overdue),
    escalated: num(r.escalated),
  }));
}

export interface LeadTime {
  /** null: end to end (submission to publication) */
  step_id: string | null;
  n: number;
  /** days */
  median: number | null;
  p90: number | null;
}

/**
 * Lead time per step: from the step's (last) opening to its decision, for decisions taken in
 * the range; end to end: from the first submission to publication, for requests published in it.
 */
export async function leadTimes(db: Knex, range: Range): Promise<LeadTime[]> {
  const perStep = await rows(
    db,
    `
    select d.step_id,
           count(*) as n,
           percentile_cont(0.5) within group (order by extract(epoch from (d.decided_at - o.at))::float8 / 86400) as median,
           percentile_cont(0.9) within group (order by extract(epoch from (d.decided_at - o.at))::float8 / 86400) as p90
      from decisions d
     cross join lateral (
           select max(h.at) as at from history h
            where h.request_id = d.request_id and h.action = 'workflow.step_opened'
              and h.changes->'step'->>'after' = d.step_id and h.at <= d.decided_at) o
     where d.decided_at >= ? and d.decided_at < ? and o.at is not null
     group by d.step_id
     order by d.step_id`,
    [range.from, range.to],
  );
  const endToEnd = await rows(
    db,
    `
    select count(*) as n,
           percentile_cont(0.5) within group (order by extract(epoch from (r.finished_at - v.submitted_at))::float8 / 86400) as median,
           percentile_cont(0.9) within group (order by extract(epoch from (r.finished_at - v.submitted_at))::float8 / 86400) as p90
      from requests r
      join request_versions v on v.request_id = r.id and v.version = 1
     where r.status = 'published' and r.finished_at >= ? and r.finished_at < ?`,
    [range.from, range.to],
  );
  const row = (r: Row, step: string | null): LeadTime => ({
    step_id: step,
    n: num(r.n),
    median: numOrNull(r.median),
    p90: numOrNull(r.p90),
  });
  return [...perStep.map((r) => row(r, String(r.step_id))), row(endToEnd[0] ?? {}, null)];
}

export interface DezernatCount {
  dezernat_id: number | null;
  dezernat_name: string | null;
  n: number;
}

/** Active presences whose yearly confirmation is overdue, by Dezernat. */
export async function overdueConfirmations(db: Knex): Promise<DezernatCount[]> {
  const found = await rows(
    db,
    `
    with dz as (${DEZERNAT_OF_UNIT})
    select dz.dezernat_id, dz.dezernat_name, min(dz.dezernat_sort) as sort, count(*) as n
      from presences p left join dz on dz.unit_id = p.org_unit_id
     where p.status = 'active' and p.review_overdue
     group by dz.dezernat_id, dz.dezernat_name
     order by sort nulls last, dz.dezernat_name`,
  );
  return found.map((r) => ({
    dezernat_id: numOrNull(r.dezernat_id),
    dezernat_name: (r.dezernat_name as string | null) ?? null,
    n: num(r.n),
  }));
}

export interface ActiveAt {
  /** index into the boundaries */
  i: number;
  group_key: string | null;
  group_name: string | null;
  n: number;
}

/**
 * Presences active at each given instant (published before it, not closed by then), by
 * platform or by Dezernat. Presences without a publication date count from their creation.
 */
export async function activeAt(db: Knex, at: Date[], by: 'platform' | 'dezernat'): Promise<ActiveAt[]> {
  if (at.length === 0) return [];
  const group =
    by === 'platform'
      ? { join: 'join platforms g on g.key = p.platform_key', key: 'g.key', name: 'g.name', sort: 'g.sort_order' }
      : {
          join: `left join (${DEZERNAT_OF_UNIT}) g on g.unit_id = p.org_unit_id`,
          key: 'g.dezernat_id::text',
          name: 'g.dezernat_name',
          sort: 'g.dezernat_sort',
        };
  const found = await rows(
    db,
    `
    select b.i, ${group.key} as group_key, ${group.name} as group_name, count(*) as n
      from unnest(?::timestamptz[]) with ordinality as b(at, i)
      join presences p
        on coalesce(p.published_at, p.created_at) < b.at and (p.closed_at is null or p.closed_at >= b.at)
      ${group.join}
     group by b.i, ${group.key}, ${group.name}, ${group.sort}
     order by b.i, ${group.sort} nulls last, ${group.name}`,
    [instants(at)],
  );
  return found.map((r) => ({
    i: num(r.i) - 1,
    group_key: (r.group_key as string | null) ?? null,
    group_name: (r.group_name as string | null) ?? null,
    n: num(r.n),
  }));
}

/** Presences published and closed within each range (quarters). */
export async function openedAndClosed(db: Knex, ranges: Range[]): Promise<Array<{ opened: number; closed: number }>> {
  if (ranges.length === 0) return [];
  const found = await rows(
    db,
    `
    select r.i,
           (select count(*) from presences p where p.published_at >= r.s and p.published_at < r.e) as opened,
           (select count(*) from presences p where p.closed_at >= r.s and p.closed_at < r.e) as closed
      from unnest(?::timestamptz[], ?::timestamptz[]) with ordinality as r(s, e, i)
     order by r.i`,
    [instants(ranges.map((r) => r.from)), instants(ranges.map((r) => r.to))],
  );
  return found.map((r) => ({ opened: num(r.opened), closed: num(r.closed) }));
}

export interface Outcomes {
  step_id: string;
  returned: number;
  rejected: number;
}

/** Returns and rejections decided in the range, by step. */
export async function returnsAndRejections(db: Knex, range: Range): Promise<Outcomes[]> {
  const found = await rows(
    db,
    `
    select step_id,
           count(*) filter (where outcome = 'returned') as returned,
           count(*) filter (where outcome = 'rejected') as rejected
      from decisions
     where outcome in ('returned', 'rejected') and decided_at >= ? and decided_at < ?
     group by step_id
     order by step_id`,
    [range.from, range.to],
  );
  return found.map((r) => ({
    step_id: String(r.step_id),
    returned: num(r.returned),
    rejected: num(r.rejected),
  }));
}

export interface Reason {
  request_id: number;
  title: string;
  step_id: string;
  outcome: 'returned' | 'rejected';
  comment: string | null;
  decided_at: Date;
}

/** Why: the comments of the returns and rejections in the range, newest first. */
export async function reasons(db: Knex, range: Range, limit = 200): Promise<Reason[]> {
  return db('decisions as d')
    .join('requests as r', 'r.id', 'd.request_id')
    .whereIn('d.outcome', ['returned', 'rejected'])
    .where('d.decided_at', '>=', range.from)
    .where('d.decided_at', '<', range.to)
    .orderBy([
      { column: 'd.decided_at', order: 'desc' },
      { column: 'd.id', order: 'desc' },
    ])
    .limit(limit)
    .select('d.request_id', 'r.title', 'd.step_id', 'd.outcome', 'd.comment', 'd.decided_at');
}

/** Step names from the workflow definitions: the newest definition that has a step id names it. */
export async function stepNames(db: Knex): Promise<Map<string, { de: string; en: string }>> {
  const rows: Array<{ definition: { steps: Array<{ id: string; name: { de: string; en: string } }> } }> = await db(
    'workflow_definitions',
  )
    .orderBy([
      { column: 'created_at', order: 'asc' },
      { column: 'id', order: 'asc' },
    ])
    .select('definition');
  const names = new Map<string, { de: string; en: string }>();
  for (const r of rows) for (const s of r.definition.steps) names.set(s.id, s.name);
  return names;
}

// ---------------------------------------------------------------- the council report

export interface PresenceLine {
  id: number;
  name: string;
  platform_name: string;
  url: string;
  unit_name: string;
  unit_code: string;
  published_at: Date | null;
  closed_at: Date | null;
  close_reason: string | null;
}

const presenceColumns = [
  'p.id',
  'p.name',
  'g.name as platform_name',
  'p.url',
  'u.name as unit_name',
  'u.code as unit_code',
  'p.published_at',
  'p.closed_at',
  'p.close_reason',
];

/** Presences active at an instant, by unit (unit sort order, then name). */
export async function presencesActiveAt(db: Knex, at: Date): Promise<PresenceLine[]> {
  return db('presences as p')
    .join('platforms as g', 'g.key', 'p.platform_key')
    .join('org_units as u', 'u.id', 'p.org_unit_id')
    .whereRaw('coalesce(p.published_at, p.created_at) < ?', [at])
    .where((w) => {
      void w.whereNull('p.closed_at').orWhere('p.closed_at', '>=', at);
    })
    .orderBy([{ column: 'u.sort_order' }, { column: 'u.name' }, { column: 'p.name' }])
    .select(presenceColumns);
}

/** Presences published (or closed) within a range. */
export async function presencesWhere(db: Knex, column: 'published_at' | 'closed_at', range: Range) {
  return db('presences as p')
    .join('platforms as g', 'g.key', 'p.platform_key')
    .join('org_units as u', 'u.id', 'p.org_unit_id')
    .where(`p.${column}`, '>=', range.from)
    .where(`p.${column}`, '<', range.to)
    .orderBy([{ column: `p.${column}` }, { column: 'p.name' }])
    .select<PresenceLine[]>(presenceColumns);
}

/** Whether a table exists (the council report shows open re-assessments once that feature's table is there). */
export async function hasTable(db: Knex, name: string): Promise<boolean> {
  return db.schema.hasTable(name);
}
