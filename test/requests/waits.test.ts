import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { syncWaits, waitsOf } from '../../src/requests/waits';
import { newInstance, type Instance } from '../../src/workflow/core';
import type { WorkflowDefinition } from '../../src/workflow/definition';

/**
 * request_waits holds exactly the open steps of a request's instance after every change — a
 * step that closes loses its row, one that opens gets one, one that stays open keeps its row
 * with the values of the instance, one opened again gets the new opening time — whichever
 * steps came before (syncWaits writes it in one statement, issue 14).
 */
let database: TestDatabase;
let definition: WorkflowDefinition;
let requestId: number;
beforeAll(async () => {
  database = await createTestDatabase();
  const row = await database
    .db('workflow_definitions')
    .where({ key: 'dienstanweisung' })
    .orderBy('version', 'desc')
    .first();
  definition = row.definition;
  const [r] = await database
    .db('requests')
    .insert({
      kind: 'new',
      author_uid: 'anna',
      author_name: 'anna',
      status: 'in_review',
      title: 'Wartet',
      data: JSON.stringify({ orgUnit: '41' }),
      version: 1,
    })
    .returning('id');
  requestId = r.id;
}, 60_000);
afterAll(() => database.close());

const t1 = '2027-01-04T09:00:00.000Z';
const t2 = '2027-01-05T10:00:00.000Z';
const t3 = '2027-01-08T11:00:00.000Z';

const stored = async () =>
  (await database.db('request_waits').where({ request_id: requestId }).orderBy('step_id')).map((w) => ({
    step_id: w.step_id as string,
    decider_kind: w.decider_kind as string,
    decider_role: w.decider_role as string | null,
    unit_code: w.unit_code as string,
    opened_at: new Date(w.opened_at).toISOString(),
    due_at: w.due_at ? new Date(w.due_at).toISOString() : null,
  }));
const expected = (state: Instance) =>
  waitsOf(requestId, definition, state)
    .map((w) => ({
      step_id: w.step_id,
      decider_kind: w.decider_kind,
      decider_role: w.decider_role,
      unit_code: w.unit_code,
      opened_at: w.opened_at.toISOString(),
      due_at: w.due_at ? w.due_at.toISOString() : null,
    }))
    .sort((a, b) => a.step_id.localeCompare(b.step_id));

describe('where a request waits', () => {
  it('follows the instance step by step: opened, kept, closed, opened again, finished', async () => {
    const base = { ...newInstance(definition, { authorUid: 'anna', editorUids: ['anna'], unit: '41' }) };
    const states: Instance[] = [
      // the unit head's step open
      { ...base, status: 'in_review', steps: { ...base.steps, unit_head: { state: 'open', openedAt: t1 } } },
      // approved: communications and data protection open side by side
      {
        ...base,
        status: 'in_review',
        steps: {
          ...base.steps,
          unit_head: { state: 'approved', openedAt: t1, decidedAt: t2, decidedBy: 'hans' },
          communications: { state: 'open', openedAt: t2 },
          data_protection: { state: 'open', openedAt: t2 },
        },
      },
      // data protection approved: communications still open, its row as it was
      {
        ...base,
        status: 'in_review',
        steps: {
          ...base.steps,
          unit_head: { state: 'approved', openedAt: t1, decidedAt: t2, decidedBy: 'hans' },
          communications: { state: 'open', openedAt: t2 },
          data_protection: { state: 'approved', openedAt: t2, decidedAt: t3, decidedBy: 'dora' },
        },
      },
      // the unit moved and communications' step opened again later: the row takes the new values
      {
        ...base,
        unit: '40',
        status: 'in_review',
        steps: {
          ...base.steps,
          unit_head: { state: 'approved', openedAt: t1, decidedAt: t2, decidedBy: 'hans' },
          communications: { state: 'open', openedAt: t3 },
          data_protection: { state: 'approved', openedAt: t2, decidedAt: t3, decidedBy: 'dora' },
        },
      },
      // returned to the author: nothing open
      { ...base, status: 'returned' },
      // resubmitted: the unit head's step open again
      { ...base, status: 'in_review', steps: { ...base.steps, unit_head: { state: 'open', openedAt: t3 } } },
    ];
    const seen: string[][] = [];
    for (const state of states) {
      await syncWaits(database.db, requestId, definition, state);
      expect(await stored()).toEqual(expected(state));
      seen.push((await stored()).map((w) => w.step_id));
    }
    expect(seen).toEqual([
      ['unit_head'],
      ['communications', 'data_protection'],
      ['communications'],
      ['communications'],
      [],
      ['unit_head'],
    ]);
    expect((await stored())[0]?.opened_at).toBe(t3);
  });

  it('inside a transaction, as the decisions write it, and rolled back with it', async () => {
    const state: Instance = {
      ...newInstance(definition, { authorUid: 'anna', editorUids: ['anna'], unit: '41' }),
      status: 'in_review',
    };
    const open = { ...state, steps: { ...state.steps, hannoverde: { state: 'open' as const, openedAt: t1 } } };
    const before = await stored();
    await expect(
      database.db.transaction(async (trx) => {
        await syncWaits(trx, requestId, definition, open);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await stored()).toEqual(before);
    await database.db.transaction((trx) => syncWaits(trx, requestId, definition, open));
    expect(await stored()).toEqual(expected(open));
  });
});
