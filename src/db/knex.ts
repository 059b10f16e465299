import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import ClientPgLite from 'knex-pglite';
import { PGlite } from '@electric-sql/pglite';
import type { Config } from '../config';
import { pgliteParsers, pgTypeOverrides } from './types';
import { acquireDataDirLock } from './lock';
import { migrationSource } from '../../migrations';
import { fromProjectRoot } from '../paths';

export type Db = Knex;

/** Where knex's own warnings go (it prints to the console otherwise). */
export interface KnexLogger {
  warn(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
}
const knexLog = (logger: KnexLogger) => ({
  warn: (message: unknown) => logger.warn({ knex: String(message) }, 'database warning'),
  error: (message: unknown) => logger.warn({ knex: String(message) }, 'database error'),
  deprecate: (message: unknown) => logger.debug({ knex: String(message) }, 'knex deprecation'),
  debug: (message: unknown) => logger.debug({ knex: String(message) }, 'knex debug'),
});

export interface Database {
  db: Db;
  kind: 'postgres' | 'pglite';
  /** Close connections and release the data-folder lock. */
  close(): Promise<void>;
  /**
   * PGlite only: how the data folder came to be on this start – 'initdb' (a new cluster),
   * 'template' (loaded from a migrated template), 'existing' (opened as it was).
   */
  created?: 'initdb' | 'template' | 'existing';
  /** PGlite only: where this start looks for and keeps its migrated template (null: never). */
  templateFile?: string | null;
  /** PGlite only: the embedded database itself. */
  pglite?: PGlite;
}

const common: Partial<Knex.Config> = {
  acquireConnectionTimeout: 10_000,
  migrations: { migrationSource, tableName: 'knex_migrations' },
};

export function connectPostgres(url: string, poolMax = 10, logger?: KnexLogger): Database {
  const db = knexFactory({
    ...common,
    ...(logger ? { log: knexLog(logger) } : {}),
    client: 'pg',
    connection: { connectionString: url, types: pgTypeOverrides } as Knex.PgConnectionConfig,
    pool: { min: 0, max: poolMax },
  });
  return { db, kind: 'postgres', close: () => db.destroy() };
}

/**
 * Wrap an existing PGlite instance (tests hand in copies of a migrated template). With
 * `keepOpen`, closing the Database ends knex but leaves the PGlite instance open for its owner
 * (the test helpers reuse instances: test/helpers/db.ts); otherwise closing closes PGlite too.
 */
export function connectPglite(pglite: PGlite, onClose?: () => void, options: { keepOpen?: boolean } = {}): Database {
  // knex-pglite closes its one connection when knex is destroyed: hand it a view of the
  // instance whose close() does nothing when the instance is to stay open
  const connection = options.keepOpen ? keptOpen(pglite) : pglite;
  const db = knexFactory({
    ...common,
    client: ClientPgLite,
    dialect: 'postgres',
    connection: () => ({ pglite: connection }) as object,
  } as Knex.Config);
  return {
    db,
    kind: 'pglite',
    pglite,
    close: async () => {
      await db.destroy();
      if (!options.keepOpen && !pglite.closed) await pglite.close();
      onClose?.();
    },
  };
}

/** The same PGlite instance, except that close() leaves it open (methods bound to the instance: PGlite uses private fields). */
function keptOpen(pglite: PGlite): PGlite {
  return new Proxy(pglite, {
    get(target, prop) {
      if (prop === 'close') return () => Promise.resolve();
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/**
 * PostgreSQL settings of the embedded database, passed at every start (they override the data
 * folder's postgresql.conf). PGlite keeps PostgreSQL's shared memory inside its WebAssembly
 * memory, which is set up at start and never shrinks: with PostgreSQL's default
 * shared_buffers=128MB an idle instance holds some 160 MB of it (bench/RESULTS.md, "Memory under
 * the mixed load"). The embedded database serves one process with one connection; the demo
 * register with PostgreSQL's catalogue takes some 10 MB, which 16MB keeps cached, and a page not
 * cached is read from the operating system's file cache. wal_buffers follows (1/32 of
 * shared_buffers).
 */
export const PGLITE_SETTINGS: readonly string[] = ['shared_buffers=16MB'];

export function newPglite(dataDir?: string, loadDataDir?: Blob): PGlite {
  return new PGlite({
    ...(dataDir ? { dataDir } : {}),
    ...(loadDataDir ? { loadDataDir } : {}),
    parsers: pgliteParsers,
    startParams: [...PGlite.defaultStartParams, ...PGLITE_SETTINGS.flatMap((s) => ['-c', s])],
  });
}

/** Where migrated PGlite templates are kept: outside any data folder, so every new data folder can use them. */
export const DEFAULT_TEMPLATE_DIR = fromProjectRoot('node_modules', '.cache', 'social-media-register');
const TEMPLATE_PREFIX = 'pglite-template-';

/** The folder of the migrated template named `key` (see templateKey) in `dir`. */
export const templatePath = (key: string, dir: string = DEFAULT_TEMPLATE_DIR) =>
  path.join(dir, `${TEMPLATE_PREFIX}${key}`);

/**
 * Names the template for a migration list: the PGlite version (its data format) and every
 * migration's name, in order. A migration added or renamed, or another PGlite, gives another
 * name, so a template that no longer fits is never loaded. (Migrations are never edited once
 * merged – a change is a new migration – and the compiled build and tsx must share a template,
 * so the code itself is not part of the name.)
 */
export async function templateKey(
  source: Knex.MigrationSource<string> = migrationSource,
  pgliteVersion: string | null = readPgliteVersion(),
): Promise<string | null> {
  if (pgliteVersion === null) return null;
  const hash = createHash('sha256').update(`pglite ${pgliteVersion}\n`);
  for (const name of await source.getMigrations([])) hash.update(`${source.getMigrationName(name)}\n`);
  return hash.digest('hex').slice(0, 20);
}

function readPgliteVersion(): string | null {
  try {
    const manifest = JSON.parse(
      fs.readFileSync(fromProjectRoot('node_modules', '@electric-sql', 'pglite', 'package.json'), 'utf8'),
    ) as { version?: unknown };
    return typeof manifest.version === 'string' ? manifest.version : null;
  } catch {
    return null;
  }
}

export async function openDatabase(
  config: Config,
  logger?: KnexLogger,
  options: { templateDir?: string | null } = {},
): Promise<Database> {
  // never a template for PostgreSQL: its schema is made by migrations on the server itself
  if (config.database.kind === 'postgres') return connectPostgres(config.database.url, config.database.poolMax, logger);
  if (config.env === 'production') throw new Error('The embedded database never runs in production');
  const dataDir = config.database.dataDir;
  const release = acquireDataDirLock(dataDir);
  try {
    const pgdata = path.join(dataDir, 'pgdata');
    const templateDir = options.templateDir === undefined ? DEFAULT_TEMPLATE_DIR : options.templateDir;
    const key = templateDir === null ? null : await templateKey();
    const templateFile = templateDir === null || key === null ? null : templatePath(key, templateDir);
    const fresh = !fs.existsSync(path.join(pgdata, 'PG_VERSION'));
    if (fresh && templateFile !== null && fs.existsSync(path.join(templateFile, 'PG_VERSION'))) {
      try {
        // a plain copy of a cleanly shut down, migrated cluster: no initdb, no migrations, and
        // nothing unpacked inside PGlite's WebAssembly memory
        fs.rmSync(pgdata, { recursive: true, force: true });
        fs.cpSync(templateFile, pgdata, { recursive: true });
        const pglite = newPglite(pgdata);
        await pglite.waitReady;
        return { ...connectPglite(pglite, release), created: 'template', templateFile };
      } catch (err) {
        // a damaged template: forget it and make the cluster the slow way
        logger?.warn({ err: String(err), templateFile }, 'database template unusable, creating the database anew');
        fs.rmSync(templateFile, { recursive: true, force: true });
        fs.rmSync(pgdata, { recursive: true, force: true });
      }
    }
    let pglite = newPglite(pgdata);
    await pglite.waitReady;
    if (fresh && templateFile !== null) {
      // a new cluster: migrate it now, shut it down cleanly, keep a copy as the template for the
      // next new data folder (before anything else is written: no demo data, no sessions), reopen.
      // Best effort: without a writable cache folder the start goes on.
      try {
        const first = connectPglite(pglite);
        try {
          await migrateLatest(first.db);
        } finally {
          await first.close(); // a failed migration is run (and reported) again by migrateDatabase
        }
        keepTemplate(pgdata, templateFile);
      } catch (err) {
        logger?.warn({ err: String(err), templateFile }, 'database template not kept');
      }
      if (pglite.closed) {
        pglite = newPglite(pgdata);
        await pglite.waitReady;
      }
    }
    return { ...connectPglite(pglite, release), created: fresh ? 'initdb' : 'existing', templateFile };
  } catch (err) {
    release();
    throw err;
  }
}

/** Copies a cleanly shut down cluster to `target`, atomically, and removes templates of older migration lists. */
function keepTemplate(pgdata: string, target: string): void {
  const dir = path.dirname(target);
  fs.mkdirSync(dir, { recursive: true });
  const tmp = `${target}.${process.pid}.tmp`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.cpSync(pgdata, tmp, { recursive: true });
  try {
    fs.renameSync(tmp, target); // atomic: a process starting now sees all of it or nothing
  } catch (err) {
    fs.rmSync(tmp, { recursive: true, force: true });
    // another process kept the same template a moment ago
    if (!fs.existsSync(path.join(target, 'PG_VERSION'))) throw err;
  }
  for (const name of fs.readdirSync(dir)) {
    const other = path.join(dir, name);
    if (name.startsWith(TEMPLATE_PREFIX) && other !== target && !name.endsWith('.tmp'))
      fs.rmSync(other, { recursive: true, force: true });
  }
}

/**
 * Migrates (src/server.ts calls it after openDatabase). A new embedded data folder has already
 * been migrated by openDatabase while it kept the template; this runs what is left, if anything.
 */
export async function migrateDatabase(database: Database): Promise<string[]> {
  return migrateLatest(database.db);
}

export async function migrateLatest(db: Db): Promise<string[]> {
  const [, applied] = (await db.migrate.latest()) as [number, string[]];
  return applied;
}
