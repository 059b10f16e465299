import type { Knex } from 'knex';
import { dueDeadlines, markDeadline, type Candidates } from '../workflow/core';
import * as store from '../requests/store';
import { recordHistory } from '../audit/history';
import { enqueue, isDeliverableAddress, type Recipient, type RoleAddress } from '../notifications/outbox';
import { findPeople } from '../people/store';
import { headsForUnit } from '../registry/org-units';
import { datesFor } from '../web/dates';

/** The unit's heads by name; a role as one entry that delivery expands from the directory group. */
async function recipients(trx: Knex.Transaction, c: Candidates): Promise<Array<Recipient | RoleAddress>> {
  if (c.kind === 'role') return [{ role: c.role }];
  const people = [
    ...(
      await findPeople(
        trx,
        (await headsForUnit(trx, c.unit)).map((h) => h.uid),
      )
    ).values(),
  ];
  return people
    .filter((p) => isDeliverableAddress(p.email))
    .map((p) => ({ uid: p.uid, email: p.email as string, name: p.name }));
}

// mails are German (the outbox's default locale); running text: "1. Dezember 2026, 14:05 Uhr"
const fmt = (iso: string | undefined) => datesFor('de').momentText(iso);

/**
 * Reminders for steps waiting longer than their deadline, and escalation to the step's
 * fallback group after the second deadline. Each reminder goes out once: the instance row
 * is locked, the core marks the step as reminded, and the mail's dedupe key repeats nothing
 * even if two schedulers raced past the lease.
 */
export async function runDeadlines(
  db: Knex,
  now: Date,
  baseUrl: string,
): Promise<{ reminders: number; escalations: number }> {
  let reminders = 0;
  let escalations = 0;
  for (const { request: r, definition: def } of await store.requestsInReviewWithDefinitions(db)) {
    if (dueDeadlines(def, r.instance.state, now).length === 0) continue;
    await db.transaction(async (trx) => {
      await store.getRequest(trx, r.id, { forUpdate: true }); // same lock order as decisions
      const row = await store.getInstance(trx, r.id, { forUpdate: true });
      if (!row || row.status !== 'in_review') return;
      let state = row.state;
      for (const due of dueDeadlines(def, state, now)) {
        state = markDeadline(state, due.stepId, due.kind, now);
        const step = def.steps.find((s) => s.id === due.stepId);
        const to: Candidates =
          due.kind === 'escalation' && due.fallbackRole ? { kind: 'role', role: due.fallbackRole } : due.candidates;
        for (const recipient of await recipients(trx, to)) {
          await enqueue(
            trx,
            {
              template: due.kind,
              to: recipient,
              requestId: r.id,
              dedupeKey: `${due.kind}:${r.id}:${due.stepId}:${due.openedAt}:${'role' in recipient ? `role:${recipient.role}` : (recipient.uid ?? recipient.email)}`,
              params: {
                requestTitle: r.title || `Antrag Nr. ${r.id}`,
                stepName: step?.name.de ?? due.stepId,
                waitingSince: fmt(due.openedAt),
                url: `${baseUrl}/intern/antraege/${r.id}`,
              },
            },
            now,
          );
        }
        await recordHistory(trx, {
          at: now,
          actorUid: null,
          actorName: null,
          action: due.kind === 'reminder' ? 'workflow.reminder_sent' : 'workflow.escalated',
          entityType: 'request',
          entityId: r.id,
          requestId: r.id,
          changes: { step: { before: null, after: due.stepId } },
        });
        if (due.kind === 'reminder') reminders++;
        else escalations++;
      }
      await store.saveInstance(trx, row, state, now);
    });
  }
  return { reminders, escalations };
}

export function deadlineJob(db: Knex, baseUrl: string, everyMs = 15 * 60_000) {
  return { name: 'workflow-deadlines', everyMs, run: (now: Date) => runDeadlines(db, now, baseUrl) };
}
