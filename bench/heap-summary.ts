/**
 * What a V8 heap snapshot holds (`node --import tsx bench/heap-summary.ts FILE [FILE2]`), not a
 * test: the self size of every object summed by kind and constructor name, biggest first, and
 * with a second file the growth from the first to the second. Snapshots come from
 * `npm run bench:load -- --heap-snapshots DIR` (or `node --heapsnapshot-signal=SIGUSR2`). A
 * snapshot holds live objects only: V8 collects garbage before writing it.
 *
 * Options: --top N (25).
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';

const { values: opts, positionals } = parseArgs({
  options: { top: { type: 'string', default: '25' } },
  allowPositionals: true,
});

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] }; node_count: number };
  nodes: number[];
  strings: string[];
}

/** Self size by "type: name" (names of strings, arrays and code are left out: they are countless). */
function summarise(file: string): {
  total: number;
  count: number;
  groups: Map<string, { size: number; count: number }>;
} {
  const snap = JSON.parse(fs.readFileSync(file, 'utf8')) as Snapshot;
  const fields = snap.snapshot.meta.node_fields;
  const types = snap.snapshot.meta.node_types[0];
  const width = fields.length;
  const iType = fields.indexOf('type');
  const iName = fields.indexOf('name');
  const iSize = fields.indexOf('self_size');
  const groups = new Map<string, { size: number; count: number }>();
  let total = 0;
  let count = 0;
  for (let i = 0; i < snap.nodes.length; i += width) {
    const type = types[snap.nodes[i + iType] as number] as string;
    const size = snap.nodes[i + iSize] as number;
    const named = type === 'object' || type === 'closure' || type === 'native';
    const key = named ? `${type}: ${snap.strings[snap.nodes[i + iName] as number]}` : type;
    const g = groups.get(key) ?? { size: 0, count: 0 };
    g.size += size;
    g.count += 1;
    groups.set(key, g);
    total += size;
    count += 1;
  }
  return { total, count, groups };
}

const mb = (n: number) => (n / 1e6).toFixed(1);
const top = Number(opts.top);
const [first, second] = positionals;
if (!first) throw new Error('usage: bench/heap-summary.ts FILE [FILE2]');
const a = summarise(first);
if (!second) {
  console.log(`${first}: ${mb(a.total)} MB in ${a.count} objects\n\n| MB | objects | kind |\n|---:|---:|---|`);
  for (const [key, g] of [...a.groups].sort((x, y) => y[1].size - x[1].size).slice(0, top))
    console.log(`| ${mb(g.size)} | ${g.count} | ${key} |`);
} else {
  const b = summarise(second);
  console.log(
    `${first}: ${mb(a.total)} MB in ${a.count} objects; ${second}: ${mb(b.total)} MB in ${b.count} objects\n\n| MB before | MB after | growth MB | objects after | kind |\n|---:|---:|---:|---:|---|`,
  );
  const keys = new Set([...a.groups.keys(), ...b.groups.keys()]);
  const rows = [...keys].map((k) => ({ k, before: a.groups.get(k)?.size ?? 0, after: b.groups.get(k) }));
  rows.sort((x, y) => (y.after?.size ?? 0) - y.before - ((x.after?.size ?? 0) - x.before));
  for (const r of rows.slice(0, top))
    console.log(
      `| ${mb(r.before)} | ${mb(r.after?.size ?? 0)} | ${mb((r.after?.size ?? 0) - r.before)} | ${r.after?.count ?? 0} | ${r.k} |`,
    );
}
