import type { Knex } from 'knex';
import type { SessionUser } from '../directory/user';
import { berlinDay } from '../policy/actors';
import { confirmedCurrent, currentTexts, type GuidelineText, type GuidelineKey } from '../guidelines/store';
import * as store from '../requests/store';
import { openTasksFor, type OpenTask } from '../reassessments/store';
import { selfViewer } from '../policy/viewer';
import { storedSections } from '../requests/review';

export interface ReturnedRequest {
  id: number;
  title: string;
  returnedBy: string;
  onBehalfOf: string | null;
  returnedAt: Date;
  stepName: { de: string; en: string };
  comment: string;
  /** Sections the return points to (#15). */
  sections: number[];
}

export interface PresenceDue {
  id: number;
  name: string;
  reviewDue: string;
  overdue: boolean;
}

export interface ToDo {
  returned: ReturnedRequest[];
  /** Requests that wait for this person's confirmation of the current texts (empty: nothing to confirm). */
  toConfirm: Array<{ id: number; title: string }>;
  texts: Record<GuidelineKey, GuidelineText>;
  presencesDue: PresenceDue[];
  /** Platform re-assessments waiting for this person's answer (as editor or unit head). */
  reassessments: Array<OpenTask & { overdue: boolean }>;
}

/**
 * What this person must do now, apart from decisions: requests returned to them, the
 * confirmation of the guidelines their requests wait for, presences due for the yearly
 * confirmation (from 30 days before the review date, as the reminder mails), presences whose
 * platform is being re-assessed.
 */
export async function toDoFor(db: Knex, me: SessionUser, now: Date): Promise<ToDo> {
  const returnedRows = await db('requests as r')
    .join('workflow_instances as w', 'w.request_id', 'r.id')
    .where({ 'r.author_uid': me.uid, 'r.status': 'returned' })
    .orderBy('r.updated_at', 'desc')
    .select('r.id', 'r.title', 'w.definition_id');
  const returned: ReturnedRequest[] = [];
  for (const r of returnedRows) {
    const d = await db('decisions').where({ request_id: r.id, outcome: 'returned' }).orderBy('id', 'desc').first();
    if (!d) continue;
    const definition = await store.getDefinition(db, r.definition_id);
    const step = definition.steps.find((s) => s.id === d.step_id);
    returned.push({
      id: r.id,
      title: r.title,
      returnedBy: d.actor_name,
      onBehalfOf: d.on_behalf_of,
      returnedAt: d.decided_at,
      stepName: step?.name ?? { de: d.step_id, en: d.step_id },
      comment: d.comment ?? '',
      sections: storedSections(d.sections),
    });
  }

  const texts = await currentTexts(db);
  const confirmed = await confirmedCurrent(db, [me.uid]);
  const toConfirm = confirmed.has(me.uid)
    ? []
    : await db('request_editors as e')
        .join('requests as r', 'r.id', 'e.request_id')
        .where('e.uid', me.uid)
        .whereIn('r.status', ['in_review', 'returned'])
        .orderBy('r.id')
        .select('r.id', 'r.title');

  const limit = new Date(`${berlinDay(now)}T00:00:00Z`);
  limit.setUTCDate(limit.getUTCDate() + 30);
  const presencesDue = (
    await db('presences as p')
      .join('presence_editors as e', 'e.presence_id', 'p.id')
      .where({ 'e.uid': me.uid, 'p.status': 'active' })
      .whereNotNull('p.review_due')
      .where('p.review_due', '<=', limit.toISOString().slice(0, 10))
      .orderBy('p.review_due')
      .select('p.id', 'p.name', 'p.review_due', 'p.review_overdue')
  ).map((p: Record<string, unknown>) => ({
    id: p.id as number,
    name: p.name as string,
    reviewDue: String(p.review_due).slice(0, 10),
    overdue: Boolean(p.review_overdue) || String(p.review_due).slice(0, 10) < berlinDay(now),
  }));
  const today = berlinDay(now);
  const reassessmentTasks = (await openTasksFor(db, await selfViewer(db, me))).map((t) => ({
    ...t,
    overdue: t.deadline < today,
  }));
  return { returned, toConfirm, texts, presencesDue, reassessments: reassessmentTasks };
}
