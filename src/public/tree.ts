/**
 * The organisational unit tree as the public side shows it: depth-first order (siblings by
 * sort order, then German alphabetical order), each unit's path from the top, and the set
 * of a unit and all its sub-units (the "bereich" filter includes sub-units).
 */
export interface UnitRow {
  id: number;
  code: string;
  name: string;
  short_name: string | null;
  parent_id: number | null;
  hannover_de_url: string | null;
  sort_order: number;
}

export interface UnitNode {
  id: number;
  code: string;
  name: string;
  hannoverDeUrl: string | null;
  depth: number;
  /** Position in depth-first order, 1-based. */
  ord: number;
  /** Names from the top of the tree down to and including this unit. */
  path: string[];
  /** This unit and every unit below it. */
  subtree: number[];
}

export interface UnitTree {
  byId: Map<number, UnitNode>;
  byCode: Map<string, UnitNode>;
  /** Depth-first order. */
  ordered: UnitNode[];
}

const collator = new Intl.Collator('de', { sensitivity: 'base', numeric: true });

export function buildUnitTree(rows: readonly UnitRow[]): UnitTree {
  const ids = new Set(rows.map((r) => r.id));
  const children = new Map<number | null, UnitRow[]>();
  for (const row of rows) {
    // a parent that does not exist (or a cycle, handled below) makes the unit a root
    const parent = row.parent_id !== null && ids.has(row.parent_id) && row.parent_id !== row.id ? row.parent_id : null;
    const list = children.get(parent) ?? [];
    list.push(row);
    children.set(parent, list);
  }
  for (const list of children.values()) {
    list.sort((a, b) => a.sort_order - b.sort_order || collator.compare(a.name, b.name) || a.id - b.id);
  }

  const ordered: UnitNode[] = [];
  const byId = new Map<number, UnitNode>();
  const visit = (row: UnitRow, depth: number, path: string[]): UnitNode => {
    const node: UnitNode = {
      id: row.id,
      code: row.code,
      name: row.name,
      hannoverDeUrl: row.hannover_de_url,
      depth,
      ord: ordered.length + 1,
      path: [...path, row.name],
      subtree: [row.id],
    };
    ordered.push(node);
    byId.set(row.id, node);
    for (const child of children.get(row.id) ?? []) {
      if (byId.has(child.id)) continue;
      node.subtree.push(...visit(child, depth + 1, node.path).subtree);
    }
    return node;
  };
  for (const root of children.get(null) ?? []) visit(root, 0, []);
  // units caught in a parent cycle are unreachable from a root: list them at the end
  for (const row of rows) if (!byId.has(row.id)) visit(row, 0, []);

  return { byId, byCode: new Map(ordered.map((n) => [n.code, n])), ordered };
}
