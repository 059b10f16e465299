import type { Knex } from 'knex';
import type { SessionUser } from '../directory/user';
import type { Directory } from '../directory/directory';
import { recordHistory } from '../audit/history';
import { enqueue, isDeliverableAddress, type Recipient } from '../notifications/outbox';
import { findPeople } from '../people/store';
import { headsForUnit } from '../registry/org-units';
import { presenceAccess, type PresenceAccess } from '../policy/access';
import { selfViewer } from '../policy/viewer';
import { berlinDay } from '../policy/actors';
import { datesFor } from '../web/dates';

export class PresenceError extends Error {
  constructor(public readonly code: 'not_found' | 'forbidden' | 'closed') {
    super(code);
    this.name = 'PresenceError';
  }
}

/** What a person may do with a presence after publication (the rule: presenceAccess in policy/access). */
export async function loadPresenceAccess(
  db: Knex | Knex.Transaction,
  user: SessionUser,
  presence: { id: number; org_unit_id: number; status: string },
): Promise<PresenceAccess> {
  const editorUids: string[] = await db('presence_editors').where({ presence_id: presence.id }).pluck('uid');
  const unit = await db('org_units').where({ id: presence.org_unit_id }).first('code');
  return presenceAccess(await selfViewer(db, user), { status: presence.status, unitCode: unit?.code, editorUids });
}

function addMonths(day: string, months: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.toISOString().slice(0, 10);
}

async function reviewMonths(db: Knex | Knex.Transaction, presence: { request_id: number | null }): Promise<number> {
  if (!presence.request_id) return 12;
  const origin = await db('requests').where({ id: presence.request_id }).first('data');
  const months = Number((origin?.data as { reviewMonths?: string } | undefined)?.reviewMonths);
  return Number.isInteger(months) && months >= 1 && months <= 12 ? months : 12;
}

/** The yearly confirmation: the presence is active and still complies. */
export async function confirmPresence(db: Knex, user: SessionUser, presenceId: number, now: Date): Promise<void> {
  await db.transaction(async (trx) => {
    const p = await trx('presences').where({ id: presenceId }).forUpdate().first();
    if (!p) throw new PresenceError('not_found');
    const access = await loadPresenceAccess(trx, user, p);
    if (!access.canConfirm) throw new PresenceError(p.status === 'active' ? 'forbidden' : 'closed');
    const nextReview = addMonths(berlinDay(now), await reviewMonths(trx, p));
    await trx('presences')
      .where({ id: presenceId })
      .update({ last_confirmed_at: now, review_due: nextReview, review_overdue: false, updated_at: now });
    await recordHistory(trx, {
      at: now,
      actorUid: user.uid,
      actorName: user.name,
      action: 'presence.confirmed',
      entityType: 'presence',
      entityId: presenceId,
      presenceId,
      changes: { review_due: { before: p.review_due, after: nextReview } },
    });
  });
}

/** Closing: the presence leaves the overview but stays in the register as formerly official. */
export async function closePresence(
  db: Knex,
  user: SessionUser,
  presenceId: number,
  reason: string,
  now: Date,
): Promise<void> {
  await db.transaction(async (trx) => {
    const p = await trx('presences').where({ id: presenceId }).forUpdate().first();
    if (!p) throw new PresenceError('not_found');
    const access = await loadPresenceAccess(trx, user, p);
    if (!access.canClose) throw new PresenceError(p.status === 'active' ? 'forbidden' : 'closed');
    await trx('presences')
      .where({ id: presenceId })
      .update({ status: 'closed', closed_at: now, close_reason: reason, updated_at: now });
    await recordHistory(trx, {
      at: now,
      actorUid: user.uid,
      actorName: user.name,
      action: 'presence.closed',
      entityType: 'presence',
      entityId: presenceId,
      presenceId,
      comment: reason,
      changes: { status: { before: 'active', after: 'closed' } },
    });
  });
}

// mails are German (the outbox's default locale); running text: "10. Dezember 2026"
const germanDate = (day: string) => datesFor('de').dayText(day);

const recipientsOf = async (trx: Knex.Transaction, uids: string[]): Promise<Recipient[]> =>
  [...(await findPeople(trx, uids)).values()]
    .filter((p) => isDeliverableAddress(p.email))
    .map((p) => ({ uid: p.uid, email: p.email as string, name: p.name }));

/**
 * From 30 days before the review date the editors are reminded (once per review date);
 * after it the presence is marked overdue and communications are told (once).
 */
export async function runReviewReminders(
  db: Knex,
  now: Date,
  baseUrl: string,
): Promise<{ reminded: number; overdue: number }> {
  const today = berlinDay(now);
  const in30 = new Date(`${today}T00:00:00Z`);
  in30.setUTCDate(in30.getUTCDate() + 30);
  const limit = in30.toISOString().slice(0, 10);
  let reminded = 0;
  let overdue = 0;
  const due = await db('presences')
    .where({ status: 'active' })
    .whereNotNull('review_due')
    .where('review_due', '<=', limit)
    .select('id', 'name', 'slug', 'review_due', 'review_overdue');
  for (const p of due) {
    await db.transaction(async (trx) => {
      const editors: string[] = await trx('presence_editors').where({ presence_id: p.id }).pluck('uid');
      const url = `${baseUrl}/intern/angebote/${p.id}`;
      for (const to of await recipientsOf(trx, editors)) {
        await enqueue(
          trx,
          {
            template: 'review_due',
            to,
            presenceId: p.id,
            dedupeKey: `review_due:${p.id}:${p.review_due}:${to.uid}`,
            params: { presenceName: p.name, reviewDue: germanDate(p.review_due), url },
          },
          now,
        );
      }
      reminded++;
      if (p.review_due < today && !p.review_overdue) {
        await trx('presences').where({ id: p.id }).update({ review_overdue: true });
        // addressed to the role: delivery reads the members of the communications group then
        await enqueue(
          trx,
          {
            template: 'review_overdue',
            to: { role: 'communications' },
            presenceId: p.id,
            dedupeKey: `review_overdue:${p.id}:${p.review_due}:role:communications`,
            params: { presenceName: p.name, reviewDue: germanDate(p.review_due), url },
          },
          now,
        );
        await recordHistory(trx, {
          at: now,
          actorUid: null,
          actorName: null,
          action: 'presence.review_overdue',
          entityType: 'presence',
          entityId: p.id,
          presenceId: p.id,
        });
        overdue++;
      }
    });
  }
  return { reminded, overdue };
}

/**
 * Editors who left: every editor of an active presence is looked up in the directory. One
 * who is gone (or left the presence's unit tree is not checked: units change too often)
 * flags the presence and the unit head is asked to name a replacement.
 */
export async function runDirectoryCheck(
  db: Knex,
  directory: Directory,
  now: Date,
  baseUrl: string,
): Promise<{ flagged: number }> {
  const editors: Array<{ presence_id: number; uid: string }> = await db('presence_editors as e')
    .join('presences as p', 'p.id', 'e.presence_id')
    .where('p.status', 'active')
    .select('e.presence_id', 'e.uid');
  const missing = new Set<string>();
  const present = new Set<string>();
  for (const uid of new Set(editors.map((e) => e.uid))) {
    const person = await directory.findByUid(uid); // a directory outage throws: nobody is flagged by mistake
    (person ? present : missing).add(uid);
  }
  let flagged = 0;
  const byPresence = new Map<number, string[]>();
  for (const e of editors) byPresence.set(e.presence_id, [...(byPresence.get(e.presence_id) ?? []), e.uid]);
  for (const [presenceId, uids] of byPresence) {
    const gone = uids.filter((u) => missing.has(u));
    const valid = uids.filter((u) => present.has(u));
    if (gone.length === 0 && valid.length >= 2) continue;
    await db.transaction(async (trx) => {
      const p = await trx('presences as p')
        .join('org_units as u', 'u.id', 'p.org_unit_id')
        .where('p.id', presenceId)
        .first('p.id', 'p.name', 'p.editors_flagged', 'u.code');
      if (!p) return;
      for (const uid of gone)
        await trx('people').where({ uid }).whereNull('missing_since').update({ missing_since: now });
      if (p.editors_flagged) return;
      await trx('presences').where({ id: presenceId }).update({ editors_flagged: true });
      const heads = (await headsForUnit(trx, p.code)).map((h) => h.uid);
      for (const to of await recipientsOf(trx, heads)) {
        await enqueue(
          trx,
          {
            template: 'editor_missing',
            to,
            presenceId,
            dedupeKey: `editor_missing:${presenceId}:${gone.join(',')}:${to.uid}`,
            params: {
              presenceName: p.name,
              editors: gone.join(', ') || '–',
              url: `${baseUrl}/intern/angebote/${presenceId}`,
            },
          },
          now,
        );
      }
      await recordHistory(trx, {
        at: now,
        actorUid: null,
        actorName: null,
        action: 'presence.editors_flagged',
        entityType: 'presence',
        entityId: presenceId,
        presenceId,
        comment: gone.join(', '),
      });
      flagged++;
    });
  }
  return { flagged };
}

export function reviewJob(db: Knex, baseUrl: string, everyMs = 6 * 3600_000) {
  return { name: 'presence-review', everyMs, run: (now: Date) => runReviewReminders(db, now, baseUrl) };
}

export function directoryCheckJob(db: Knex, directory: Directory, baseUrl: string, everyMs = 24 * 3600_000) {
  return { name: 'directory-check', everyMs, run: (now: Date) => runDirectoryCheck(db, directory, now, baseUrl) };
}
