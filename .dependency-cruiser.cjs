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

/** Route files: the routers. They must not query the database (issue 11 point 1: services wired once). */
const ROUTE_FILES = '(^src/.*/routes\\.ts$|^src/web/signin\\.ts$)';

/** Route files that still import knex or src/db today. This list may only shrink. */
const ROUTES_STILL_QUERYING = [
  'src/guidelines/routes.ts', // until the service layer (issue 11 point 1)
  'src/intern/routes.ts', // until the service layer (issue 11 point 1)
  'src/notifications/routes.ts', // until the service layer (issue 11 point 1)
  'src/public/routes.ts', // until the service layer (issue 11 point 1)
  'src/presences/routes.ts', // until the service layer (issue 11 point 1)
  'src/requests/routes.ts', // until the service layer (issue 11 point 1)
  'src/signin/routes.ts', // until the service layer (issue 11 point 1)
];
const escape = (p) => p.replace(/[.]/g, '\\.');

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
      comment: 'Route files receive services; they never import knex or src/db. Known exceptions are listed by name.',
      from: { path: ROUTE_FILES, pathNot: `^(${ROUTES_STILL_QUERYING.map(escape).join('|')})$` },
      to: { path: '^(src/db/|node_modules/(knex|knex-pglite|pg)/)' },
    },
    {
      name: 'no-db-in-route-deps',
      severity: 'error',
      comment:
        'What a router receives (a deps.ts interface) names services, not the database: a router handed ' +
        'a Knex queries without importing knex (test/architecture/routes-no-db.test.ts reads the route files too).',
      from: { path: '^src/.*/deps\\.ts$' },
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
