import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { folderCycles, folderGraph, type CruisedModule } from './folders';

/**
 * The layers of src/ (issue 11, points 5 and 6), checked with dependency-cruiser and the rules in
 * .dependency-cruiser.cjs: no cycles between folders, a pure workflow core, no database in
 * route files (every router receives services from src/container.ts; no exceptions).
 */
const root = path.resolve(__dirname, '../..');
const config = createRequire(__filename)(path.join(root, '.dependency-cruiser.cjs'));

interface Violation {
  rule: { name: string };
  from: string;
  to: string;
}

async function cruiseSrc(forbidden: unknown[]) {
  const { cruise } = await import('dependency-cruiser');
  const cwd = process.cwd();
  process.chdir(root);
  try {
    const result = await cruise(['src'], { ...config.options, validate: true, ruleSet: { forbidden } });
    const output = result.output as { modules: CruisedModule[]; summary: { violations: Violation[] } };
    return output;
  } finally {
    process.chdir(cwd);
  }
}

describe('the layers of src/', () => {
  it('keep every dependency rule', async () => {
    const { summary } = await cruiseSrc(config.forbidden);
    expect(summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`)).toEqual([]);
  }, 60_000);

  it('have no cycles between folders', async () => {
    const { modules } = await cruiseSrc([]);
    const graph = folderGraph(modules);
    expect(graph.get('workflow/')?.size).toBeGreaterThan(0); // the cruise saw the imports
    expect(folderCycles(graph)).toEqual([]);
  }, 60_000);

  it('hold the database rule for every file that builds a router, with no exceptions', () => {
    const rule = config.forbidden.find((r: { name: string }) => r.name === 'no-db-in-routes');
    expect(rule.from.pathNot).toBeUndefined();
    const routeFile = new RegExp(rule.from.path as string);
    // a router in a file the rule does not name could query the database unseen
    const routers = listSources(path.join(root, 'src'))
      .filter((file) => /\bRouter\(\)/.test(readFileSync(path.join(root, file), 'utf8')))
      .filter((file) => file !== 'src/app.ts' && !file.startsWith('src/web/'));
    expect(routers.length).toBeGreaterThan(8);
    expect(routers.filter((file) => !routeFile.test(file))).toEqual([]);
  });
});

/** Every TypeScript file below a folder, as a path from the project root. */
function listSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return listSources(full);
    return entry.name.endsWith('.ts') ? [path.relative(root, full).split(path.sep).join('/')] : [];
  });
}

describe('folderCycles', () => {
  const mod = (source: string, ...deps: string[]): CruisedModule => ({
    source,
    dependencies: deps.map((resolved) => ({ resolved })),
  });

  it('finds a cycle between two folders and names the imports that close it', () => {
    const graph = folderGraph([
      mod('src/requests/store.ts', 'src/workflow/core.ts'),
      mod('src/workflow/deadlines.ts', 'src/requests/store.ts', 'node_modules/knex/knex.js'),
      mod('src/workflow/core.ts', 'src/workflow/definition.ts'),
    ]);
    expect(folderCycles(graph)).toEqual([
      {
        folders: ['requests/', 'workflow/'],
        imports: ['src/requests/store.ts → src/workflow/core.ts', 'src/workflow/deadlines.ts → src/requests/store.ts'],
      },
    ]);
  });

  it('finds a longer cycle through a file directly in src/, and none in layers', () => {
    const cyclic = folderGraph([
      mod('src/web/i18n.ts', 'src/messages.ts'),
      mod('src/messages.ts', 'src/registry/messages.ts'),
      mod('src/registry/routes.ts', 'src/web/render.ts'),
    ]);
    expect(folderCycles(cyclic).map((c) => c.folders)).toEqual([['messages.ts', 'registry/', 'web/']]);
    const layered = folderGraph([
      mod('src/app.ts', 'src/messages.ts', 'src/web/i18n.ts'),
      mod('src/messages.ts', 'src/registry/messages.ts'),
      mod('src/registry/messages.ts', 'src/i18n/keys.ts'),
      mod('src/web/i18n.ts', 'src/i18n/keys.ts'),
    ]);
    expect(folderCycles(layered)).toEqual([]);
  });
});
