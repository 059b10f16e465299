import type { WorkflowEvent } from '../workflow/core';

/**
 * Every action the code writes into the history. recordHistory accepts nothing else, so an
 * unlisted action is a compile error; the message catalogue (src/audit/messages.ts) must
 * label every one in German and English, or that is a compile error too.
 */
export const HISTORY_ACTIONS = [
  // requests
  'request.created',
  'request.imported',
  'request.draft_saved',
  'request.draft_deleted',
  'request.editors_reminded',
  'request.changed',
  'request.editor_confirmed',
  // the approval workflow (one per workflow event, plus the deadline job)
  'workflow.submitted',
  'workflow.resubmitted',
  'workflow.step_opened',
  'workflow.step_skipped',
  'workflow.editor_confirmation_needed',
  'workflow.approved',
  'workflow.returned',
  'workflow.rejected',
  'workflow.withdrawn',
  'workflow.published',
  'workflow.reminder_sent',
  'workflow.escalated',
  // presences after publication
  'presence.changed',
  'presence.confirmed',
  'presence.closed',
  'presence.review_overdue',
  'presence.editors_flagged',
  // administration
  'org_unit.created',
  'org_unit.changed',
  'org_unit.moved',
  'org_unit.renamed',
  'org_unit.retired',
  'org_unit.reactivated',
  'org_unit.head_added',
  'org_unit.head_removed',
  'platform.enabled',
  'platform.disabled',
  'platform.rules_changed',
  'workflow_definition.uploaded',
  'import.presences',
  'substitution.created',
  'substitution.revoked',
  // reports of fake accounts (src/reports)
  'report_case.reported',
  'report_case.decided',
] as const;

export type HistoryAction = (typeof HISTORY_ACTIONS)[number];

/** What the history calls a workflow event: every event type must be a listed action. */
export type WorkflowHistoryAction = `workflow.${WorkflowEvent['type']}`;
// fails to compile when the workflow gains an event the list above does not name
const everyEventListed: WorkflowHistoryAction extends HistoryAction ? true : never = true;
void everyEventListed;

const known: ReadonlySet<string> = new Set(HISTORY_ACTIONS);

/** Rows in the database may hold actions an older version wrote and this one no longer lists. */
export const isHistoryAction = (action: string): action is HistoryAction => known.has(action);
