import type { Knex } from 'knex';
import { recordHistory } from '../audit/history';
import { enqueue } from '../notifications/outbox';
import { berlinDay } from '../policy/actors';
import { datesFor } from '../web/dates';
import { reminderDay, taskRecipients } from './service';
import * as store from './store';

// mails are German (the outbox's default locale); running text: "10. Dezember 2026"
const germanDay = (day: string) => datesFor('de').dayText(day);

/** The roles the report at the deadline goes to. */
const REPORT_ROLES = ['communications', 'data_protection'] as const;

/**
 * The deadlines of the platform re-assessments, as the other deadlines of the portal: from the
 * reminder day (a week before the deadline, see reminderDay) the open tasks' editors and unit
 * heads are reminded once; after the deadline the presences nobody answered for are reported
 * to communications and data protection once (role mails, expanded at delivery), and the
 * re-assessment is marked reported. Rows are locked and every mail has a dedupe key, so two
 * instances that both run the job (the scheduler's lease already prevents it) send nothing twice.
 */
export async function runReassessmentDeadlines(
  db: Knex,
  now: Date,
  baseUrl: string,
): Promise<{ reminded: number; reported: number }> {
  const today = berlinDay(now);
  let reminded = 0;
  let reported = 0;
  for (const r of await store.openReassessments(db)) {
    const taskUrl = (presenceId: number) => `${baseUrl}/intern/neubewertungen/${r.id}/angebote/${presenceId}`;
    if (today >= reminderDay(berlinDay(r.opened_at), r.deadline) && today <= r.deadline) {
      const due = (await store.tasksOf(db, r.id)).filter(
        (t) => t.state === 'open' && t.presence_status === 'active' && t.reminded_on === null,
      );
      for (const t of due) {
        await db.transaction(async (trx) => {
          const task = await store.getTask(trx, r.id, t.presence_id, { forUpdate: true });
          if (!task || task.state !== 'open' || task.presence_status !== 'active' || task.reminded_on !== null) return;
          for (const to of await taskRecipients(trx, { id: task.presence_id, unit_code: task.unit_code })) {
            await enqueue(
              trx,
              {
                template: 'reassessment_reminder',
                to,
                presenceId: task.presence_id,
                dedupeKey: `reassessment_reminder:${r.id}:${task.presence_id}:${to.uid}`,
                params: {
                  presenceName: task.presence_name,
                  platformName: r.platform_name,
                  deadline: germanDay(r.deadline),
                  url: taskUrl(task.presence_id),
                },
              },
              now,
            );
          }
          await trx('reassessment_tasks')
            .where({ reassessment_id: r.id, presence_id: task.presence_id })
            .update({ reminded_on: today });
          await recordHistory(trx, {
            at: now,
            actorUid: null,
            actorName: null,
            action: 'reassessment.reminder_sent',
            entityType: 'reassessment',
            entityId: r.id,
            presenceId: task.presence_id,
          });
          reminded++;
        });
      }
    }
    if (today > r.deadline) {
      await db.transaction(async (trx) => {
        const row = await store.getReassessment(trx, r.id, { forUpdate: true });
        if (!row || row.status !== 'open') return;
        const unanswered = (await store.tasksOf(trx, r.id)).filter(
          (t) => t.state === 'open' && t.presence_status === 'active',
        );
        for (const t of unanswered) {
          await trx('reassessment_tasks')
            .where({ reassessment_id: r.id, presence_id: t.presence_id })
            .update({ unanswered_at_deadline: true });
          await recordHistory(trx, {
            at: now,
            actorUid: null,
            actorName: null,
            action: 'reassessment.unanswered',
            entityType: 'reassessment',
            entityId: r.id,
            presenceId: t.presence_id,
          });
        }
        if (unanswered.length > 0) {
          const list = unanswered
            .map((t) => `- ${t.presence_name} (${t.unit_name}): ${taskUrl(t.presence_id)}`)
            .join('\n');
          for (const role of REPORT_ROLES) {
            await enqueue(
              trx,
              {
                template: 'reassessment_report',
                to: { role },
                dedupeKey: `reassessment_report:${r.id}:role:${role}`,
                params: {
                  platformName: r.platform_name,
                  deadline: germanDay(r.deadline),
                  count: String(unanswered.length),
                  presences: list,
                  url: `${baseUrl}/intern/neubewertungen/${r.id}`,
                },
              },
              now,
            );
          }
        }
        await trx('reassessments').where({ id: r.id }).update({ status: 'reported', reported_at: now });
        await recordHistory(trx, {
          at: now,
          actorUid: null,
          actorName: null,
          action: 'reassessment.reported',
          entityType: 'reassessment',
          entityId: r.id,
          changes: { unanswered: { before: null, after: unanswered.length } },
        });
        reported++;
      });
    }
  }
  return { reminded, reported };
}

export function reassessmentJob(db: Knex, baseUrl: string, everyMs = 3600_000) {
  return { name: 'platform-reassessments', everyMs, run: (now: Date) => runReassessmentDeadlines(db, now, baseUrl) };
}
