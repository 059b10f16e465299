import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { whereStepDecidable } from '../../src/policy/access';
import { syncWaits } from '../../src/requests/waits';
import { decidableSteps, newInstance, type Actor, type Instance, type Person } from '../../src/workflow/core';
import type { WorkflowDefinition } from '../../src/workflow/definition';

/**
 * whereStepDecidable (the task list's SQL) agrees with decidableSteps (the workflow core) on a
 * real database: for every actor and every open step of every request, both say the same.
 */
let database: TestDatabase;
let definition: WorkflowDefinition;
beforeAll(async () => {
  database = await createTestDatabase();
  const row = await database
    .db('workflow_definitions')
    .where({ key: 'dienstanweisung' })
    .orderBy('version', 'desc')
    .first();
  definition = row.definition;
  const at = '2027-01-04T09:00:00.000Z';
  const base = (unit: string, author: string, editors: string[]) => ({
    ...newInstance(definition, { authorUid: author, editorUids: editors, unit }),
    status: 'in_review' as const,
    submissions: 1,
  });
  const states: Instance[] = [];
  // unit head's step open, unit 41 and 40; authors and editors vary
  states.push({
    ...base('41', 'anna', ['anna', 'erik']),
    steps: { ...base('41', 'anna', []).steps, unit_head: { state: 'open', openedAt: at } },
  });
  states.push({
    ...base('40', 'anna', ['anna']),
    steps: { ...base('40', 'anna', []).steps, unit_head: { state: 'open', openedAt: at } },
  });
  states.push({
    ...base('41', 'hans', ['hans']),
    steps: { ...base('41', 'hans', []).steps, unit_head: { state: 'open', openedAt: at } },
  });
  // parallel review: hans approved the unit head's step; dora (communications and data protection) may decide one
  const parallel = (decidedBy: string, onBehalfOf?: string): Instance => ({
    ...base('41', 'anna', ['anna', 'carl']),
    steps: {
      unit_head: { state: 'approved', openedAt: at, decidedAt: at, decidedBy, ...(onBehalfOf ? { onBehalfOf } : {}) },
      communications: { state: 'open', openedAt: at },
      data_protection: { state: 'open', openedAt: at },
      hannoverde: { state: 'waiting' },
    },
  });
  states.push(parallel('hans'));
  states.push(parallel('dora'));
  states.push(parallel('vera', 'hans'));
  states.push({
    ...parallel('hans'),
    steps: {
      ...parallel('hans').steps,
      communications: { state: 'approved', openedAt: at, decidedAt: at, decidedBy: 'dora' },
    },
  });
  for (const [i, state] of states.entries()) {
    const [r] = await database
      .db('requests')
      .insert({
        kind: 'new',
        author_uid: state.authorUid,
        author_name: state.authorUid,
        status: 'in_review',
        title: `R${i}`,
        data: JSON.stringify({ orgUnit: state.unit }),
        version: 1,
      })
      .returning('id');
    await database.db('workflow_instances').insert({
      request_id: r.id,
      definition_id: row.id,
      status: 'in_review',
      state: JSON.stringify(state),
      revision: 1,
    });
    await syncWaits(database.db, r.id, definition, state);
  }
}, 60_000);
afterAll(() => database.close());

const person = (uid: string, roles: string[], headOfUnits: string[] = []): Person => ({
  uid,
  roles: roles as Person['roles'],
  headOfUnits,
});
const hans = person('hans', ['unit_head'], ['41']);
const dora = person('dora', ['communications', 'data_protection']);
const ACTORS: Array<[string, Actor]> = [
  ['hans, head of 41', { ...hans, actingFor: [] }],
  ['anna, author', { ...person('anna', ['employee']), actingFor: [] }],
  ['erik, editor and head of 41', { ...person('erik', ['unit_head'], ['41']), actingFor: [] }],
  ['dora, two central roles', { ...dora, actingFor: [] }],
  ['carl, communications and an editor', { ...person('carl', ['communications']), actingFor: [] }],
  ['vera, deputy of hans', { ...person('vera', ['employee']), actingFor: [hans] }],
  ['vera, deputy of hans and dora', { ...person('vera', ['employee']), actingFor: [hans, dora] }],
  ['anna, author, deputy of hans', { ...person('anna', ['employee']), actingFor: [hans] }],
  ['nobody', { ...person('nils', ['employee']), actingFor: [] }],
];

describe('whereStepDecidable agrees with decidableSteps', () => {
  it.each(ACTORS)('%s', async (_name, actor) => {
    const db = database.db;
    const q = db('request_waits as w')
      .join('workflow_instances as i', 'i.request_id', 'w.request_id')
      .select('w.request_id', 'w.step_id');
    whereStepDecidable(q, actor, 'w', 'i');
    const sql = (await q).map((r: { request_id: number; step_id: string }) => `${r.request_id}:${r.step_id}`).sort();
    const instances = await db('workflow_instances').select('request_id', 'state');
    const core = instances
      .flatMap((r: { request_id: number; state: Instance }) =>
        decidableSteps(definition, r.state, actor).map((d) => `${r.request_id}:${d.stepId}`),
      )
      .sort();
    expect(sql).toEqual(core);
  });

  it('the cases are not trivial: some actors may decide, some may not', async () => {
    const counts = [];
    for (const [, actor] of ACTORS) {
      const q = database.db('request_waits as w').join('workflow_instances as i', 'i.request_id', 'w.request_id');
      whereStepDecidable(q, actor, 'w', 'i');
      counts.push(Number((await q.count({ n: '*' }))[0]?.n));
    }
    expect(counts.some((n) => n === 0)).toBe(true);
    expect(counts.filter((n) => n > 0).length).toBeGreaterThan(3);
  });
});
