import { describe, expect, it } from 'vitest';
import type { Knex } from 'knex';
import { createTestDatabase } from '../helpers/db';
import { backendName } from '../helpers/env';

/**
 * Every test relies on createTestDatabase() giving a database exactly as migrated, whatever the
 * test before it did. On PGlite the helper reuses the instances of a test worker (loading the
 * template anew costs ~1 s of CPU per database); these tests check that a reused instance is
 * indistinguishable from a new one. On PostgreSQL every database is a new CREATE DATABASE …
 * TEMPLATE, and the same checks hold.
 */

/** Rows of every table, the next value of every sequence, the channels listened to. */
async function state(db: Knex) {
  const tables = (
    await db.raw("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
  ).rows.map((r: { tablename: string }) => r.tablename) as string[];
  const rows: Record<string, unknown[]> = {};
  for (const t of tables) {
    if (t === 'knex_migrations_lock') continue;
    rows[t] = (await db.raw(`SELECT * FROM ${t} ORDER BY 1`)).rows;
  }
  const sequences = (
    await db.raw("SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public' ORDER BY sequencename")
  ).rows;
  const listening = (await db.raw('SELECT pg_listening_channels() AS c')).rows;
  return { tables, rows, sequences, listening };
}

/** What a test typically leaves behind: rows in many tables, used sequences, a LISTEN. */
async function scribble(db: Knex) {
  const now = new Date('2026-12-01T09:00:00Z');
  const [unit] = await db('org_units')
    .insert({ code: 'T1', name: 'Testamt', kind: 'amt', sort_order: 1, created_at: now, updated_at: now })
    .returning('id');
  await db('people').insert({ uid: 'scribbler', name: 'S', roles: '[]', seen_at: now });
  await db('platforms').where({ key: 'facebook' }).update({ enabled: false });
  await db('history').insert({
    at: now,
    action: 'test.scribble',
    entity_type: 'org_unit',
    entity_id: String(unit.id),
  });
  await db.raw('LISTEN scribbled');
}

describe(`test databases (${backendName})`, () => {
  it('hands every test a database exactly as migrated, whatever the test before did with its own', async () => {
    const first = await createTestDatabase();
    const pristine = await state(first.db);
    expect(pristine.rows.platforms?.length).toBeGreaterThan(0); // reference data of the migrations
    expect(pristine.rows.people).toEqual([]);
    await scribble(first.db);
    expect((await state(first.db)).rows.people).toHaveLength(1);
    await first.close();

    // the next database (on PGlite: the same instance, reset) is as new …
    const second = await createTestDatabase();
    expect(await state(second.db)).toEqual(pristine);
    // … including the next ids, which tests read from redirects
    const [unit] = await second
      .db('org_units')
      .insert({
        code: 'T2',
        name: 'Zweitamt',
        kind: 'amt',
        sort_order: 2,
        created_at: new Date(),
        updated_at: new Date(),
      })
      .returning('id');
    const nextUnitId = (pristine.sequences.find((s: { sequencename: string }) => s.sequencename === 'org_units_id_seq')
      ?.last_value ?? 0) as number;
    expect(unit.id).toBe(Number(nextUnitId) + 1);
    await second.close();
  });

  it('never hands on a database whose schema a test changed', async () => {
    const changed = await createTestDatabase();
    const before = await state(changed.db);
    await changed.db.raw('CREATE TABLE scribbled (id integer)');
    await changed.db.raw(
      "CREATE FUNCTION scribble_fail() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'scribbled'; END $$",
    );
    await changed.db.raw(
      'CREATE TRIGGER scribble_fail BEFORE INSERT ON people FOR EACH ROW EXECUTE FUNCTION scribble_fail()',
    );
    await changed.close();

    const next = await createTestDatabase();
    expect(await state(next.db)).toEqual(before);
    const functions = await next.db.raw("SELECT 1 FROM pg_proc WHERE proname = 'scribble_fail'");
    expect(functions.rows).toEqual([]);
    await next.db('people').insert({ uid: 'ok', name: 'O', roles: '[]', seen_at: new Date() });
    await next.close();
  });

  it('gives two databases open at the same time to two instances that do not see each other', async () => {
    const [a, b] = await Promise.all([createTestDatabase(), createTestDatabase()]);
    await a.db('people').insert({ uid: 'only-a', name: 'A', roles: '[]', seen_at: new Date() });
    expect(await b.db('people').where({ uid: 'only-a' })).toEqual([]);
    await Promise.all([a.close(), b.close()]);
  });
});
