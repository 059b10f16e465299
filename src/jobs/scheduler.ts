import os from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';

/**
 * Scheduled work that runs once across all app instances, not once per instance.
 * Coordination lives in the database (`job_leases`), never in process memory: whoever
 * wins a job's lease runs it, and only if its last run is at least `everyMs` old.
 * Time comes from an injected clock, so tests move time instead of waiting.
 */

export interface Job {
  /** Unique, at most 60 characters (job_leases.job). */
  name: string;
  /** Minimum time between two runs across all instances. */
  everyMs: number;
  /** How long a run may hold the job before another instance may take over; default 10 minutes. */
  leaseMs?: number;
  run(now: Date): Promise<unknown>;
}

export interface SchedulerLogger {
  error(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
}

export interface Scheduler {
  /** Runs due jobs now and then every tick; timers are unref'd so they never keep the process alive. */
  start(): void;
  /** No new runs; resolves when a run in progress has finished. */
  stop(): Promise<void>;
  /** One pass over all jobs; the names of the jobs this instance ran (also those that threw). Never rejects. */
  runDue(): Promise<string[]>;
}

export const DEFAULT_LEASE_MS = 10 * 60_000;
/** A released lease: in the past for any clock, so the next due run can take it. */
const RELEASED = new Date(0);

/** Identifies this instance in job_leases (host, process and a random part for restarts). */
export function defaultHolder(): string {
  return `${os.hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`.slice(0, 100);
}

/**
 * One INSERT … ON CONFLICT DO UPDATE … WHERE … RETURNING: race-safe on PostgreSQL, because
 * a concurrent caller waits for the row lock and then re-checks the WHERE against the
 * winner's row. With `lastRunBefore`, the lease is only granted when the job is also due,
 * and last_run_at is set in the same statement.
 */
async function acquire(
  db: Knex,
  job: string,
  holder: string,
  now: Date,
  leaseMs: number,
  lastRunBefore?: Date,
): Promise<boolean> {
  const row = {
    job,
    holder: holder.slice(0, 100),
    leased_until: new Date(now.getTime() + leaseMs),
    ...(lastRunBefore ? { last_run_at: now } : {}),
  };
  const query = db('job_leases')
    .insert(row)
    .onConflict('job')
    .merge(Object.keys(row).filter((c) => c !== 'job'))
    .where('job_leases.leased_until', '<', now);
  if (lastRunBefore) {
    query.andWhere((q) => {
      q.whereNull('job_leases.last_run_at').orWhere('job_leases.last_run_at', '<=', lastRunBefore);
    });
  }
  const won = await query.returning('job');
  return won.length === 1;
}

/** Takes the lease of `job` until now + leaseMs if nobody holds it; true when this caller got it. */
export function tryLease(db: Knex, job: string, holder: string, now: Date, leaseMs: number): Promise<boolean> {
  return acquire(db, job, holder, now, leaseMs);
}

/** Gives the lease back early (only if still ours), so the next period need not wait for it to expire. */
export async function releaseLease(db: Knex, job: string, holder: string): Promise<void> {
  await db('job_leases')
    .where({ job, holder: holder.slice(0, 100) })
    .update({ leased_until: RELEASED });
}

export function createScheduler(opts: {
  db: Knex;
  logger: SchedulerLogger;
  clock: () => Date;
  holder: string;
  jobs: Job[];
  /** How often start() looks for due jobs; default: the shortest everyMs, between 1 and 15 seconds. */
  tickMs?: number;
}): Scheduler {
  const { db, logger, clock, holder, jobs } = opts;
  const names = new Set(jobs.map((j) => j.name));
  if (names.size !== jobs.length) throw new Error('Scheduled job names must be unique');
  const tickMs = opts.tickMs ?? Math.min(15_000, Math.max(1_000, Math.min(...jobs.map((j) => j.everyMs))));

  let timer: NodeJS.Timeout | undefined;
  let stopped = true;
  let current: Promise<unknown> | undefined;

  async function runJob(job: Job): Promise<boolean> {
    const now = clock();
    let won: boolean;
    try {
      won = await acquire(
        db,
        job.name,
        holder,
        now,
        job.leaseMs ?? DEFAULT_LEASE_MS,
        new Date(now.getTime() - job.everyMs),
      );
    } catch (err) {
      logger.error({ err, job: job.name }, 'scheduled job: lease failed');
      return false;
    }
    if (!won) return false;
    const started = Date.now();
    try {
      const result = await job.run(now);
      logger.debug({ job: job.name, ms: Date.now() - started, result }, 'scheduled job done');
    } catch (err) {
      // last_run_at is already set: a failing job waits for its next period instead of looping
      logger.error({ err, job: job.name }, 'scheduled job failed');
    } finally {
      await releaseLease(db, job.name, holder).catch((err: unknown) =>
        logger.error({ err, job: job.name }, 'scheduled job: releasing the lease failed'),
      );
    }
    return true;
  }

  async function runDue(): Promise<string[]> {
    const ran: string[] = [];
    // one after another: a job never overlaps itself, and PGlite has one connection anyway
    for (const job of jobs) if (await runJob(job)) ran.push(job.name);
    return ran;
  }

  const tick = () => {
    current = runDue().finally(() => {
      current = undefined;
      if (!stopped) {
        timer = setTimeout(tick, tickMs);
        timer.unref();
      }
    });
  };

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      timer = setTimeout(tick, 0);
      timer.unref();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await current;
    },
    runDue,
  };
}
