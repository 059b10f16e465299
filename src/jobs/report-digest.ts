import type { Knex } from 'knex';
import { sendReportDigest } from '../reports/service';
import type { Job } from './scheduler';

/** How often the digest job looks; it sends at most one mail per Berlin day (src/reports/service.ts). */
export const REPORT_DIGEST_EVERY_MS = 60 * 60_000;

/**
 * The daily digest of new reports of fake accounts to communications (issue 12): once across
 * all instances — the scheduler's lease picks one instance per run, and the day's row in
 * report_digests makes a second mail on the same day impossible even if two runs overlapped.
 * Not one mail per report: a citizen's report never sends mail by itself.
 */
export function reportDigestJob(db: Knex, baseUrl: string): Job {
  return {
    name: 'report-digest',
    everyMs: REPORT_DIGEST_EVERY_MS,
    run: (now: Date) => sendReportDigest(db, baseUrl, now),
  };
}
