/**
 * The folder graph of src/: which folder imports which. dependency-cruiser checks rules between
 * modules; "no cycles between folders" needs this coarser graph, built from its cruise.
 * A file directly in src/ (app.ts, messages.ts, …) counts as a folder of its own.
 */
export interface CruisedModule {
  source: string;
  dependencies: { resolved: string }[];
}

export function folderOf(path: string): string | undefined {
  const parts = path.split('/');
  if (parts[0] !== 'src' || parts.length < 2) return undefined;
  return parts.length === 2 ? parts[1] : `${parts[1]}/`;
}

/** For each folder, the folders it imports, with one example import per edge. */
export function folderGraph(modules: CruisedModule[]): Map<string, Map<string, string>> {
  const graph = new Map<string, Map<string, string>>();
  for (const m of modules) {
    const from = folderOf(m.source);
    if (!from) continue;
    if (!graph.has(from)) graph.set(from, new Map());
    for (const d of m.dependencies) {
      const to = folderOf(d.resolved);
      if (!to || to === from) continue;
      const edges = graph.get(from)!;
      if (!edges.has(to)) edges.set(to, `${m.source} → ${d.resolved}`);
    }
  }
  return graph;
}

/**
 * The cycles between folders: every strongly connected set of two or more folders (Tarjan),
 * each sorted, with the imports that close it — empty when the folders form layers.
 */
export function folderCycles(graph: Map<string, Map<string, string>>): { folders: string[]; imports: string[] }[] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let next = 0;
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next);
    next += 1;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v)?.keys() ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
  return found
    .map((folders) => ({
      folders,
      imports: folders.flatMap((a) => folders.filter((b) => graph.get(a)?.has(b)).map((b) => graph.get(a)!.get(b)!)),
    }))
    .sort((a, b) => a.folders[0]!.localeCompare(b.folders[0]!));
}
