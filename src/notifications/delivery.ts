import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import type { GroupRole } from '../config';
import type { RoleResolver } from './outbox';
import type { Mailer } from './mailer';
import { isTemplateKey, renderTemplate, type MailLocale } from './templates';

/**
 * Sends due outbox messages. Safe to run on several instances at once: a message is first
 * claimed in a short transaction (row locks, SKIP LOCKED so instances take different
 * rows) by pushing its next_attempt_at CLAIM_MS into the future, and only then sent,
 * outside any transaction. A crash after the claim delays the message by CLAIM_MS; it is
 * never lost. When the relay is down the message stays pending and is retried with backoff.
 *
 * A mail addressed to a role is expanded first: the role's members are read from the
 * directory now, one mail per address is queued (in one transaction with marking the role
 * entry done), and those are sent in the same run. Directory down, or nobody to write to:
 * the role entry stays pending and is retried with the same backoff — never sent to nobody.
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

export interface DeliveryOptions {
  batchSize?: number;
  maxAttempts?: number;
  claimMs?: number;
  /** Expands mails addressed to a role; without it such mails wait. */
  roles?: RoleResolver;
}

interface ClaimedRole {
  id: number;
  recipient_role: GroupRole;
  template: string;
  locale: string;
  params: Record<string, string>;
  request_id: number | null;
  presence_id: number | null;
  attempts: number;
}

/** Claims due rows like deliverDue does (SKIP LOCKED, next_attempt_at pushed to the claim's end). */
async function claimDue<T>(
  db: Knex,
  now: Date,
  claimUntil: Date,
  batchSize: number,
  roleRows: boolean,
  columns: string[],
): Promise<T[]> {
  return db.transaction(async (trx) => {
    const ids = await trx('outbox')
      .where('status', 'pending')
      .andWhere('next_attempt_at', '<=', now)
      .modify((q) => {
        if (roleRows) q.whereNotNull('recipient_role');
        else q.whereNull('recipient_role');
      })
      .orderBy([{ column: 'next_attempt_at' }, { column: 'id' }])
      .limit(batchSize)
      .forUpdate()
      .skipLocked()
      .pluck('id');
    if (ids.length === 0) return [] as T[];
    // The same conditions again: should a row ever be locked without SKIP LOCKED doing its
    // job, the re-check after the wait finds it claimed and leaves it out.
    const claimed: unknown[] = await trx('outbox')
      .whereIn('id', ids)
      .andWhere('status', 'pending')
      .andWhere('next_attempt_at', '<=', now)
      .update({ attempts: trx.raw('attempts + 1'), next_attempt_at: claimUntil })
      .returning(columns);
    return claimed as T[]; // the caller names the columns, and so the row shape
  });
}

/**
 * A failed attempt at a claimed message: given up after `maxAttempts` (an administrator can
 * retry it), otherwise scheduled again with backoff. Only while it is still our claim: if
 * another instance took over after the claim expired (and perhaps sent it), our late failure
 * must not revive or reschedule it — then nothing is recorded and undefined comes back.
 */
async function recordFailure(
  db: Knex,
  message: { id: number; attempts: number },
  problem: unknown,
  now: Date,
  maxAttempts: number,
): Promise<'failed' | 'retried' | undefined> {
  const giveUp = message.attempts >= maxAttempts;
  const updated = await db('outbox')
    .where({ id: message.id, status: 'pending', attempts: message.attempts })
    .update(
      giveUp
        ? { status: 'failed', last_error: errorText(problem), next_attempt_at: now }
        : { last_error: errorText(problem), next_attempt_at: new Date(now.getTime() + backoffMs(message.attempts)) },
    );
  if (updated === 0) return undefined;
  return giveUp ? 'failed' : 'retried';
}

/**
 * Turns due mails to a role into one pending mail per recipient (deliverDue does this before
 * sending); returns how many failed for good or wait for a retry.
 */
export async function expandRoleMails(
  db: Knex,
  roles: RoleResolver,
  now: Date,
  opts: Omit<DeliveryOptions, 'roles'> = {},
): Promise<Pick<DeliveryResult, 'failed' | 'retried'>> {
  const batchSize = opts.batchSize ?? DEFAULT_BATCH_SIZE;
  const maxAttempts = opts.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const claimUntil = new Date(now.getTime() + (opts.claimMs ?? CLAIM_MS));
  const out = { failed: 0, retried: 0 };
  const claimed = await claimDue<ClaimedRole>(db, now, claimUntil, batchSize, true, [
    'id',
    'recipient_role',
    'template',
    'locale',
    'params',
    'request_id',
    'presence_id',
    'attempts',
  ]);
  claimed.sort((a, b) => a.id - b.id);
  const recipientsByRole = new Map<GroupRole, Awaited<ReturnType<RoleResolver['recipients']>> | Error>();
  for (const entry of claimed) {
    let recipients = recipientsByRole.get(entry.recipient_role);
    if (!recipients) {
      recipients = await roles
        .recipients(entry.recipient_role)
        .catch((err: unknown) => (err instanceof Error ? err : new Error(String(err))));
      recipientsByRole.set(entry.recipient_role, recipients);
    }
    // the directory did not answer, or nobody to write to: wait and try again, never send to nobody
    const fail = async (problem: unknown) => {
      const outcome = await recordFailure(db, entry, problem, now, maxAttempts);
      if (outcome) out[outcome]++;
    };
    if (recipients instanceof Error) {
      await fail(recipients);
      continue;
    }
    if (recipients.length === 0) {
      await fail(
        `Role ${entry.recipient_role}: nobody to write to (directory group empty or missing, no functional mailbox)`,
      );
      continue;
    }
    const list = recipients;
    try {
      await db.transaction(async (trx) => {
        // still our claim? (another instance may have taken over after it ran out)
        const done = await trx('outbox')
          .where({ id: entry.id, status: 'pending', attempts: entry.attempts })
          .update({ status: 'sent', sent_at: now, last_error: null });
        if (done === 0) return;
        if (!isTemplateKey(entry.template)) throw new Error(`Unknown template ${entry.template}`);
        for (const to of list) {
          const { subject, body } = renderTemplate(
            entry.template,
            entry.locale as MailLocale,
            entry.params as never,
            to.name,
          );
          await trx('outbox')
            .insert({
              recipient_uid: to.uid ?? null,
              recipient_email: to.email,
              template: entry.template,
              locale: entry.locale,
              subject,
              body,
              request_id: entry.request_id,
              presence_id: entry.presence_id,
              status: 'pending',
              attempts: 0,
              // one mail per address and role entry, however often the entry is expanded
              dedupe_key: `role:${entry.id}:${createHash('sha256').update(to.email.toLowerCase()).digest('hex').slice(0, 32)}`,
              created_at: now,
              next_attempt_at: now,
            })
            .onConflict('dedupe_key')
            .ignore();
        }
      });
    } catch (err) {
      // one broken entry (e.g. a template changed under it) must not hold up the others
      await fail(err);
    }
  }
  return out;
}

export async function deliverDue(
  db: Knex,
  mailer: Mailer,
  now: Date,
  opts: DeliveryOptions = {},
): Promise<DeliveryResult> {
  const batchSize = opts.batchSize ?? DEFAULT_BATCH_SIZE;
  const maxAttempts = opts.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const claimMs = opts.claimMs ?? CLAIM_MS;
  const claimUntil = new Date(now.getTime() + claimMs);

  const result: DeliveryResult = { sent: 0, failed: 0, retried: 0 };
  if (opts.roles) {
    const roleOutcome = await expandRoleMails(db, opts.roles, now, opts);
    result.failed += roleOutcome.failed;
    result.retried += roleOutcome.retried;
  }

  const claimed = await claimDue<Claimed>(db, now, claimUntil, batchSize, false, [
    'id',
    'recipient_email',
    'subject',
    'body',
    'attempts',
  ]);
  claimed.sort((a, b) => a.id - b.id);

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
      const outcome = await recordFailure(db, message, err, now, maxAttempts);
      if (outcome) result[outcome]++;
      continue;
    }
    await db('outbox').where({ id: message.id }).update({ status: 'sent', sent_at: now, last_error: null });
    result.sent++;
  }
  return result;
}

/** The scheduler job that delivers the outbox (register it with createScheduler). */
export function outboxJob(db: Knex, mailer: Mailer, opts: DeliveryOptions & { everyMs?: number } = {}) {
  return {
    name: 'outbox-delivery',
    everyMs: opts.everyMs ?? 30_000,
    run: (now: Date) => deliverDue(db, mailer, now, opts),
  };
}
