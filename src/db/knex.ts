import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import ClientPgLite from 'knex-pglite';
import { PGlite } from '@electric-sql/pglite';
import type { Config } from '../config';
import { pgliteParsers, pgTypeOverrides } from './types';
import { acquireDataDirLock } from './lock';
import { migrationSource } from '../../migrations';

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

/** Wrap an existing PGlite instance (tests hand in clones of a migrated template). */
export function connectPglite(pglite: PGlite, onClose?: () => void): Database {
  const db = knexFactory({
    ...common,
    client: ClientPgLite,
    dialect: 'postgres',
    connection: () => ({ pglite }) as object,
  } as Knex.Config);
  return {
    db,
    kind: 'pglite',
    close: async () => {
      await db.destroy();
      if (!pglite.closed) await pglite.close();
      onClose?.();
    },
  };
}

export function newPglite(dataDir?: string, loadDataDir?: Blob): PGlite {
  return new PGlite({
    ...(dataDir ? { dataDir } : {}),
    ...(loadDataDir ? { loadDataDir } : {}),
    parsers: pgliteParsers,
  });
}

export async function openDatabase(config: Config, logger?: KnexLogger): Promise<Database> {
  if (config.database.kind === 'postgres') return connectPostgres(config.database.url, config.database.poolMax, logger);
  if (config.env === 'production') throw new Error('The embedded database never runs in production');
  const dataDir = config.database.dataDir;
  const release = acquireDataDirLock(dataDir);
  try {
    const pglite = newPglite(path.join(dataDir, 'pgdata'));
    await pglite.waitReady;
    return connectPglite(pglite, release);
  } catch (err) {
    release();
    throw err;
  }
}

export async function migrateLatest(db: Db): Promise<string[]> {
  const [, applied] = (await db.migrate.latest()) as [number, string[]];
  return applied;
}
