import type { Knex } from 'knex';
import type { GroupRole } from '../config';
import { isDeliverableAddress, type Recipient } from '../mail-address';
import { renderTemplate, type MailLocale, type TemplateKey, type TemplateParams } from './templates';

/**
 * The transactional outbox: a decision and the mails it causes are written in the same
 * transaction, so either both exist or neither. Delivery (delivery.ts) picks them up later.
 */

// Addresses and role resolution are shared with src/people (which resolves) through one small
// module below both, so that people and notifications never import each other.
export { isDeliverableAddress, type Recipient, type RoleResolver } from '../mail-address';

/**
 * Everybody who holds a role: the mail is queued once, addressed to the role, and the
 * delivery job expands it into one mail per member of the role's directory group (plus
 * the role's functional mailbox) when it is due — see delivery.ts.
 */
export interface RoleAddress {
  role: GroupRole;
}

interface MessageBase {
  to: Recipient | RoleAddress;
  locale?: MailLocale;
  requestId?: number;
  presenceId?: number;
  /** The same key is queued at most once (e.g. `reminder:<request>:<step>:<uid>:1`). */
  dedupeKey?: string;
}

/** A mail to queue; `params` is checked against the template's parameter list at compile time. */
export type OutgoingMessage = {
  [K in TemplateKey]: MessageBase & { template: K; params: TemplateParams<K> };
}[TemplateKey];

export type OutboxStatus = 'pending' | 'sent' | 'failed';
export const OUTBOX_STATUSES: readonly OutboxStatus[] = ['pending', 'sent', 'failed'];

export interface OutboxMessage {
  id: number;
  recipientUid: string | null;
  /** null for a mail addressed to a role (recipientRole). */
  recipientEmail: string | null;
  recipientRole: string | null;
  template: string;
  locale: string;
  subject: string;
  body: string;
  requestId: number | null;
  presenceId: number | null;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: Date;
  lastError: string | null;
  dedupeKey: string | null;
  createdAt: Date;
  sentAt: Date | null;
}

/**
 * Queues one mail inside the caller's transaction. Subject and body are rendered now, so
 * the outbox shows exactly what goes out, and a missing parameter fails the caller's
 * transaction instead of a mail later. `now` lets callers with an injected clock date it.
 */
export async function enqueue(trx: Knex | Knex.Transaction, message: OutgoingMessage, now?: Date): Promise<void> {
  const to = message.to;
  const role = 'role' in to ? to.role : undefined;
  const person = 'role' in to ? undefined : to;
  if (person && !isDeliverableAddress(person.email))
    throw new Error(`Not a deliverable e-mail address: ${JSON.stringify(person.email)}`);
  if (message.dedupeKey !== undefined && (message.dedupeKey.length === 0 || message.dedupeKey.length > 200)) {
    throw new Error('dedupeKey must have 1 to 200 characters');
  }
  const locale = message.locale ?? 'de';
  // a role's mail is rendered now as well (without a name): a missing parameter fails the
  // caller's transaction, and the outbox page shows what the members will read
  const { subject, body } = renderTemplate(message.template, locale, message.params as never, person?.name);
  const row = {
    recipient_uid: person?.uid ?? null,
    recipient_email: person?.email ?? null,
    recipient_role: role ?? null,
    params: role ? JSON.stringify(message.params) : null,
    template: message.template,
    locale,
    subject,
    body,
    request_id: message.requestId ?? null,
    presence_id: message.presenceId ?? null,
    status: 'pending',
    attempts: 0,
    dedupe_key: message.dedupeKey ?? null,
    ...(now ? { created_at: now, next_attempt_at: now } : {}),
  };
  const insert = trx('outbox').insert(row);
  // ON CONFLICT DO NOTHING: a second reminder for the same key is silently dropped,
  // and a concurrent transaction with the same key waits instead of failing.
  await (message.dedupeKey ? insert.onConflict('dedupe_key').ignore() : insert);
}

type OutboxRow = {
  id: number;
  recipient_uid: string | null;
  recipient_email: string | null;
  recipient_role: string | null;
  template: string;
  locale: string;
  subject: string;
  body: string;
  request_id: number | null;
  presence_id: number | null;
  status: OutboxStatus;
  attempts: number;
  next_attempt_at: Date;
  last_error: string | null;
  dedupe_key: string | null;
  created_at: Date;
  sent_at: Date | null;
};

const fromRow = (r: OutboxRow): OutboxMessage => ({
  id: r.id,
  recipientUid: r.recipient_uid,
  recipientEmail: r.recipient_email,
  recipientRole: r.recipient_role,
  template: r.template,
  locale: r.locale,
  subject: r.subject,
  body: r.body,
  requestId: r.request_id,
  presenceId: r.presence_id,
  status: r.status,
  attempts: r.attempts,
  nextAttemptAt: r.next_attempt_at,
  lastError: r.last_error,
  dedupeKey: r.dedupe_key,
  createdAt: r.created_at,
  sentAt: r.sent_at,
});

/** For the administrators' page: newest first, with the total for pagination. */
export async function listOutbox(
  db: Knex,
  opts: { status?: OutboxStatus; limit: number; offset: number },
): Promise<{ items: OutboxMessage[]; total: number }> {
  const filtered = () => (opts.status ? db('outbox').where('status', opts.status) : db('outbox'));
  const [rows, countRow] = await Promise.all([
    filtered()
      .select<OutboxRow[]>('*')
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(opts.limit)
      .offset(opts.offset),
    filtered().count<{ n: number }[]>({ n: '*' }).first(),
  ]);
  return { items: rows.map(fromRow), total: Number(countRow?.n ?? 0) };
}

export async function getOutboxMessage(db: Knex, id: number): Promise<OutboxMessage | undefined> {
  const row = await db('outbox').where({ id }).first<OutboxRow | undefined>();
  return row ? fromRow(row) : undefined;
}

/**
 * An administrator sends a failed message again: it becomes pending with a fresh count of
 * attempts. Only failed messages: a pending one is on its way, a sent one must not go twice.
 */
export async function retryMessage(db: Knex, id: number, now: Date): Promise<'retried' | 'not_failed' | 'not_found'> {
  const updated = await db('outbox')
    .where({ id, status: 'failed' })
    .update({ status: 'pending', attempts: 0, next_attempt_at: now });
  if (updated > 0) return 'retried';
  return (await db('outbox').where({ id }).first('id')) ? 'not_failed' : 'not_found';
}

/** The administrators' outbox page: what it reads and the one thing it changes. */
export interface OutboxPages {
  list(opts: {
    status?: OutboxStatus;
    limit: number;
    offset: number;
  }): Promise<{ items: OutboxMessage[]; total: number }>;
  /** "Send again" for a failed message, due now. */
  retry(id: number): Promise<'retried' | 'not_failed' | 'not_found'>;
}

export function createOutboxPages(db: Knex, clock: () => Date): OutboxPages {
  return { list: (opts) => listOutbox(db, opts), retry: (id) => retryMessage(db, id, clock()) };
}
