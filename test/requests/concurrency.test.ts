import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/app';
import { seedDemoUnits } from '../../src/demo/org-units';
import { createRequestService, type RequestService } from '../../src/requests/service';
import { createNotifier } from '../../src/requests/notify';
import { readForm } from '../../src/requests/form';
import { RequestError } from '../../src/requests/errors';
import { connectPostgres, type Database } from '../../src/db/knex';
import type { SessionUser } from '../../src/directory/user';
import { validForm } from './fixtures';

let ctx: TestContext;
const extraPools: Database[] = [];
beforeAll(async () => {
  ctx = await createTestContext();
  await seedDemoUnits(ctx.database.db);
});
afterAll(async () => {
  for (const p of extraPools) await p.close();
  await ctx.close();
});

const editor: SessionUser = {
  uid: 'redaktion',
  name: 'Robin Schäfer',
  email: 'robin.schaefer@hannover-stadt.de',
  unit: '41',
  roles: ['employee'],
};
const head: SessionUser = {
  uid: 'leitung',
  name: 'Dr. Andrea Lange',
  email: 'andrea.lange@hannover-stadt.de',
  unit: '41',
  roles: ['employee', 'unit_head'],
};

/** A service per connection pool: on PostgreSQL each runs its own transactions in parallel. */
function service(db = ctx.database.db): RequestService {
  const directory = ctx.services.directory;
  return createRequestService({
    db,
    directory,
    clock: () => new Date(),
    notify: createNotifier({ baseUrl: 'http://portal.test', directory }),
  });
}

describe('two deciders at the same moment', () => {
  it('lets exactly one of many parallel approvals of a step count', async () => {
    const main = service();
    const data = readForm(validForm({ url: 'https://facebook.com/parallel.test', name: 'Parallel' }));
    const id = await main.create(editor, data);
    expect((await main.submit(editor, id, data)).ok).toBe(true);
    await main.act(head, id, { type: 'approve', stepId: 'unit_head' }, 1);

    const services = [main];
    if (ctx.database.url) {
      for (let i = 0; i < 3; i++) {
        const pool = connectPostgres(ctx.database.url, 4);
        extraPools.push(pool);
        services.push(service(pool.db));
      }
    }
    const deciders: SessionUser[] = Array.from({ length: 8 }, (_, i) => ({
      uid: `presse${i}`,
      name: `Pressestelle ${i}`,
      email: `presse${i}@hannover-stadt.de`,
      unit: '18.62',
      roles: ['employee', 'communications'],
    }));
    const results = await Promise.allSettled(
      deciders.map((d, i) =>
        (services[i % services.length] as RequestService).act(d, id, { type: 'approve', stepId: 'communications' }, 1),
      ),
    );
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(7);
    for (const l of lost) {
      expect(l.reason).toBeInstanceOf(RequestError);
      expect((l.reason as RequestError).refusal).toMatchObject({ code: 'step_not_open', state: 'approved' });
    }
    const db = ctx.database.db;
    expect(await db('decisions').where({ request_id: id, step_id: 'communications' })).toHaveLength(1);
    const approvals = (await db('history').where({ request_id: id, action: 'workflow.approved' })).filter(
      (h) => h.changes?.step?.after === 'communications',
    );
    expect(approvals).toHaveLength(1);
  });
});
