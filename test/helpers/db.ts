import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { PGlite } from '@electric-sql/pglite';
import { inject } from 'vitest';
import { connectPglite, connectPostgres, newPglite, type Database } from '../../src/db/knex';
import { TEST_DATABASE_URL } from './env';

export interface TestDatabase extends Database {
  /** PostgreSQL only: the URL of this file's own database. */
  url?: string;
}

/** A fresh, migrated database for one test file (or one test), on the backend this run uses. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const template = inject('dbTemplate');
  if (TEST_DATABASE_URL) {
    // named after the run's database, so CI can always clean up what a killed run left
    const name = `${new URL(TEST_DATABASE_URL).pathname.slice(1)}_t_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
    await admin.end();
    const url = new URL(TEST_DATABASE_URL);
    url.pathname = `/${name}`;
    const database = connectPostgres(url.toString(), 10);
    return {
      ...database,
      url: url.toString(),
      close: async () => {
        await database.close();
        const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await c.end();
      },
    };
  }
  const pglite = await pglites.acquire(template);
  const database = connectPglite(pglite, undefined, { keepOpen: true });
  return {
    ...database,
    close: async () => {
      await database.close();
      await pglites.release(pglite);
    },
  };
}

/**
 * The PGlite instances of this test worker. Loading the migrated template into a new instance
 * costs ~0.7–1.2 s of CPU (unpacking it into PGlite's memory and starting PostgreSQL inside
 * WebAssembly); dozens of test files create a database per test. A closed test database hands
 * its instance back here, and the next test gets it back exactly as the template was:
 *   - every table emptied and refilled with the template's rows (COPY, triggers and foreign keys
 *     off meanwhile, so the register version trigger neither fires nor notifies), every sequence
 *     set back to the template's value;
 *   - nothing left of the session: no LISTEN (in PostgreSQL and in PGlite's listener list, which
 *     would otherwise keep the previous app alive), no settings, no temporary tables, no locks;
 *   - the schema compared with the template's (tables, columns, constraints, indexes, triggers,
 *     functions); an instance whose schema a test changed, that a test closed, or whose reset
 *     fails is closed and replaced by a new one from the template.
 */
const pglites = (() => {
  interface Template {
    tables: string[];
    rows: Array<[table: string, copy: Blob]>;
    sequences: Array<{ name: string; value: number; called: boolean }>;
    schema: string;
  }
  const idle: PGlite[] = [];
  const MAX_IDLE = 2;
  /** Read from the first instance of this worker, before any test touched it. */
  let template: Promise<Template> | undefined;

  const SCHEMA_FINGERPRINT = `SELECT md5(string_agg(x, ',' ORDER BY x)) AS h FROM (
      SELECT 'c:' || c.relname::text || ':' || c.relkind::text AS x FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace
      UNION ALL SELECT 'a:' || c.relname::text || '.' || a.attname::text || ':' || format_type(a.atttypid, a.atttypmod) || ':' || a.attnotnull::text || ':' || coalesce(pg_get_expr(d.adbin, d.adrelid), '')
        FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE c.relnamespace = 'public'::regnamespace AND a.attnum > 0 AND NOT a.attisdropped
      UNION ALL SELECT 't:' || tgname::text || ':' || tgrelid::regclass::text || ':' || tgenabled::text FROM pg_trigger WHERE NOT tgisinternal
      UNION ALL SELECT 'p:' || p.oid::regprocedure::text || ':' || md5(p.prosrc) FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace
      UNION ALL SELECT 'k:' || conname::text || ':' || pg_get_constraintdef(oid) FROM pg_constraint WHERE connamespace = 'public'::regnamespace
      UNION ALL SELECT 'i:' || indexrelid::regclass::text || ':' || pg_get_indexdef(indexrelid) FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid WHERE c.relnamespace = 'public'::regnamespace
    ) s`;

  async function readTemplate(p: PGlite): Promise<Template> {
    const tables = (
      await p.query<{ t: string }>(
        `SELECT quote_ident(tablename) AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`,
      )
    ).rows.map((r) => r.t);
    const rows: Template['rows'] = [];
    for (const t of tables) {
      const copy = (await p.query(`COPY ${t} TO '/dev/blob'`)).blob;
      if (copy && copy.size > 0) rows.push([t, copy]);
    }
    const sequences = (
      await p.query<{ name: string; value: string; called: boolean }>(
        `SELECT quote_ident(sequencename) AS name, coalesce(last_value, start_value)::text AS value, last_value IS NOT NULL AS called
           FROM pg_sequences WHERE schemaname = 'public'`,
      )
    ).rows.map((s) => ({ name: s.name, value: Number(s.value), called: s.called }));
    const schema = (await p.query<{ h: string }>(SCHEMA_FINGERPRINT)).rows[0]?.h ?? '';
    return { tables, rows, sequences, schema };
  }

  /** Back to the template's state; false if that cannot be guaranteed. */
  async function reset(p: PGlite, t: Template): Promise<boolean> {
    if (p.closed) return false;
    try {
      await p.exec('ROLLBACK'); // a transaction a failed test left open (a warning otherwise)
      for (const { channel } of (await p.query<{ channel: string }>('SELECT pg_listening_channels() AS channel')).rows)
        await p.unlisten(channel);
      await p.exec('DISCARD ALL');
      if ((await p.query<{ h: string }>(SCHEMA_FINGERPRINT)).rows[0]?.h !== t.schema) return false;
      await p.transaction(async (tx) => {
        await tx.exec('SET LOCAL session_replication_role = replica');
        for (const table of t.tables) await tx.exec(`DELETE FROM ${table}`);
        for (const [table, copy] of t.rows) await tx.query(`COPY ${table} FROM '/dev/blob'`, [], { blob: copy });
        for (const s of t.sequences) await tx.query(`SELECT setval($1, $2, $3)`, [s.name, s.value, s.called]);
      });
      return true;
    } catch {
      return false;
    }
  }

  async function fromTemplate(file: string): Promise<PGlite> {
    const p = newPglite(undefined, new Blob([fs.readFileSync(file)]));
    await p.waitReady;
    return p;
  }

  return {
    async acquire(file: string): Promise<PGlite> {
      if (!template) {
        const first = fromTemplate(file);
        template = first.then(readTemplate);
        await template;
        return first;
      }
      const t = await template;
      for (let p = idle.pop(); p; p = idle.pop()) {
        if (await reset(p, t)) return p;
        if (!p.closed) await p.close().catch(() => undefined);
      }
      return fromTemplate(file);
    },
    async release(p: PGlite): Promise<void> {
      if (p.closed) return;
      if (idle.length < MAX_IDLE) idle.push(p);
      else await p.close();
    },
  };
})();
