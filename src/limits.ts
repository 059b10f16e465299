/**
 * Every length limit of a form field, in one place. A field stored in a limited column has
 * that column's length here (migrations/20261126_0002_register_and_workflow.ts, …_0005_people.ts);
 * COLUMN_LIMITS names each such column and test/db/limits.test.ts compares it with the
 * database, so a limit and its column cannot drift apart again (the request form allowed 201
 * characters for a 200-character column: a 500 that lost the whole form). The other limits
 * are the product's own for text stored in `text` or JSON columns.
 *
 * Forms keep what was typed, however long: an over-long entry is refused with a message
 * next to the field and comes back in full, it is never cut silently.
 */
export const LIMITS = {
  /** requests.title, presences.name, org_units.name, org_unit_heads.name */
  name: 200,
  /** presences.url and hannover_de_url, org_units.hannover_de_url; URL fields of the request form */
  url: 500,
  /** presences.account_id (the canonical account id derived from the URL) */
  accountId: 300,
  /** one-line fields of the request form (stored in the request's JSON) */
  shortText: 200,
  /** paragraphs of the request form (JSON), presences.description (text) */
  longText: 4000,
  /** directory user ids: people.uid, request_editors.uid, presence_editors.uid, substitutions.*_uid, org_unit_heads.uid */
  uid: 100,
  /** org_units.code */
  unitCode: 40,
  /** org_units.short_name */
  unitShortName: 80,
  /** a decision's comment (decisions.comment, text) and a withdrawal's reason (history.comment, text) */
  comment: 4000,
  /** presences.close_reason (text) */
  closeReason: 2000,
  /** the reason an administrator gives for retiring a unit (history.comment, text) */
  retireReason: 1000,
  /** workflow_definitions.key (uploaded workflow definitions) */
  workflowKey: 60,
  /** decisions.step_id (the step ids of a workflow definition) */
  stepId: 60,
  /** a directory search */
  search: 100,
  /** history.action (the administration's history search filters by a prefix of it) */
  historyAction: 60,
  /** a platform's host list as typed, one host a line (platforms.rules, jsonb: at most 100 hosts of 253 characters) */
  platformHosts: 25_400,
  /** a platform's other canonicalisation rules as typed JSON (platforms.rules, jsonb) */
  platformRules: 20_000,
  /** an uploaded workflow definition as typed JSON or YAML (workflow_definitions.definition, jsonb; the directive's is 1,444) */
  workflowDefinition: 50_000,
  /** a checklist item's id in a workflow step (recorded in decisions.checklist, JSON) */
  checklistId: 40,
  /** a checklist item's text, per language (workflow_definitions.definition, JSON) */
  checklistText: 300,
  /** checklist items of one workflow step */
  checklistItems: 20,
} as const;

/** Each limited column behind a form field and the limit that guards it. */
export const COLUMN_LIMITS: ReadonlyArray<{ table: string; column: string; limit: number }> = [
  { table: 'requests', column: 'title', limit: LIMITS.name },
  { table: 'presences', column: 'name', limit: LIMITS.name },
  { table: 'presences', column: 'url', limit: LIMITS.url },
  { table: 'presences', column: 'hannover_de_url', limit: LIMITS.url },
  { table: 'presences', column: 'account_id', limit: LIMITS.accountId },
  { table: 'org_units', column: 'name', limit: LIMITS.name },
  { table: 'org_units', column: 'code', limit: LIMITS.unitCode },
  { table: 'org_units', column: 'short_name', limit: LIMITS.unitShortName },
  { table: 'org_units', column: 'hannover_de_url', limit: LIMITS.url },
  { table: 'org_unit_heads', column: 'uid', limit: LIMITS.uid },
  { table: 'org_unit_heads', column: 'name', limit: LIMITS.name },
  { table: 'request_editors', column: 'uid', limit: LIMITS.uid },
  { table: 'presence_editors', column: 'uid', limit: LIMITS.uid },
  { table: 'substitutions', column: 'principal_uid', limit: LIMITS.uid },
  { table: 'substitutions', column: 'deputy_uid', limit: LIMITS.uid },
  { table: 'people', column: 'uid', limit: LIMITS.uid },
  { table: 'workflow_definitions', column: 'key', limit: LIMITS.workflowKey },
  { table: 'decisions', column: 'step_id', limit: LIMITS.stepId },
  { table: 'history', column: 'action', limit: LIMITS.historyAction },
];

/**
 * 'YYYY-MM-DD' that is a real calendar date the database can store: the date read back
 * gives the same text (2026-02-31 does not), and the year is at least 1 (0000-01-01 is no
 * date in PostgreSQL).
 */
export function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || value.startsWith('0000')) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/**
 * A day typed as the date hints ask (TT.MM.JJJJ: '1.5.2019' or '01.05.2019') as '2019-05-01',
 * the date field's own format; anything else unchanged (isCalendarDate judges it). A browser
 * without a date picker sends what the person typed.
 */
export function isoDay(v: string): string {
  const m = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(v);
  return m ? `${m[3]}-${m[2]!.padStart(2, '0')}-${m[1]!.padStart(2, '0')}` : v;
}
