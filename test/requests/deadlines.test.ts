import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/app';
import { seedDemoUnits } from '../../src/demo/org-units';
import { createRequestService } from '../../src/requests/service';
import { createNotifier } from '../../src/requests/notify';
import { readForm } from '../../src/requests/form';
import { rememberPerson } from '../../src/people/store';
import { deadlineJob } from '../../src/jobs/deadlines';
import { createScheduler } from '../../src/jobs/scheduler';
import { createLogger } from '../../src/web/logging';
import type { SessionUser } from '../../src/directory/user';
import { validForm } from './fixtures';
import { deliverEverything } from '../helpers/outbox';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
  await seedDemoUnits(ctx.database.db);
});
afterAll(() => ctx.close());

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
const comms: SessionUser = {
  uid: 'kommunikation',
  name: 'Jonas Becker',
  email: 'jonas.becker@hannover-stadt.de',
  unit: '18.62',
  roles: ['employee', 'communications'],
};

describe('deadlines', () => {
  it('reminds after five working days and escalates after ten, once each, even with two schedulers', async () => {
    const db = ctx.database.db;
    // Monday 2 November 2026, 10:00 in Hannover
    ctx.clock.set(new Date('2026-11-02T09:00:00Z'));
    for (const p of [editor, head, comms]) await rememberPerson(db, p, ctx.clock.now);
    const directory = ctx.services.directory;
    const service = createRequestService({
      db,
      directory,
      clock: () => ctx.clock.now,
      notify: createNotifier({ baseUrl: 'http://portal.test', directory }),
    });
    const data = readForm(validForm({ url: 'https://facebook.com/frist.test', name: 'Fristen' }));
    const id = await service.create(editor, data);
    expect((await service.submit(editor, id, data)).ok).toBe(true);

    const logger = createLogger('silent');
    const schedulers = ['a', 'b'].map((holder) =>
      createScheduler({
        db,
        logger,
        clock: () => ctx.clock.now,
        holder,
        jobs: [deadlineJob(db, 'http://portal.test', 60_000)],
      }),
    );
    const runBoth = async () => {
      const ran = await Promise.all(schedulers.map((s) => s.runDue()));
      return ran.flat();
    };
    // mails to a role go to the members of its directory group when they are delivered
    const mails = async (template: string) => {
      await deliverEverything(db, ctx.services.directory);
      return (await db('outbox').where({ request_id: id, template }).whereNull('recipient_role')).map(
        (m) => m.recipient_uid,
      );
    };

    // four working days later: nothing yet
    ctx.clock.set(new Date('2026-11-06T09:00:00Z'));
    await runBoth();
    expect(await mails('reminder')).toEqual([]);

    // Monday 9 November: five working days – one reminder to the unit head
    ctx.clock.set(new Date('2026-11-09T09:30:00Z'));
    const ran = await runBoth();
    expect(ran).toEqual(['workflow-deadlines']); // exactly one of the two instances ran it
    expect(await mails('reminder')).toEqual(['leitung']);
    // one date format: a moment in running text, Hannover time (src/web/dates.ts)
    expect((await db('outbox').where({ request_id: id, template: 'reminder' }).first()).body).toContain(
      'wartet seit 2. November 2026, 10:00 Uhr im Schritt',
    );
    ctx.clock.advance(2 * 60_000);
    await runBoth();
    expect(await mails('reminder')).toEqual(['leitung']);
    expect(await mails('escalation')).toEqual([]);

    // Monday 16 November: ten working days – escalation to communications, once
    ctx.clock.set(new Date('2026-11-16T09:30:00Z'));
    await runBoth();
    ctx.clock.advance(2 * 60_000);
    await runBoth();
    expect(await mails('escalation')).toEqual(['kommunikation']);
    const history = (await db('history').where({ request_id: id })).map((h) => h.action);
    expect(history.filter((a) => a === 'workflow.reminder_sent')).toHaveLength(1);
    expect(history.filter((a) => a === 'workflow.escalated')).toHaveLength(1);
  });
});
