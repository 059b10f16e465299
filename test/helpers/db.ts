import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { connectPglite, connectPostgres, newPglite, type Database } from '../../src/db/knex';
import { TEST_DATABASE_URL } from './env';

export interface TestDatabase extends Database {
  /** PostgreSQL only: the URL of this file's own database. */
  url?: string;
}

/** A fresh, migrated database for one test file, on the backend this run uses. */
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
  const blob = new Blob([fs.readFileSync(template)]);
  const pglite = newPglite(undefined, blob);
  await pglite.waitReady;
  return connectPglite(pglite);
}
