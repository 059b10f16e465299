import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { createHash } from 'node:crypto';
import pg from 'pg';
import { loadConfig } from '../../src/config';
import {
  connectPostgres,
  DEFAULT_TEMPLATE_DIR,
  migrateLatest,
  openDatabase,
  templateKey,
  templatePath,
} from '../../src/db/knex';
import { fromProjectRoot } from '../../src/paths';
import { TEST_DATABASE_URL } from './env';

declare module 'vitest' {
  export interface ProvidedContext {
    dbTemplate: string;
  }
}

/**
 * Migrates one template database per test run (PGlite: kept between runs, see cachedTemplate); every test file then gets its own copy
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
  const cached = await cachedTemplate();
  if (cached && fs.existsSync(cached)) {
    project.provide('dbTemplate', cached);
    return undefined;
  }
  // The run's one initdb is the app's own: openDatabase on a scratch folder makes the migrated
  // template that every new embedded data folder is copied from (node_modules/.cache, as `npm
  // start` keeps it), or copies it when an earlier run or start made it. The tests that start the
  // real server on a new folder (deployment, launcher, lock) then copy it instead of each running
  // initdb (a run on a fresh clone: ~50 s of CPU). The test template is a dump of the same cluster.
  // The app's template is named after the migrations' names only; this cache missed, so their
  // contents may have changed since it was made (a migration edited in place while developing):
  // made anew here, never copied into a test template named after the new contents.
  const appKey = await templateKey();
  if (appKey !== null) fs.rmSync(templatePath(appKey), { recursive: true, force: true });
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'smr-test-setup-'));
  let dump: Buffer;
  try {
    const database = await openDatabase(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: scratch }));
    try {
      await migrateLatest(database.db); // nothing to do on a copy of the template; all of it without one
      const pglite = database.pglite;
      if (!pglite) throw new Error('the embedded database has no PGlite instance');
      dump = Buffer.from(await (await pglite.dumpDataDir('none')).arrayBuffer());
    } finally {
      await database.close();
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  if (cached && keep(cached, dump)) {
    project.provide('dbTemplate', cached);
    return undefined;
  }
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'smr-test-')), 'template.tar');
  fs.writeFileSync(file, dump);
  project.provide('dbTemplate', file);
  return () => fs.rmSync(path.dirname(file), { recursive: true, force: true });
}

const TEST_TEMPLATE_PREFIX = 'test-template-';

/**
 * Where the migrated test template of this migration code is kept between runs (next to the app's
 * own template, node_modules/.cache/social-media-register): a second `npm test` skips initdb and
 * the migrations (~6 s of CPU before any test file can start). Named after the app's template key
 * (PGlite version, migration names) AND the migrations' contents: a migration edited in place
 * while developing gives a new template, never a stale schema. undefined: no cache (no PGlite
 * version to name it after).
 */
async function cachedTemplate(): Promise<string | undefined> {
  const key = await templateKey();
  if (key === null) return undefined;
  const hash = createHash('sha256').update(key);
  const dir = fromProjectRoot('migrations');
  for (const name of fs.readdirSync(dir).sort()) hash.update(`${name}\n`).update(fs.readFileSync(path.join(dir, name)));
  return path.join(DEFAULT_TEMPLATE_DIR, `${TEST_TEMPLATE_PREFIX}${hash.digest('hex').slice(0, 20)}.tar`);
}

/** Keeps the dump under its name (written aside and renamed: a parallel run sees all or nothing), older ones go. */
function keep(file: string, dump: Buffer): boolean {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const aside = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(aside, dump);
    fs.renameSync(aside, file);
    for (const name of fs.readdirSync(path.dirname(file)))
      if (name.startsWith(TEST_TEMPLATE_PREFIX) && name !== path.basename(file) && !name.endsWith('.tmp'))
        fs.rmSync(path.join(path.dirname(file), name), { force: true });
    return true;
  } catch {
    return false; // no writable cache folder: this run keeps its template in a temporary folder
  }
}
