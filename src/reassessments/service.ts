import type { Knex } from 'knex';
import type { SessionUser } from '../directory/user';
import { recordHistory } from '../audit/history';
import { enqueue, isDeliverableAddress, type Recipient } from '../notifications/outbox';
import { findPeople } from '../people/store';
import { headsForUnit } from '../registry/org-units';
import {
  isReassessmentTaskPerson,
  mayAnswerReassessment,
  mayOpenReassessment,
  maySeeReassessments,
  presenceAccess,
  type PresenceAccess,
} from '../policy/access';
import { selfViewer } from '../policy/viewer';
import { berlinDay } from '../policy/actors';
import { closePresence, loadPresenceAccess, PresenceError } from '../presences/lifecycle';
import { setPlatformEnabled } from '../admin/platforms/service';
import { datesFor } from '../web/dates';
import type { FieldError } from '../web/forms';
import { REASSESSMENT_LIMITS, type OpenInput } from './schemas';
import * as store from './store';

/** not_found: no such re-assessment or task (or not to be seen); forbidden: seen, not allowed; answered/closed: wrong state. */
export class ReassessmentError extends Error {
  constructor(public readonly code: 'not_found' | 'forbidden' | 'answered' | 'closed') {
    super(code);
    this.name = 'ReassessmentError';
  }
}

// mails are German (the outbox's default locale); running text: "10. Dezember 2026"
const germanDay = (day: string) => datesFor('de').dayText(day);

const addDays = (day: string, n: number) => {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
};
const daysBetween = (from: string, to: string) =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

/**
 * The day the open tasks are reminded: a week before the deadline, or halfway for a shorter
 * period (never before the day after opening, at the latest on the deadline itself).
 */
export function reminderDay(openedDay: string, deadline: string): string {
  const period = daysBetween(openedDay, deadline);
  return addDays(deadline, -Math.max(0, Math.min(7, Math.floor(period / 2))));
}

/** The people a presence's task goes to: its editors and the heads of its unit, each once, with a deliverable address. */
export async function taskRecipients(
  trx: Knex.Transaction,
  presence: { id: number; unit_code: string },
): Promise<Recipient[]> {
  const editors: string[] = await trx('presence_editors').where({ presence_id: presence.id }).pluck('uid');
  const heads = (await headsForUnit(trx, presence.unit_code)).map((h) => h.uid);
  return [...(await findPeople(trx, [...new Set([...editors, ...heads])])).values()]
    .filter((p) => isDeliverableAddress(p.email))
    .map((p) => ({ uid: p.uid, email: p.email as string, name: p.name }));
}

const isUniqueViolation = (err: unknown) => (err as { code?: string } | null)?.code === '23505';

export type OpenResult = { ok: true; id: number } | { ok: false; errors: FieldError[] };

export interface PresenceTaskNote extends store.OpenTask {
  mayAnswer: boolean;
}

/**
 * Platform re-assessments (issue 13): open one, answer a presence's task (confirm or close),
 * the progress. Every write is one transaction with its history entries and mails.
 */
export function createReassessmentService(deps: { db: Knex; clock: () => Date; baseUrl: string }) {
  const { db, clock, baseUrl } = deps;
  const taskUrl = (id: number, presenceId: number) => `${baseUrl}/intern/neubewertungen/${id}/angebote/${presenceId}`;

  async function requireSeeing(user: SessionUser) {
    const viewer = await selfViewer(db, user);
    if (!maySeeReassessments(viewer)) throw new ReassessmentError('forbidden');
    return viewer;
  }

  /** The task and what this person may do with it: 404 for a presence they may not see, 403 when they may not answer. */
  async function loadTask(user: SessionUser, id: number, presenceId: number, trx: Knex | Knex.Transaction = db) {
    const reassessment = await store.getReassessment(trx, id);
    const task = reassessment && (await store.getTask(trx, id, presenceId, { forUpdate: trx !== db }));
    if (!reassessment || !task) throw new ReassessmentError('not_found');
    const presence = await trx('presences')
      .where({ id: presenceId })
      .first<{ id: number; org_unit_id: number; status: string }>('id', 'org_unit_id', 'status');
    const access: PresenceAccess = await loadPresenceAccess(trx, user, presence);
    if (!access.canSee) throw new ReassessmentError('not_found');
    const viewer = await selfViewer(trx, user);
    const subject = {
      status: presence.status,
      unitCode: task.unit_code,
      editorUids: await trx('presence_editors').where({ presence_id: presenceId }).pluck('uid'),
    };
    // the task is for the presence's editors and unit heads (and who answered may come back to see it)
    if (!isReassessmentTaskPerson(viewer, subject) && task.answered_by_uid !== user.uid)
      throw new ReassessmentError('forbidden');
    const mayAnswer = mayAnswerReassessment(viewer, subject);
    return { reassessment, task, access, mayAnswer, state: store.stateOf(task) };
  }

  const service = {
    async overview(user: SessionUser) {
      const viewer = await requireSeeing(user);
      return {
        reassessments: await store.listReassessments(db),
        platforms: await store.platformsForForm(db),
        mayOpen: mayOpenReassessment(viewer),
      };
    },

    async progress(user: SessionUser, id: number) {
      await requireSeeing(user);
      const reassessment = await store.getReassessment(db, id);
      if (!reassessment) throw new ReassessmentError('not_found');
      const tasks = (await store.tasksOf(db, id)).map((t) => ({ ...t, shownState: store.stateOf(t) }));
      const progress: store.Progress = { confirmed: 0, closed: 0, open: 0 };
      for (const t of tasks) progress[t.shownState]++;
      return { reassessment, tasks, progress, today: berlinDay(clock()) };
    },

    /** What opening would do (for its confirmation page), or why it cannot be opened. */
    async check(
      user: SessionUser,
      input: OpenInput,
    ): Promise<
      | { ok: true; platform: { key: string; name: string; enabled: boolean }; presences: number }
      | { ok: false; errors: FieldError[] }
    > {
      const viewer = await selfViewer(db, user);
      if (!mayOpenReassessment(viewer)) throw new ReassessmentError('forbidden');
      const today = berlinDay(clock());
      const errors: FieldError[] = [];
      const platform = await db('platforms')
        .where({ key: input.plattform })
        .first<{ key: string; name: string; enabled: boolean } | undefined>('key', 'name', 'enabled');
      if (!platform) errors.push({ field: 'plattform', message: 'reassessments.error.platform' });
      else if (await store.openReassessmentOf(db, platform.key))
        errors.push({ field: 'plattform', message: 'reassessments.error.alreadyOpen' });
      if (input.frist <= today) errors.push({ field: 'frist', message: 'reassessments.error.deadlinePast' });
      else if (input.frist > addDays(today, REASSESSMENT_LIMITS.maxDays))
        errors.push({ field: 'frist', message: 'reassessments.error.deadlineFar' });
      if (errors.length || !platform) return { ok: false, errors };
      return { ok: true, platform, presences: (await store.activePresencesOn(db, platform.key)).length };
    },

    /** Opens a re-assessment: tasks for every active presence, mails to their editors and heads, optionally the platform closed to new requests. */
    async open(user: SessionUser, input: OpenInput): Promise<OpenResult> {
      const checked = await service.check(user, input);
      if (!checked.ok) return checked;
      const { platform } = checked;
      const now = clock();
      try {
        const id = await db.transaction(async (trx) => {
          const [row] = await trx('reassessments')
            .insert({
              platform_key: platform.key,
              reason: input.grund,
              deadline: input.frist,
              status: 'open',
              platform_closed: input.sperren,
              opened_by_uid: user.uid,
              opened_by_name: user.name,
              opened_at: now,
            })
            .returning<Array<{ id: number }>>('id');
          const id = (row as { id: number }).id;
          await recordHistory(trx, {
            at: now,
            actorUid: user.uid,
            actorName: user.name,
            action: 'reassessment.opened',
            entityType: 'reassessment',
            entityId: id,
            comment: input.grund,
            changes: {
              platform: { before: null, after: platform.key },
              deadline: { before: null, after: input.frist },
            },
          });
          const presences = await store.activePresencesOn(trx, platform.key);
          if (presences.length)
            await trx('reassessment_tasks').insert(
              presences.map((p) => ({ reassessment_id: id, presence_id: p.id, state: 'open' })),
            );
          for (const p of presences) {
            await recordHistory(trx, {
              at: now,
              actorUid: user.uid,
              actorName: user.name,
              action: 'reassessment.task_opened',
              entityType: 'reassessment',
              entityId: id,
              presenceId: p.id,
              comment: input.grund,
            });
            for (const to of await taskRecipients(trx, p)) {
              await enqueue(
                trx,
                {
                  template: 'reassessment_task',
                  to,
                  presenceId: p.id,
                  dedupeKey: `reassessment_task:${id}:${p.id}:${to.uid}`,
                  params: {
                    presenceName: p.name,
                    platformName: platform.name,
                    reason: input.grund,
                    deadline: germanDay(input.frist),
                    url: taskUrl(id, p.id),
                  },
                },
                now,
              );
            }
          }
          if (input.sperren)
            await setPlatformEnabled(trx, user, platform.key, false, now, `Neubewertung Nr. ${id}: ${input.grund}`);
          return id;
        });
        return { ok: true, id };
      } catch (err) {
        // two people opened one at the same moment: the partial unique index kept it to one
        if (isUniqueViolation(err))
          return { ok: false, errors: [{ field: 'plattform', message: 'reassessments.error.alreadyOpen' }] };
        throw err;
      }
    },

    task: (user: SessionUser, id: number, presenceId: number) => loadTask(user, id, presenceId),

    /** The presence is still needed and its privacy notice is updated. */
    async confirm(user: SessionUser, id: number, presenceId: number, comment: string): Promise<void> {
      const now = clock();
      await db.transaction(async (trx) => {
        await trx('presences').where({ id: presenceId }).forUpdate().first('id'); // same lock order as closing
        const { task, mayAnswer, state } = await loadTask(user, id, presenceId, trx);
        if (state === 'closed' && task.presence_status === 'closed') throw new ReassessmentError('closed');
        if (state !== 'open') throw new ReassessmentError('answered');
        if (!mayAnswer) throw new ReassessmentError('forbidden');
        await store.answerTask(trx, id, presenceId, {
          state: 'confirmed',
          uid: user.uid,
          name: user.name,
          at: now,
          comment: comment || null,
        });
        await recordHistory(trx, {
          at: now,
          actorUid: user.uid,
          actorName: user.name,
          action: 'reassessment.confirmed',
          entityType: 'reassessment',
          entityId: id,
          presenceId,
          comment: comment || null,
        });
      });
    },

    /** May this person close the presence from the task (the closing rule of the presence itself)? */
    mayClose: (access: PresenceAccess) => access.canClose,

    /** Closes the presence through the presence's own closing path and answers the task, in one transaction. */
    async close(user: SessionUser, id: number, presenceId: number, reason: string): Promise<void> {
      const now = clock();
      await db.transaction(async (trx) => {
        await trx('presences').where({ id: presenceId }).forUpdate().first('id');
        const { access, state } = await loadTask(user, id, presenceId, trx);
        if (state !== 'open') throw new ReassessmentError(state === 'closed' ? 'closed' : 'answered');
        if (!access.canClose) throw new ReassessmentError('forbidden');
        try {
          await closePresence(trx, user, presenceId, reason, now);
        } catch (err) {
          if (err instanceof PresenceError) throw new ReassessmentError(err.code === 'closed' ? 'closed' : err.code);
          throw err;
        }
        await store.answerTask(trx, id, presenceId, {
          state: 'closed',
          uid: user.uid,
          name: user.name,
          at: now,
          comment: reason,
        });
        await recordHistory(trx, {
          at: now,
          actorUid: user.uid,
          actorName: user.name,
          action: 'reassessment.presence_closed',
          entityType: 'reassessment',
          entityId: id,
          presenceId,
          comment: reason,
        });
      });
    },

    /** "Meine Aufgaben": the open tasks this person may answer. */
    async openTasksFor(user: SessionUser): Promise<store.OpenTask[]> {
      return store.openTasksFor(db, await selfViewer(db, user));
    },

    /** The presence page: its open tasks, for everyone who sees the page; who may answer gets the link. */
    async notesForPresence(
      user: SessionUser,
      presence: { id: number; status: string; unit_code: string },
    ): Promise<PresenceTaskNote[]> {
      const open: store.OpenTask[] = await db('reassessment_tasks as t')
        .join('reassessments as r', 'r.id', 't.reassessment_id')
        .join('platforms as pl', 'pl.key', 'r.platform_key')
        .where({ 't.presence_id': presence.id, 't.state': 'open' })
        .orderBy('r.deadline')
        .select('t.reassessment_id', 'pl.name as platform_name', 'r.reason', 'r.deadline')
        .then((rows: Array<Record<string, unknown>>) =>
          rows.map((r) => ({
            reassessmentId: r.reassessment_id as number,
            presenceId: presence.id,
            presenceName: '',
            platformName: r.platform_name as string,
            reason: r.reason as string,
            deadline: (r.deadline instanceof Date ? r.deadline.toISOString() : String(r.deadline)).slice(0, 10),
          })),
        );
      if (open.length === 0 || presence.status !== 'active') return [];
      const viewer = await selfViewer(db, user);
      const editorUids: string[] = await db('presence_editors').where({ presence_id: presence.id }).pluck('uid');
      const subject = { status: presence.status, unitCode: presence.unit_code, editorUids };
      if (!presenceAccess(viewer, subject).canSee) return [];
      const mayAnswer = mayAnswerReassessment(viewer, subject);
      return open.map((t) => ({ ...t, mayAnswer }));
    },
  };
  return service;
}

export type ReassessmentService = ReturnType<typeof createReassessmentService>;
