import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import pg from 'pg';
import { connectPglite, connectPostgres, migrateLatest, newPglite } from '../../src/db/knex';
import { TEST_DATABASE_URL } from './env';

declare module 'vitest' {
  export interface ProvidedContext {
    dbTemplate: string;
  }
}

/**
 * Migrates one template database per test run; every test file then gets its own copy
 * (PGlite: a data-folder dump loaded into a fresh instance; PostgreSQL: CREATE DATABASE …
 * TEMPLATE …). That keeps files isolated and the suite fast.
 */
export default async function setup(project: TestProject) {
  if (TEST_DATABASE_URL) {
    const name = `${new URL(TEST_DATABASE_URL).pathname.slice(1)}_tpl_${process.pid}`;
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(TEST_DATABASE_URL);
    url.pathname = `/${name}`;
    const database = connectPostgres(url.toString(), 2);
    await migrateLatest(database.db);
    await database.close();
    project.provide('dbTemplate', name);
    return async () => {
      const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    };
  }
  const pglite = newPglite();
  const database = connectPglite(pglite);
  await migrateLatest(database.db);
  const dump = await pglite.dumpDataDir('none');
  await database.close();
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'smr-test-')), 'template.tar');
  fs.writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  project.provide('dbTemplate', file);
  return () => fs.rmSync(path.dirname(file), { recursive: true, force: true });
}
