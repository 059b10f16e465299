import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Knex } from 'knex';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { backendName } from '../helpers/env';
import {
  createScheduler,
  defaultHolder,
  releaseLease,
  tryLease,
  type Job,
  type SchedulerLogger,
} from '../../src/jobs/scheduler';
import { enqueue } from '../../src/notifications/outbox';
import { outboxJob } from '../../src/notifications/delivery';
import { FakeMailer, secondInstance, stepWaiting } from '../notifications/fixtures';

let database: TestDatabase;
let other: { db: Knex; close(): Promise<void> };

beforeAll(async () => {
  database = await createTestDatabase();
  other = secondInstance(database);
});
afterAll(async () => {
  await other.close();
  await database.close();
});
beforeEach(async () => {
  await database.db('job_leases').del();
  await database.db('outbox').del();
});

/** One clock for every instance; tests move it instead of waiting. */
function fakeClock(start = new Date('2026-03-02T08:00:00Z')) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now = new Date(now.getTime() + ms)) };
}

function recordingLogger() {
  const errors: Array<{ obj: Record<string, unknown>; msg: string }> = [];
  const logger: SchedulerLogger = {
    error: (obj, msg) => errors.push({ obj: obj as Record<string, unknown>, msg }),
    debug: () => undefined,
  };
  return { logger, errors };
}

function countingJob(name: string, everyMs: number, runs: Date[]): Job {
  return { name, everyMs, run: async (now) => void runs.push(now) };
}

const MINUTE = 60_000;

describe(`scheduler (${backendName})`, () => {
  it('runs a job once per period across two instances', async () => {
    const clock = fakeClock();
    const runs: Date[] = [];
    const make = (db: Knex, holder: string) =>
      createScheduler({
        db,
        logger: recordingLogger().logger,
        clock: clock.now,
        holder,
        jobs: [countingJob('reminders', 5 * MINUTE, runs)],
      });
    const a = make(database.db, 'instance-a');
    const b = make(other.db, 'instance-b');

    const first = await Promise.all([a.runDue(), b.runDue()]);
    expect(first.flat()).toEqual(['reminders']);
    expect(runs).toHaveLength(1);

    // same period: nobody runs it again, whoever asks
    const t0 = clock.now().getTime();
    for (const offset of [0, MINUTE, 5 * MINUTE - 1]) {
      clock.advance(t0 + offset - clock.now().getTime());
      expect((await Promise.all([a.runDue(), b.runDue(), a.runDue()])).flat()).toEqual([]);
    }
    clock.advance(1); // exactly everyMs after the first run
    expect((await Promise.all([b.runDue(), a.runDue()])).flat()).toEqual(['reminders']);
    expect(runs).toHaveLength(2);

    // ten more periods, both instances asking concurrently every minute: ten more runs
    for (let i = 0; i < 50; i++) {
      clock.advance(MINUTE);
      await Promise.all([a.runDue(), b.runDue()]);
    }
    expect(runs).toHaveLength(12);
    const gaps = runs.slice(1).map((d, i) => d.getTime() - runs[i]!.getTime());
    expect(gaps.every((g) => g >= 5 * MINUTE)).toBe(true);
  });

  it('logs a throwing job and still runs the others, and the failed job runs again next period', async () => {
    const clock = fakeClock();
    const { logger, errors } = recordingLogger();
    const runs: Date[] = [];
    let boom = 0;
    const scheduler = createScheduler({
      db: database.db,
      logger,
      clock: clock.now,
      holder: 'instance-a',
      jobs: [
        {
          name: 'boom',
          everyMs: MINUTE,
          run: async () => {
            boom++;
            throw new Error('job exploded');
          },
        },
        countingJob('after-boom', MINUTE, runs),
      ],
    });
    expect(await scheduler.runDue()).toEqual(['boom', 'after-boom']);
    expect(runs).toHaveLength(1);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.msg).toBe('scheduled job failed');
    expect(errors[0]?.obj.job).toBe('boom');
    expect((errors[0]?.obj.err as Error | undefined)?.message).toBe('job exploded');

    expect(await scheduler.runDue()).toEqual([]); // not in a loop
    clock.advance(MINUTE);
    expect(await scheduler.runDue()).toEqual(['boom', 'after-boom']); // the lease was released despite the error
    expect(boom).toBe(2);
  });

  it('never rejects when the database fails, and says so in the log', async () => {
    const { logger, errors } = recordingLogger();
    const scheduler = createScheduler({
      db: database.db,
      logger,
      clock: () => new Date(),
      holder: 'x',
      jobs: [{ name: 'x'.repeat(61), everyMs: MINUTE, run: async () => undefined }], // longer than the column
    });
    expect(await scheduler.runDue()).toEqual([]);
    expect(errors[0]?.msg).toBe('scheduled job: lease failed');
  });

  it('refuses two jobs with the same name', () => {
    const job = countingJob('a', MINUTE, []);
    expect(() =>
      createScheduler({
        db: database.db,
        logger: recordingLogger().logger,
        clock: () => new Date(),
        holder: 'h',
        jobs: [job, job],
      }),
    ).toThrow('unique');
  });

  it('grants a lease to exactly one of many parallel callers', async () => {
    const now = new Date('2026-03-02T08:00:00Z');
    const race = (at: Date) =>
      Promise.all(
        Array.from({ length: 24 }, (_, i) =>
          tryLease(i % 2 ? other.db : database.db, 'race', `holder-${i}`, at, MINUTE),
        ),
      );
    expect((await race(now)).filter(Boolean)).toHaveLength(1); // first insert
    expect((await race(new Date(now.getTime() + MINUTE - 1))).filter(Boolean)).toHaveLength(0); // still held
    expect((await race(new Date(now.getTime() + MINUTE + 1))).filter(Boolean)).toHaveLength(1); // expired: one takes over
    const holder = (await database.db('job_leases').where({ job: 'race' }).first('holder')).holder as string;
    await releaseLease(database.db, 'race', 'somebody-else'); // only the holder can release
    expect(await tryLease(database.db, 'race', 'x', new Date(now.getTime() + MINUTE + 2), MINUTE)).toBe(false);
    await releaseLease(database.db, 'race', holder);
    expect(await tryLease(database.db, 'race', 'x', new Date(now.getTime() + MINUTE + 2), MINUTE)).toBe(true);
  });

  it('takes over the job of an instance that died while holding the lease, once the lease expires', async () => {
    const clock = fakeClock();
    const runs: Date[] = [];
    // instance A took the lease and crashed before running the job
    expect(await tryLease(database.db, 'daily', 'dead-instance', clock.now(), 10 * MINUTE)).toBe(true);
    const b = createScheduler({
      db: other.db,
      logger: recordingLogger().logger,
      clock: clock.now,
      holder: 'instance-b',
      jobs: [{ ...countingJob('daily', MINUTE, runs), leaseMs: 10 * MINUTE }],
    });
    clock.advance(10 * MINUTE - 1);
    expect(await b.runDue()).toEqual([]);
    clock.advance(2);
    expect(await b.runDue()).toEqual(['daily']);
  });

  it('start() runs due jobs on its own and stop() waits for a running job', async () => {
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    let finish!: () => void;
    const gate = new Promise<void>((resolve) => (finish = resolve));
    let done = false;
    const scheduler = createScheduler({
      db: database.db,
      logger: recordingLogger().logger,
      clock: () => new Date(),
      holder: defaultHolder(),
      jobs: [
        {
          name: 'slow',
          everyMs: MINUTE,
          run: async () => {
            started();
            await gate;
            done = true;
          },
        },
      ],
    });
    scheduler.start();
    await running;
    let stopped = false;
    const stopping = scheduler.stop().then(() => (stopped = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(stopped).toBe(false); // still waiting for the job
    finish();
    await stopping;
    expect(done).toBe(true);
    // stopped for good: nothing runs any more, the lease is free again
    const lease = await database.db('job_leases').where({ job: 'slow' }).first();
    expect(lease.leased_until.getTime()).toBe(0);
  });

  it('delivers the outbox once, whichever instance wins', async () => {
    const clock = fakeClock();
    for (let i = 1; i <= 3; i++) await enqueue(database.db, stepWaiting(i), clock.now());
    const mailerA = new FakeMailer();
    const mailerB = new FakeMailer();
    const a = createScheduler({
      db: database.db,
      logger: recordingLogger().logger,
      clock: clock.now,
      holder: 'a',
      jobs: [outboxJob(database.db, mailerA)],
    });
    const b = createScheduler({
      db: other.db,
      logger: recordingLogger().logger,
      clock: clock.now,
      holder: 'b',
      jobs: [outboxJob(other.db, mailerB)],
    });
    expect((await Promise.all([a.runDue(), b.runDue()])).flat()).toEqual(['outbox-delivery']);
    expect(mailerA.sent.length + mailerB.sent.length).toBe(3);
    await enqueue(database.db, stepWaiting(4), clock.now());
    clock.advance(30_000);
    await Promise.all([a.runDue(), b.runDue()]);
    expect([...mailerA.sent, ...mailerB.sent].map((m) => m.to).sort()).toEqual(
      [1, 2, 3, 4].map((i) => `person${i}@hannover-stadt.de`),
    );
  });
});
