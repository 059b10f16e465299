import type { Knex } from 'knex';
import type { Config } from '../config';
import type { Job } from './scheduler';
import { deleteExpiredReporterData } from '../reports/service';

/** An upload token is good for one day (src/admin/uploads.ts); after that nobody can use it. */
const UPLOAD_MAX_AGE_MS = 24 * 60 * 60_000;
/** A used upload stays an hour, so that its result page still shows right after the import. */
const USED_UPLOAD_KEEP_MS = 60 * 60_000;

export interface MaintenanceResult {
  sessions: number;
  rateLimits: number;
  uploads: number;
  outbox: number;
  /** Reports of fake accounts whose reporter's e-mail and address were deleted. */
  reporterData: number;
}

/**
 * Deletes what nobody needs any more, so that no table grows without bound: expired
 * sessions (the session store runs no timer of its own: `cleanupInterval: 0`), expired
 * rate-limit windows, upload tokens that were used or can no longer be used, and delivered
 * mails older than OUTBOX_KEEP_DAYS (pending and failed ones stay for the operators), and the
 * e-mail and address of people who reported a fake account REPORT_RETENTION_DAYS after their
 * case was decided (issue 12; the privacy statement promises it).
 */
/** knex answers a DELETE with a number on pg and with the driver's result object on PGlite. */
const count = (result: unknown): number =>
  typeof result === 'number'
    ? result
    : Number(
        (result as { rowCount?: number; affectedRows?: number })?.rowCount ??
          (result as { affectedRows?: number })?.affectedRows ??
          0,
      );

export async function runMaintenance(
  db: Knex,
  now: Date,
  opts: { outboxKeepDays: number; reportRetentionDays: number },
): Promise<MaintenanceResult> {
  const sessions = count(await db('sessions').where('expired', '<=', now).delete());
  const rateLimits = count(await db('rate_limits').where('reset_at', '<=', now).delete());
  const uploads = count(
    await db('admin_uploads')
      .where('created_at', '<', new Date(now.getTime() - UPLOAD_MAX_AGE_MS))
      .orWhere('consumed_at', '<', new Date(now.getTime() - USED_UPLOAD_KEEP_MS))
      .delete(),
  );
  const outbox = count(
    await db('outbox')
      .where({ status: 'sent' })
      .andWhere('sent_at', '<', new Date(now.getTime() - opts.outboxKeepDays * 24 * 60 * 60_000))
      .delete(),
  );
  const reporterData = await deleteExpiredReporterData(db, now, opts.reportRetentionDays);
  return { sessions, rateLimits, uploads, outbox, reporterData };
}

/** The scheduler job (once across all instances, see scheduler.ts); it logs what it removed. */
export function maintenanceJob(
  db: Knex,
  config: Pick<Config, 'maintenance' | 'reports'>,
  logger: { info(obj: object, msg: string): void },
): Job {
  return {
    name: 'maintenance',
    everyMs: config.maintenance.intervalMinutes * 60_000,
    async run(now: Date) {
      const removed = await runMaintenance(db, now, {
        outboxKeepDays: config.maintenance.outboxKeepDays,
        reportRetentionDays: config.reports.retentionDays,
      });
      logger.info({ removed }, 'maintenance: old rows deleted');
      return removed;
    },
  };
}
