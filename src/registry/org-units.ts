import type { Knex } from 'knex';

export interface OrgUnit {
  id: number;
  code: string;
  name: string;
  short_name: string | null;
  kind: string;
  parent_id: number | null;
  hannover_de_url: string | null;
  sort_order: number;
  retired_at: Date | null;
}

export interface UnitHead {
  org_unit_id: number;
  uid: string;
  name: string;
  kind: 'head' | 'deputy';
}

export async function listUnits(
  db: Knex | Knex.Transaction,
  opts: { includeRetired?: boolean } = {},
): Promise<OrgUnit[]> {
  const q = db('org_units')
    .select('*')
    .orderBy([{ column: 'sort_order' }, { column: 'name' }]);
  if (!opts.includeRetired) q.whereNull('retired_at');
  return q;
}

export async function unitByCode(db: Knex | Knex.Transaction, code: string): Promise<OrgUnit | undefined> {
  return db('org_units').where({ code }).first<OrgUnit | undefined>();
}

export async function unitById(db: Knex | Knex.Transaction, id: number): Promise<OrgUnit | undefined> {
  return db('org_units').where({ id }).first<OrgUnit | undefined>();
}

/** "Dezernat IV › Fachbereich Kultur": the unit's path from the top of the tree. */
export function unitPath(units: OrgUnit[], unit: OrgUnit): OrgUnit[] {
  const byId = new Map(units.map((u) => [u.id, u]));
  const path: OrgUnit[] = [];
  let current: OrgUnit | undefined = unit;
  const seen = new Set<number>();
  while (current && !seen.has(current.id)) {
    seen.add(current.id);
    path.unshift(current);
    current = current.parent_id ? byId.get(current.parent_id) : undefined;
  }
  return path;
}

/** Units in tree order (depth-first, siblings by sort order and name), with their depth. */
export function unitTree(units: OrgUnit[]): Array<{ unit: OrgUnit; depth: number }> {
  const children = new Map<number | null, OrgUnit[]>();
  const ids = new Set(units.map((u) => u.id));
  for (const u of units) {
    const parent = u.parent_id && ids.has(u.parent_id) ? u.parent_id : null;
    children.set(parent, [...(children.get(parent) ?? []), u]);
  }
  const out: Array<{ unit: OrgUnit; depth: number }> = [];
  const walk = (parent: number | null, depth: number) => {
    for (const u of children.get(parent) ?? []) {
      out.push({ unit: u, depth });
      walk(u.id, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}

/**
 * The unit codes a person may sign off as head: units they head (or deputise) in the
 * register, plus their own directory unit when the directory names them a unit head —
 * and, below those, every sub-unit that has no head of its own.
 */
export async function unitsHeadedBy(
  db: Knex | Knex.Transaction,
  person: { uid: string; roles: string[]; unit?: string | null },
): Promise<string[]> {
  // every unit (retired ones too: their heads count, as below) with its heads' ids, in one
  // statement: this runs for every page and decision of the staff area (issue 14)
  const rows: Array<{
    id: number;
    code: string;
    parent_id: number | null;
    retired_at: Date | null;
    head_uids: string[] | string;
  }> = await db('org_units as u')
    .select(
      'u.id',
      'u.code',
      'u.parent_id',
      'u.retired_at',
      db.raw(
        "coalesce((SELECT json_agg(h.uid) FROM org_unit_heads h WHERE h.org_unit_id = u.id), '[]'::json) AS head_uids",
      ),
    )
    .orderBy([{ column: 'u.sort_order' }, { column: 'u.name' }]);
  const units = rows.filter((u) => !u.retired_at);
  const heads = rows.flatMap((u) =>
    (typeof u.head_uids === 'string' ? (JSON.parse(u.head_uids) as string[]) : u.head_uids).map((uid) => ({
      org_unit_id: u.id,
      uid,
    })),
  );
  const headed = new Set<number>(heads.filter((h) => h.uid === person.uid).map((h) => h.org_unit_id));
  if (person.roles.includes('unit_head') && person.unit) {
    const own = units.find((u) => u.code === person.unit);
    if (own) headed.add(own.id);
  }
  const withHeads = new Set(heads.map((h) => h.org_unit_id));
  const childrenOf = new Map<number, typeof units>();
  for (const u of units) if (u.parent_id) childrenOf.set(u.parent_id, [...(childrenOf.get(u.parent_id) ?? []), u]);
  const result = new Set<number>();
  const walk = (id: number) => {
    result.add(id);
    for (const child of childrenOf.get(id) ?? []) if (!withHeads.has(child.id)) walk(child.id);
  };
  headed.forEach(walk);
  return units.filter((u) => result.has(u.id)).map((u) => u.code);
}

/** The people who sign off for a unit: its heads, or the nearest ancestor's. */
export async function headsForUnit(db: Knex | Knex.Transaction, code: string): Promise<UnitHead[]> {
  const units = await listUnits(db, { includeRetired: true });
  let unit = units.find((u) => u.code === code);
  const seen = new Set<number>();
  while (unit && !seen.has(unit.id)) {
    seen.add(unit.id);
    const heads: UnitHead[] = await db('org_unit_heads').where({ org_unit_id: unit.id }).orderBy('kind', 'desc');
    if (heads.length > 0) return heads;
    unit = unit.parent_id ? units.find((u) => u.id === unit?.parent_id) : undefined;
  }
  return [];
}
