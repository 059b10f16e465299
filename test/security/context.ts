import request from 'supertest';
import express, { type Express } from 'express';
import { loadConfig, demoDirectoryConfig, type Config, type Env } from '../../src/config';
import { createApp, type Services } from '../../src/app';
import { buildContainer } from '../../src/container';
import { createDirectory, type Directory } from '../../src/directory/directory';
import { startDemoDirectory } from '../../src/directory/demo-server';
import { demoAccounts } from '../../src/directory/demo-accounts';
import type { SessionUser } from '../../src/directory/user';
import { createLogger } from '../../src/web/logging';
import { seedDemo } from '../../src/demo/seed';
import type { RequestService } from '../../src/requests/service';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { TEST_ENV } from '../helpers/app';
import { csrfFrom } from '../helpers/http';
import { extendedLdif, PEOPLE, requestData, uniqueAccount } from './data';

export { extendedLdif, PEOPLE, requestData, uniqueAccount } from './data';

/**
 * The security suite's own context: the real app from createApp on this run's backend
 * (PGlite, or PostgreSQL with TEST_DATABASE_URL), seeded with seedDemo, against the built-in
 * demo directory extended by three people the demo LDIF lacks, so that every role of the
 * authorisation matrix is a real person signing in through LDAP:
 *
 *   mitarbeiter  – employee of unit 41 (Kultur), no role, named on nothing ("employee")
 *   redaktion40  – employee of unit 40 (Schule), editor of a presence of unit 40 only
 *                  ("editor of another unit")
 *   leitung40    – in the unit-head group, head of unit 40 ("unit head of another unit")
 *
 * The demo LDIF file itself is untouched; the entries are appended to its text in memory.
 */

/** The eleven roles of the matrix and the person who plays each (undefined: not signed in). */
export const ROLE_USERS = {
  anonymous: undefined,
  employee: 'mitarbeiter',
  editorOtherUnit: 'redaktion40',
  editor: 'redaktion',
  unitHeadOtherUnit: 'leitung40',
  unitHead: 'leitung',
  communications: 'kommunikation',
  dataProtection: 'datenschutz',
  hannoverde: 'hannoverde',
  staffCouncil: 'personalrat',
  admin: 'admin',
} as const;
export type RoleName = keyof typeof ROLE_USERS;
export const ROLES = Object.keys(ROLE_USERS) as RoleName[];

export interface RouteInfo {
  method: string;
  /** Full path pattern as registered, mount prefixes included, e.g. GET /intern/antraege/:id */
  path: string;
}

export interface SecurityContext {
  app: Express;
  config: Config;
  database: TestDatabase;
  directory: Directory;
  clock: { now: Date };
  /** Every route the app registered, found while createApp ran (see discoverRoutes). */
  routes: RouteInfo[];
  service: RequestService;
  close(): Promise<void>;
}

type AnyRouter = { stack: Layer[] };
interface Layer {
  rawPath?: unknown;
  route?: { path: unknown; methods: Record<string, boolean> };
  handle: unknown;
}

/**
 * Why not just walk `app.router.stack`: the staff area (session, passport, CSRF, /anmelden,
 * /intern/...) is a Router that app.ts calls from inside a closure
 * (`(req,res,next) => STAFF_PATHS.test(req.path) ? staff(req,res,next) : next()`), so it is
 * not reachable from the app's stack at all. Instead we record every Router that gets a
 * route or a `use` while createApp runs (by wrapping Router.prototype.route/use for that
 * moment only). Routers that are mounted in another recorded router are reached by the walk
 * (router 2.x keeps each layer's `rawPath`, so mount prefixes are exact strings); any other
 * recorded router is a root: the app's own router, or a router called from a gate closure,
 * which sees the full request path (mounted at '/'). Every route of every recorded router is
 * therefore in the list, however it is mounted, and a new route without a table entry fails.
 */
export function discoverRoutes<T>(
  build: () => T,
  appRouter: (result: T) => unknown,
): { result: T; routes: RouteInfo[] } {
  const proto = express.Router.prototype as unknown as {
    route: (...a: unknown[]) => unknown;
    use: (...a: unknown[]) => unknown;
  };
  const seen = new Set<AnyRouter>();
  const origRoute = proto.route;
  const origUse = proto.use;
  proto.route = function (this: AnyRouter, ...args: unknown[]) {
    seen.add(this);
    return origRoute.apply(this, args);
  };
  proto.use = function (this: AnyRouter, ...args: unknown[]) {
    seen.add(this);
    return origUse.apply(this, args);
  };
  let result: T;
  try {
    result = build();
  } finally {
    proto.route = origRoute;
    proto.use = origUse;
  }
  const root = appRouter(result) as AnyRouter;
  const children = new Set<unknown>();
  for (const r of seen)
    for (const l of r.stack) if (!l.route && Array.isArray((l.handle as AnyRouter)?.stack)) children.add(l.handle);
  const roots = [root, ...[...seen].filter((r) => r !== root && !children.has(r))];
  const routes: RouteInfo[] = [];
  const join = (prefix: string, p: string) => (p === '/' ? prefix || '/' : `${prefix}${p}`);
  const walk = (router: AnyRouter, prefix: string, depth: number) => {
    if (depth > 10) throw new Error('router nesting deeper than 10');
    for (const layer of router.stack) {
      if (layer.route) {
        if (typeof layer.route.path !== 'string')
          throw new Error(`route with a non-string path below ${prefix}: ${String(layer.route.path)}`);
        for (const m of Object.keys(layer.route.methods)) {
          if (m === '_all')
            throw new Error(`router.all() at ${prefix}${layer.route.path}: give it a table entry per method`);
          routes.push({ method: m.toUpperCase(), path: join(prefix, layer.route.path) });
        }
      } else if (Array.isArray((layer.handle as AnyRouter)?.stack)) {
        if (typeof layer.rawPath !== 'string') throw new Error(`router mounted at a non-string path below ${prefix}`);
        walk(
          layer.handle as AnyRouter,
          join(prefix, layer.rawPath) === '/' ? '' : join(prefix, layer.rawPath),
          depth + 1,
        );
      }
    }
  };
  for (const r of roots) walk(r, '', 0);
  // one entry per method+path (the same route may be reachable twice, e.g. via two roots)
  const unique = new Map(routes.map((r) => [`${r.method} ${r.path}`, r]));
  return { result, routes: [...unique.values()] };
}

export interface ContextOptions {
  env?: Env;
  /** seedDemo plus the matrix fixtures (default true). */
  seed?: boolean;
}

export async function createSecurityContext(opts: ContextOptions = {}): Promise<SecurityContext> {
  const config = loadConfig({ ...TEST_ENV, ...opts.env });
  const [database, demo] = await Promise.all([createTestDatabase(), startDemoDirectory(0, extendedLdif())]);
  const directory = createDirectory(demoDirectoryConfig(demo.url));
  const clock = { now: new Date() };
  const services: Services = buildContainer({
    config,
    db: database.db,
    directory,
    logger: createLogger((process.env.SMR_TEST_LOG as 'error' | undefined) ?? 'silent'),
    clock: () => clock.now,
    demoAccounts: demoAccounts(),
  });
  const { result: app, routes } = discoverRoutes(
    () => createApp(config, services),
    (a) => (a as unknown as { router: unknown }).router,
  );
  const service = services.requests;
  const ctx: SecurityContext = {
    app,
    config,
    database,
    directory,
    clock,
    routes,
    service,
    close: async () => {
      await database.close();
      await demo.close();
    },
  };
  if (opts.seed !== false) {
    await seedDemo(database.db, directory, () => clock.now, config.baseUrl);
  }
  return ctx;
}

/** A new request by redaktion (unit 41), submitted: waiting for the unit head. */
export async function submittedRequest(
  ctx: SecurityContext,
  name = 'Fixture',
  author = PEOPLE.redaktion as SessionUser,
  unit = '41',
): Promise<number> {
  const data = requestData(name, uniqueAccount(), unit);
  const id = await ctx.service.create(author, data);
  const result = await ctx.service.submit(author, id, data);
  if (!result.ok) throw new Error(`fixture request invalid: ${JSON.stringify(result.problems)}`);
  return id;
}

/** A new active presence of `unit` with the given editors (straight into the register). */
export async function presenceFixture(
  ctx: SecurityContext,
  unit: string,
  editors: string[],
  name = 'Fixture-Angebot',
): Promise<number> {
  const db = ctx.database.db;
  const account = uniqueAccount('presence');
  const u = await db('org_units').where({ code: unit }).first('id', 'hannover_de_url');
  const now = ctx.clock.now;
  const [row] = await db('presences')
    .insert({
      slug: `${account.replace(/[^a-z0-9]+/g, '-')}-facebook`,
      platform_key: 'facebook',
      account_id: account,
      url: `https://www.facebook.com/${account}`,
      name,
      description: `${name} – Beschreibung`,
      org_unit_id: u.id,
      hannover_de_url: u.hannover_de_url ?? 'https://www.hannover.de/',
      status: 'active',
      published_at: now,
      last_confirmed_at: now,
      review_due: '2099-01-01',
      created_at: now,
      updated_at: now,
    })
    .returning('id');
  const id = (row as { id: number }).id;
  for (const [i, uid] of editors.entries()) {
    await db('presence_editors').insert({ presence_id: id, uid, name: uid, position: i + 1 });
  }
  return id; // the register_state triggers bump the public caches' version
}

export type Agent = ReturnType<typeof request.agent>;

/** A signed-in agent (through the real form) and its CSRF token; anonymous agents get a session via /anmelden. */
export async function agentFor(app: Express, uid: string | undefined): Promise<{ agent: Agent; csrf: string }> {
  const agent = request.agent(app);
  const form = await agent.get('/anmelden').expect(200);
  if (!uid) return { agent, csrf: csrfFrom(form.text) };
  const res = await agent
    .post('/anmelden')
    .type('form')
    .send({ username: uid, password: 'demo', _csrf: csrfFrom(form.text) });
  if (res.status !== 303) throw new Error(`Sign-in of ${uid} failed with ${res.status}`);
  const page = await agent.get('/intern/vertretung').expect(200);
  return { agent, csrf: csrfFrom(page.text) };
}

/** Row counts of every table that holds register or workflow data (for "nothing changed"). */
export async function tableCounts(ctx: SecurityContext): Promise<Record<string, number>> {
  const db = ctx.database.db;
  const tables = [
    'requests',
    'request_versions',
    'request_editors',
    'workflow_instances',
    'decisions',
    'history',
    'outbox',
    'presences',
    'presence_editors',
    'substitutions',
    'org_units',
    'org_unit_heads',
    'platforms',
    'workflow_definitions',
    'admin_uploads',
  ];
  const out: Record<string, number> = {};
  for (const t of tables) {
    if (!(await db.schema.hasTable(t))) continue;
    const row = (await db(t).count({ n: '*' }).first()) as { n: number | string };
    out[t] = Number(row.n);
  }
  return out;
}

/** A digest of the mutable content (status columns etc.), to see updates as well as inserts. */
export async function contentDigest(ctx: SecurityContext): Promise<string> {
  const db = ctx.database.db;
  const parts = [
    await db('requests').orderBy('id').select('id', 'status', 'version', 'title', 'data'),
    await db('presences')
      .orderBy('id')
      .select('id', 'status', 'name', 'url', 'description', 'last_confirmed_at', 'review_due'),
    await db('org_units').orderBy('id').select('id', 'code', 'name', 'retired_at', 'parent_id'),
    await db('platforms').orderBy('key').select('key', 'enabled', 'rules'),
    await db('substitutions').orderBy('id').select('id', 'revoked_at'),
    await db('request_editors').orderBy(['request_id', 'uid']).select('request_id', 'uid', 'confirmed_at'),
  ];
  return JSON.stringify(parts);
}
