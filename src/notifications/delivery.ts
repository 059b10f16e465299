import type { Knex } from 'knex';
import type { Mailer } from './mailer';

/**
 * Sends due outbox messages. Safe to run on several instances at once: a message is first
 * claimed in a short transaction (row locks, SKIP LOCKED so instances take different
 * rows) by pushing its next_attempt_at CLAIM_MS into the future, and only then sent,
 * outside any transaction. A crash after the claim delays the message by CLAIM_MS; it is
 * never lost. When the relay is down the message stays pending and is retried with backoff.
 */

/** Minutes to wait after the 1st, 2nd, … failed attempt; the last value repeats. */
export const BACKOFF_MINUTES = [1, 5, 15, 60, 180, 360, 720] as const;
export const DEFAULT_MAX_ATTEMPTS = 8;
export const DEFAULT_BATCH_SIZE = 50;
/** How long a claim holds by default. Must exceed the time one run needs to reach a claimed message. */
export const CLAIM_MS = 15 * 60_000;

export function backoffMs(failedAttempts: number): number {
  const i = Math.min(Math.max(failedAttempts, 1), BACKOFF_MINUTES.length) - 1;
  return (BACKOFF_MINUTES[i] ?? 720) * 60_000;
}

export interface DeliveryResult {
  sent: number;
  /** Gave up after maxAttempts: status 'failed', an administrator can retry. */
  failed: number;
  /** Failed this time, scheduled again. */
  retried: number;
}

interface Claimed {
  id: number;
  recipient_email: string;
  subject: string;
  body: string;
  attempts: number;
}

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err)).slice(0, 1000);

export async function deliverDue(
  db: Knex,
  mailer: Mailer,
  now: Date,
  opts: { batchSize?: number; maxAttempts?: number; claimMs?: number } = {},
): Promise<DeliveryResult> {
  const batchSize = opts.batchSize ?? DEFAULT_BATCH_SIZE;
  const maxAttempts = opts.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const claimMs = opts.claimMs ?? CLAIM_MS;
  const claimUntil = new Date(now.getTime() + claimMs);

  const claimed = await db.transaction(async (trx) => {
    const ids = await trx('outbox')
      .where('status', 'pending')
      .andWhere('next_attempt_at', '<=', now)
      .orderBy([{ column: 'next_attempt_at' }, { column: 'id' }])
      .limit(batchSize)
      .forUpdate()
      .skipLocked()
      .pluck('id');
    if (ids.length === 0) return [] as Claimed[];
    // The same conditions again: should a row ever be locked without SKIP LOCKED doing its
    // job, the re-check after the wait finds it claimed and leaves it out.
    return trx('outbox')
      .whereIn('id', ids)
      .andWhere('status', 'pending')
      .andWhere('next_attempt_at', '<=', now)
      .update({ attempts: trx.raw('attempts + 1'), next_attempt_at: claimUntil })
      .returning<Claimed[]>(['id', 'recipient_email', 'subject', 'body', 'attempts']);
  });
  claimed.sort((a, b) => a.id - b.id);

  const result: DeliveryResult = { sent: 0, failed: 0, retried: 0 };
  // Wall time, not `now`: the claim expires in real time while a slow relay keeps us busy.
  const started = Date.now();
  for (const [index, message] of claimed.entries()) {
    if (Date.now() - started > claimMs / 2) {
      // Our claim on the rest is running out; hand them back rather than risk that another
      // instance claims one again while we are still sending it.
      const rest = claimed.slice(index).map((m) => m.id);
      await db('outbox')
        .whereIn('id', rest)
        .andWhere({ status: 'pending', next_attempt_at: claimUntil })
        .update({ attempts: db.raw('attempts - 1'), next_attempt_at: now });
      break;
    }
    try {
      await mailer.send({ to: message.recipient_email, subject: message.subject, text: message.body });
    } catch (err) {
      const giveUp = message.attempts >= maxAttempts;
      // only while it is still our claim: if another instance took over after the claim
      // expired (and perhaps sent it), our late failure must not revive or reschedule it
      const updated = await db('outbox')
        .where({ id: message.id, status: 'pending', attempts: message.attempts })
        .update(
          giveUp
            ? { status: 'failed', last_error: errorText(err), next_attempt_at: now }
            : { last_error: errorText(err), next_attempt_at: new Date(now.getTime() + backoffMs(message.attempts)) },
        );
      if (updated === 0) continue;
      if (giveUp) result.failed++;
      else result.retried++;
      continue;
    }
    await db('outbox').where({ id: message.id }).update({ status: 'sent', sent_at: now, last_error: null });
    result.sent++;
  }
  return result;
}

/** The scheduler job that delivers the outbox (register it with createScheduler). */
export function outboxJob(db: Knex, mailer: Mailer, opts: { everyMs?: number; batchSize?: number; maxAttempts?: number; claimMs?: number } = {}) {
  return {
    name: 'outbox-delivery',
    everyMs: opts.everyMs ?? 30_000,
    run: (now: Date) => deliverDue(db, mailer, now, opts),
  };
}
