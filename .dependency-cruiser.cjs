/**
 * Dependency rules of src/ (issue 11, points 5 and 6). Checked by test/architecture/layers.test.ts
 * as part of `npm test`; `npm run lint:deps` prints the same report.
 *
 * dependency-cruiser 17 supports TypeScript below 7 only; the project compiles with TypeScript 7,
 * which ships no JavaScript compiler API. So the sources are parsed with swc (@swc/core).
 * The rule "no cycles between folders of src/" needs the folder graph, which dependency-cruiser
 * does not check: the test builds it from this cruise (see test/architecture/folders.ts).
 */

/** The pure workflow core: steps, deadlines, working days. No database, web, express or features. */
const WORKFLOW_CORE = '^src/workflow/(core|definition|default-definitions|working-days)\\.ts$';
const NOT_FOR_THE_CORE =
  '^(src/(db|web|admin|audit|cli|demo|directory|guidelines|intern|jobs|notifications|people|public|registry|requests)/' +
  '|src/(app|server)\\.ts$|node_modules/(express|knex|knex-pglite|pg|@electric-sql|express-session|passport)/)';

/**
 * Route files: the routers. They receive services and must not query the database (issue 11
 * point 1: services wired once in src/container.ts). Every file that builds a router is one,
 * outside web/ (the health check and static files) and app.ts (test/architecture/layers.test.ts
 * checks that this pattern covers them all). No exceptions.
 */
const ROUTE_FILES = '(^src/.*/routes\\.ts$|^src/requests/(next-step|substitutions)\\.ts$)';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'workflow-core-pure',
      severity: 'error',
      comment: 'The workflow core is pure: it imports nothing from db, web, express, knex or another feature.',
      from: { path: WORKFLOW_CORE, pathNot: '^src/workflow/working-days\\.ts$' },
      to: { path: NOT_FOR_THE_CORE },
    },
    {
      name: 'workflow-working-days-pure',
      severity: 'error',
      comment:
        'Working days: as pure as the core; it reads the Berlin clock from src/web/dates.ts ' +
        'until time lives in one module (issue 11 point 4).',
      from: { path: '^src/workflow/working-days\\.ts$' },
      to: { path: NOT_FOR_THE_CORE, pathNot: '^src/web/dates\\.ts$' },
    },
    {
      name: 'no-db-in-routes',
      severity: 'error',
      comment: 'Route files receive services; they never import knex or src/db, not even types.',
      from: { path: ROUTE_FILES },
      to: { path: '^(src/db/|node_modules/(knex|knex-pglite|pg)/)' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No module imports itself through others.',
      from: { path: '^src/' },
      to: { circular: true },
    },
  ],
  options: {
    parser: 'swc',
    tsPreCompilationDeps: true,
    includeOnly: '^(src/|node_modules/)',
    doNotFollow: { path: 'node_modules' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.json'] },
  },
};
