import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { databaseUse } from './route-source';

/**
 * Route files receive services and never the database (issue 11 point 1). dependency-cruiser's
 * rule `no-db-in-routes` sees imports only: a router handed `db` inside its deps object imports
 * neither knex nor src/db and still queries. This test reads the route files themselves: no
 * `db`, no transaction, no raw SQL, no knex, whatever the way it came in. The route files are
 * those of the dependency rule (the same pattern, the same named exceptions, which may only shrink).
 */
const root = path.resolve(__dirname, '../..');
const config = createRequire(__filename)(path.join(root, '.dependency-cruiser.cjs'));
const rule = config.forbidden.find((r: { name: string }) => r.name === 'no-db-in-routes');
const routeFile = new RegExp(rule.from.path as string);
const exceptions = new Set(
  typeof rule.from.pathNot === 'string'
    ? rule.from.pathNot
        .replace(/^\^\(|\)\$$/g, '')
        .split('|')
        .map((p: string) => p.replace(/\\\./g, '.'))
    : [],
);

function listSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return listSources(full);
    return entry.name.endsWith('.ts') ? [path.relative(root, full).split(path.sep).join('/')] : [];
  });
}

describe('route files', () => {
  const routes = listSources(path.join(root, 'src')).filter((f) => routeFile.test(f));

  it('are found by the rule, the administration’s eight among them', () => {
    const admin = routes.filter((f) => f.startsWith('src/admin/'));
    expect(admin).toEqual(
      expect.arrayContaining([
        'src/admin/routes.ts',
        'src/admin/units/routes.ts',
        'src/admin/platforms/routes.ts',
        'src/admin/workflows/routes.ts',
        'src/admin/roles/routes.ts',
        'src/admin/history/routes.ts',
        'src/admin/register/routes.ts',
        'src/admin/import/routes.ts',
      ]),
    );
    // an exception names a file that exists: a renamed file cannot keep a stale pass
    for (const file of exceptions) expect(routes).toContain(file);
  });

  it('neither get nor use a database (no db handed in, no transaction, no raw SQL)', () => {
    const found = routes
      .filter((file) => !exceptions.has(file))
      .map((file) => ({ file, uses: databaseUse(readFileSync(path.join(root, file), 'utf8')) }))
      .filter((r) => r.uses.length > 0)
      .map((r) => `${r.file}: ${r.uses.join(', ')}`);
    expect(found).toEqual([]);
  });

  it('are read so that a database handed in is seen, and words in comments and texts are not', () => {
    expect(databaseUse('const { db } = deps;\nawait db("people");')).toEqual(['a `db`']);
    expect(databaseUse('const rows = await deps.db("people");')).toEqual(['a `db`']);
    expect(databaseUse('await service.db.transaction(async (trx) => trx("x"));')).toEqual([
      'a `db`',
      'a `trx`',
      'a transaction',
    ]);
    expect(databaseUse('router.get("/", (q) => q.raw("select 1"));')).toEqual(['raw SQL']);
    expect(databaseUse('import type { Knex } from "knex";')).toEqual(['knex']);
    expect(databaseUse('// the db is behind the service\nconst t = "db(x) transaction()";\nrender(`knex`);')).toEqual(
      [],
    );
  });
});
