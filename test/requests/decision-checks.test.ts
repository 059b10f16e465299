import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/app';
import { csrfFrom, signIn } from '../helpers/http';
import { fileRequest } from '../helpers/requests';
import { seedDemoUnits } from '../../src/demo/org-units';
import { berlinDay } from '../../src/policy/actors';

/**
 * The decision form's checks — may this person see the request, does the form fit the step,
 * is the version the one they saw — are made on the rows the decision's transaction locks and
 * reads (issue 14). Whatever they refuse must still write nothing and answer as before, and
 * what they read (unit heads, deputies) must be the database's current state, whichever
 * instance changed it.
 */
let ctx: TestContext;
type Agent = Awaited<ReturnType<typeof signIn>>;
let editor: Agent;
let head: Agent;
let comms: Agent;
beforeAll(async () => {
  ctx = await createTestContext();
  await seedDemoUnits(ctx.database.db);
  editor = await signIn(ctx.app, 'redaktion');
  head = await signIn(ctx.app, 'leitung');
  comms = await signIn(ctx.app, 'kommunikation');
});
afterAll(() => ctx.close());

let n = 0;
const fresh = (overrides: Record<string, string> = {}) => {
  n += 1;
  return {
    name: `Entscheidungsprüfung ${n}`,
    url: `https://www.facebook.com/entscheidungspruefung${n}.hannover`,
    ...overrides,
  };
};

/** Posts a decision with a token from a page the agent may load (its own task list). */
async function post(agent: Agent, id: number, fields: Record<string, string | string[]>) {
  const page = await agent.get('/intern/vertretung').expect(200);
  return agent
    .post(`/intern/antraege/${id}/entscheidung`)
    .type('form')
    .send({ _csrf: csrfFrom(page.text), kommentar: '', ...fields });
}

const decisionsOf = async (id: number) => ctx.database.db('decisions').where({ request_id: id }).select('*');
const statusOf = async (id: number) =>
  ((await ctx.database.db('requests').where({ id }).first()) as { status: string }).status;
const unitId = async (code: string): Promise<number> => {
  const row: { id: number } | undefined = await ctx.database.db('org_units').where({ code }).first('id');
  if (!row) throw new Error(`no unit ${code}`);
  return row.id;
};

describe('a decision sent through the form', () => {
  it('is answered 404 for a request the person may not see, and nothing is written', async () => {
    const id = await fileRequest(editor, fresh({ orgUnit: '67' }));
    const res = await post(head, id, { schritt: 'unit_head', entscheidung: 'approve' });
    expect(res.status).toBe(404);
    expect(await decisionsOf(id)).toHaveLength(0);
    expect(await statusOf(id)).toBe('in_review');
  });

  it('is answered 404 for a request that does not exist, and 400 for a step no page offers', async () => {
    expect((await post(head, 99_999_999, { schritt: 'unit_head', entscheidung: 'approve' })).status).toBe(404);
    const id = await fileRequest(editor, fresh());
    expect((await post(head, id, { schritt: 'Unit Head!', entscheidung: 'approve' })).status).toBe(400);
    expect(await decisionsOf(id)).toHaveLength(0);
  });

  it('refuses a form for a version the decider did not see, and writes nothing', async () => {
    const id = await fileRequest(editor, fresh());
    const res = await post(head, id, { schritt: 'unit_head', entscheidung: 'approve', fassung: '7' });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(await decisionsOf(id)).toHaveLength(0);
    expect(await statusOf(id)).toBe('in_review');
  });

  it('asks before a rejection and shows the form again for an empty return, writing nothing', async () => {
    const id = await fileRequest(editor, fresh());
    const ask = await post(head, id, { schritt: 'unit_head', entscheidung: 'reject', kommentar: 'Nicht nötig.' });
    expect(ask.status).toBe(200);
    expect(ask.text).toContain('name="bestaetigt" value="1"');
    const empty = await post(head, id, { schritt: 'unit_head', entscheidung: 'return', kommentar: '' });
    expect(empty.status).toBe(400);
    expect(await decisionsOf(id)).toHaveLength(0);
    expect(await statusOf(id)).toBe('in_review');
  });

  it('sees a unit head named in the database at once, and no longer once the entry is gone', async () => {
    const id = await fileRequest(editor, fresh({ orgUnit: '67' }));
    // as another instance (or the administration) would: a row in org_unit_heads, then gone again
    await ctx.database
      .db('org_unit_heads')
      .insert({ org_unit_id: await unitId('67'), uid: 'leitung', name: 'Dr. Andrea Lange', kind: 'head' });
    const other = await fileRequest(editor, fresh({ orgUnit: '67' }));
    expect((await post(head, id, { schritt: 'unit_head', entscheidung: 'approve' })).status).toBe(303);
    await ctx.database
      .db('org_unit_heads')
      .where({ org_unit_id: await unitId('67'), uid: 'leitung' })
      .delete();
    expect((await post(head, other, { schritt: 'unit_head', entscheidung: 'approve' })).status).toBe(404);
    expect(await decisionsOf(id)).toEqual([
      expect.objectContaining({ step_id: 'unit_head', outcome: 'approved', actor_uid: 'leitung' }),
    ]);
    expect(await decisionsOf(other)).toHaveLength(0);
  });

  it('lets a deputy named for today decide for the unit head, on their behalf', async () => {
    const id = await fileRequest(editor, fresh());
    // without the substitution, communications may see the request but not decide the unit head's step
    const before = await post(comms, id, { schritt: 'unit_head', entscheidung: 'approve' });
    expect(before.status).not.toBe(303);
    expect(await decisionsOf(id)).toHaveLength(0);
    const today = berlinDay(ctx.clock.now);
    await ctx.database.db('substitutions').insert({
      principal_uid: 'leitung',
      principal_name: 'Dr. Andrea Lange',
      deputy_uid: 'kommunikation',
      deputy_name: 'Jonas Becker',
      starts_on: today,
      ends_on: today,
      created_at: ctx.clock.now,
      created_by: 'leitung',
    });
    try {
      const res = await post(comms, id, { schritt: 'unit_head', entscheidung: 'approve' });
      expect(res.status).toBe(303);
      expect(await decisionsOf(id)).toEqual([
        expect.objectContaining({ step_id: 'unit_head', actor_uid: 'kommunikation', on_behalf_of: 'leitung' }),
      ]);
    } finally {
      await ctx.database.db('substitutions').where({ deputy_uid: 'kommunikation' }).delete();
    }
  });
});
