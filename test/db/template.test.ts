import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { loadConfig, demoDirectoryConfig } from '../../src/config';
import { migrateDatabase, migrateLatest, openDatabase, templateKey, type Database } from '../../src/db/knex';
import { migrationSource } from '../../migrations';
import { createDirectory } from '../../src/directory/directory';
import { startDemoDirectory, type DemoDirectory } from '../../src/directory/demo-server';
import { seedDemo } from '../../src/demo/seed';

/**
 * A new embedded data folder is loaded from a migrated template (made by the first start that
 * ran initdb and the migrations) instead of running initdb and every migration again. These tests
 * use a template folder of their own; the portal's is node_modules/.cache/social-media-register.
 */

const dirs: string[] = [];
const tmp = (prefix: string) => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  dirs.push(d);
  return d;
};
let demo: DemoDirectory;
beforeAll(async () => {
  demo = await startDemoDirectory(0);
});
afterAll(async () => {
  await demo.close();
  dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true }));
});

const configFor = (dataDir: string, extra: Record<string, string> = {}) =>
  loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    SESSION_SECRET: 'template-test-secret-template-test-secret',
    DATA_DIR: dataDir,
    ...extra,
  });
const NOW = new Date('2026-11-30T09:00:00Z');

/** What a start leaves behind: migrations, schema (columns, indexes, triggers) and every table's rows. */
async function fingerprint(db: Knex) {
  const migrations = (await db('knex_migrations').orderBy('id').select<Array<{ name: string }>>('name')).map(
    (r) => r.name,
  );
  const columns = (
    await db.raw(
      "SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, column_name",
    )
  ).rows as Array<Record<string, string>>;
  const indexes = (
    await db.raw("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY indexname")
  ).rows;
  const triggers = (
    await db.raw(
      'SELECT trigger_name, event_object_table, action_statement FROM information_schema.triggers ORDER BY 1, 2, 3',
    )
  ).rows;
  const tables = [...new Set(columns.map((c) => c.table_name as string))];
  const counts: Record<string, number> = {};
  for (const t of tables) counts[t] = Number(((await db(t).count({ n: '*' }).first()) as { n: number | string }).n);
  const presences = await db('presences').orderBy('slug').select('slug', 'status', 'account_id');
  return { migrations, columns, indexes, triggers, counts, presences };
}

/** A start as src/server.ts does it: open, migrate (and keep the template), demo data. */
async function start(
  dataDir: string,
  templateDir: string,
): Promise<{ database: Database; print: Awaited<ReturnType<typeof fingerprint>> }> {
  const database = await openDatabase(configFor(dataDir), undefined, { templateDir });
  await migrateDatabase(database);
  expect(
    await seedDemo(database.db, createDirectory(demoDirectoryConfig(demo.url)), () => NOW, 'http://localhost:3000'),
  ).toBe(true);
  return { database, print: await fingerprint(database.db) };
}

describe('a new embedded data folder from the migrated template', () => {
  it('ends in the same schema and demo data as a start without the template', { timeout: 120_000 }, async () => {
    const templateDir = tmp('smr-tpl-');
    const first = await start(tmp('smr-data-'), templateDir);
    expect(first.database.created).toBe('initdb');
    await first.database.close();
    const kept = fs.readdirSync(templateDir);
    expect(kept).toEqual([`pglite-template-${await templateKey()}`]);

    const second = await start(tmp('smr-data-'), templateDir);
    try {
      expect(second.database.created).toBe('template');
      expect(second.print.migrations).toEqual(await migrationSource.getMigrations([]));
      expect(second.print.counts.presences).toBeGreaterThan(0);
      expect(second.print).toEqual(first.print);
    } finally {
      await second.database.close();
    }
  });

  it('never uses a template made for another migration list, and replaces it', { timeout: 120_000 }, async () => {
    // a template of the first migrations only, under the name it would have had then
    const all = await migrationSource.getMigrations([]);
    const fewer: Knex.MigrationSource<string> = { ...migrationSource, getMigrations: async () => all.slice(0, 3) };
    const staleKey = await templateKey(fewer);
    const currentKey = await templateKey();
    expect(staleKey).not.toBe(currentKey);
    const templateDir = tmp('smr-tpl-');
    const staleDir = tmp('smr-data-');
    const stale = await openDatabase(configFor(staleDir), undefined, { templateDir: null });
    await stale.db.migrate.latest({ migrationSource: fewer });
    await stale.close();
    fs.cpSync(path.join(staleDir, 'pgdata'), path.join(templateDir, `pglite-template-${staleKey}`), {
      recursive: true,
    });

    const database = await openDatabase(configFor(tmp('smr-data-')), undefined, { templateDir });
    try {
      expect(database.created).toBe('initdb');
      await migrateDatabase(database);
      // every migration ran here, none came from the stale template
      expect(
        (
          await database
            .db('knex_migrations')
            .orderBy('id')
            .select<Array<{ name: string; batch: number }>>('name', 'batch')
        ).map((r) => [r.name, r.batch]),
      ).toEqual(all.map((n) => [n, 1]));
      expect(fs.readdirSync(templateDir)).toEqual([`pglite-template-${currentKey}`]);
    } finally {
      await database.close();
    }
  });

  it("names the template after the PGlite version and every migration's name, in order", async () => {
    const all = await migrationSource.getMigrations([]);
    const base = await templateKey();
    expect(await templateKey(migrationSource)).toBe(base);
    expect(await templateKey(migrationSource, '0.0.1')).not.toBe(base);
    const listed = (names: string[]): Knex.MigrationSource<string> => ({
      ...migrationSource,
      getMigrations: async () => names,
    });
    expect(await templateKey(listed(all.slice(0, -1)))).not.toBe(base);
    expect(await templateKey(listed([...all, '20991231_9999_next']))).not.toBe(base);
    expect(await templateKey(listed([...all.slice(0, -1), `${all[all.length - 1]}_renamed`]))).not.toBe(base);
    expect(await templateKey(migrationSource, null)).toBeNull(); // PGlite's version unknown: no template at all
  });

  it('reopens an existing data folder as it is, and never keeps a template from it', { timeout: 120_000 }, async () => {
    const templateDir = tmp('smr-tpl-');
    const dataDir = tmp('smr-data-');
    const first = await openDatabase(configFor(dataDir), undefined, { templateDir: null });
    await migrateLatest(first.db);
    await first.close();
    const again = await openDatabase(configFor(dataDir), undefined, { templateDir });
    try {
      expect(again.created).toBe('existing');
      expect(await migrateDatabase(again)).toEqual([]);
      expect(fs.readdirSync(templateDir)).toEqual([]);
    } finally {
      await again.close();
    }
  });

  it('is never used for PostgreSQL (DATABASE_URL)', async () => {
    const templateDir = tmp('smr-tpl-');
    const database = await openDatabase(
      configFor(tmp('smr-data-'), { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none' }),
      undefined,
      { templateDir },
    );
    try {
      expect(database.kind).toBe('postgres');
      expect(database.created).toBeUndefined();
      expect(database.templateFile).toBeUndefined();
      expect(fs.readdirSync(templateDir)).toEqual([]);
    } finally {
      await database.close();
    }
  });
});
