import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { recordHistory, diffRecords } from '../../src/audit/history';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

describe('the history', () => {
  it('is append-only in the database itself: UPDATE, DELETE and TRUNCATE are refused', async () => {
    const db = database.db;
    await recordHistory(db, {
      at: new Date(),
      actorUid: 'admin',
      actorName: 'Sascha Wolff',
      action: 'request.created',
      entityType: 'request',
      entityId: 1,
      comment: 'original',
    });
    await expect(db('history').where({ action: 'request.created' }).update({ comment: 'changed' })).rejects.toThrow(
      /append-only/,
    );
    await expect(db('history').where({ action: 'request.created' }).delete()).rejects.toThrow(/append-only/);
    await expect(db.raw('TRUNCATE history')).rejects.toThrow(/append-only/);
    const rows = await db('history').where({ action: 'request.created' });
    expect(rows).toHaveLength(1);
    expect(rows[0].comment).toBe('original');
  });

  it('keeps who, on behalf of whom, when, what, why and the before/after of changed fields', async () => {
    const db = database.db;
    const at = new Date('2026-11-26T12:00:00Z');
    await recordHistory(db, {
      at,
      actorUid: 'kommunikation',
      actorName: 'Jonas Becker',
      onBehalfOf: 'leitung',
      action: 'presence.changed',
      entityType: 'presence',
      entityId: 7,
      presenceId: 7,
      comment: 'Tippfehler',
      changes: diffRecords({ name: 'Museum', url: 'a' }, { name: 'Museen', url: 'a' }),
    });
    const row = await db('history').where({ action: 'presence.changed' }).first();
    expect(row).toMatchObject({
      actor_uid: 'kommunikation',
      on_behalf_of: 'leitung',
      entity_type: 'presence',
      entity_id: '7',
      comment: 'Tippfehler',
    });
    expect(row.at.toISOString()).toBe(at.toISOString());
    expect(row.changes).toEqual({ name: { before: 'Museum', after: 'Museen' } });
  });
});

describe('migrations', () => {
  it('roll all the way down and up again', async () => {
    const db = database.db;
    await db.migrate.rollback(undefined, true);
    expect(await db.schema.hasTable('requests')).toBe(false);
    const [, applied] = await db.migrate.latest();
    expect(applied.length).toBeGreaterThanOrEqual(5);
    expect(await db('workflow_definitions').where({ key: 'dienstanweisung', version: 1 }).first()).toBeDefined();
    expect(await db('platforms').where({ enabled: true }).pluck('key')).toEqual(['facebook']);
    expect(await db('presences').where({ central: true }).pluck('account_id')).toEqual(['hannover.de']);
  });
});
