import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { connectPglite, connectPostgres, newPglite, type Database } from '../../src/db/knex';
import { migrationSource } from '../../migrations';
import { AENDERUNG_V1, DIENSTANWEISUNG_V1, DIENSTANWEISUNG_V2 } from '../../src/workflow/default-definitions';
import { newInstance } from '../../src/workflow/core';
import { addWorkingDays } from '../../src/workflow/working-days';
import { TEST_DATABASE_URL } from '../helpers/env';

/**
 * Migration 0014 on an installation that already runs: requests in flight keep their version
 * and get their waiting rows; each workflow gets a next version with sections and checklists,
 * built on its newest version, so an administrator's own version keeps its changes.
 */
let database: Database;
let dropName: string | undefined;
beforeAll(async () => {
  if (TEST_DATABASE_URL) {
    dropName = `${new URL(TEST_DATABASE_URL).pathname.slice(1)}_m14_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${dropName}`);
    await admin.end();
    const url = new URL(TEST_DATABASE_URL);
    url.pathname = `/${dropName}`;
    database = connectPostgres(url.toString(), 2);
  } else {
    const pglite = newPglite();
    await pglite.waitReady;
    database = connectPglite(pglite);
  }
}, 60_000);
afterAll(async () => {
  await database.close();
  if (dropName) {
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${dropName} WITH (FORCE)`);
    await admin.end();
  }
});

const before0014: Knex.MigrationSource<string> = {
  getMigrations: async () => (await migrationSource.getMigrations([])).filter((m) => m < '20261214_0014'),
  getMigrationName: (name) => name,
  getMigration: (name) => migrationSource.getMigration(name),
};

describe('migration 0014 (the deciders’ desk)', () => {
  it('keeps requests in flight on their version, records where they wait, adds the next versions', async () => {
    const db = database.db;
    await db.migrate.latest({ migrationSource: before0014 });

    // an administrator had uploaded their own change-request workflow (version 2, renamed)
    await db('workflow_definitions').insert({
      key: 'aenderung',
      version: 2,
      definition: JSON.stringify({ ...AENDERUNG_V1, version: 2, name: { de: 'Eigene Änderung', en: 'Own change' } }),
      created_by: 'admin',
    });
    // a request in review at the unit head's step, on version 1
    const v1 = await db('workflow_definitions').where({ key: 'dienstanweisung', version: 1 }).first('id');
    const [request] = await db('requests')
      .insert({
        kind: 'new',
        author_uid: 'redaktion',
        author_name: 'Rita Redaktion',
        status: 'in_review',
        title: 'Laufender Antrag',
        data: JSON.stringify({ orgUnit: '41' }),
        version: 1,
      })
      .returning('id');
    const openedAt = '2026-12-01T09:00:00.000Z';
    const state = {
      ...newInstance(DIENSTANWEISUNG_V1, { authorUid: 'redaktion', editorUids: ['redaktion'], unit: '41' }),
      status: 'in_review',
      submissions: 1,
    };
    state.steps.unit_head = { state: 'open', openedAt };
    await db('workflow_instances').insert({
      request_id: request.id,
      definition_id: v1.id,
      status: 'in_review',
      state: JSON.stringify(state),
      revision: 1,
    });

    await db.migrate.latest({ migrationSource });

    // the request keeps version 1 and now has its waiting row, with the reminder date as deadline
    expect((await db('workflow_instances').where({ request_id: request.id }).first()).definition_id).toBe(v1.id);
    const waits = await db('request_waits').where({ request_id: request.id });
    expect(waits).toHaveLength(1);
    expect(waits[0]).toMatchObject({ step_id: 'unit_head', decider_kind: 'unit_head', unit_code: '41' });
    expect(waits[0].opened_at.toISOString()).toBe(openedAt);
    expect(waits[0].due_at.toISOString()).toBe(addWorkingDays(new Date(openedAt), 5).toISOString());

    // the directive: version 2 is the shipped one with sections and checklists
    const directive = await db('workflow_definitions').where({ key: 'dienstanweisung' }).orderBy('version');
    expect(directive.map((d) => d.version)).toEqual([1, 2]);
    expect(directive[1].definition).toEqual(DIENSTANWEISUNG_V2);

    // the administrator's version 2 is kept; version 3 is it plus sections and checklists
    const change = await db('workflow_definitions').where({ key: 'aenderung' }).orderBy('version');
    expect(change.map((d) => d.version)).toEqual([1, 2, 3]);
    expect(change[2].definition.name).toEqual({ de: 'Eigene Änderung', en: 'Own change' });
    expect(change[2].definition.steps[0].sections).toEqual([2, 4]);
    expect(change[2].definition.steps[0].checklist.length).toBeGreaterThan(0);
    expect(change[2].definition.version).toBe(3);

    const decisionColumns = await db('decisions').columnInfo();
    expect(Object.keys(decisionColumns)).toEqual(expect.arrayContaining(['checklist', 'sections']));
  }, 120_000);
});
