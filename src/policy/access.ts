import type { Knex } from 'knex';

/**
 * Who may see and do what with requests and presences: every access rule of the staff area,
 * each written once. A rule that also filters lists in SQL has its query filter right next to
 * its predicate (test/policy/access.test.ts proves on a real database that both agree).
 * Routes and services ask this module; none decides access on its own. Deciding a workflow
 * step (who is the step's decider, the author alone withdraws) stays in the pure workflow core.
 *
 * Answers: someone who may not see a thing gets the page of a missing id (404); someone who
 * may see it but not act gets 403 ('forbidden'); a thing in the wrong state gets 409.
 */

/** The central offices: they see every request that left its draft, and every presence. */
export const CENTRAL_ROLES = ['communications', 'data_protection', 'hannoverde', 'staff_council', 'admin'] as const;

/** The person asking, as the rules see them. */
export interface Viewer {
  uid: string;
  /** Directory roles (for requests: united with those of the people they deputise for today). */
  roles: readonly string[];
  /** Unit codes they head or deputy-head (see unitsHeadedBy; for requests: with their principals'). */
  headOf: readonly string[];
}

export const isCentral = (viewer: Pick<Viewer, 'roles'>): boolean =>
  viewer.roles.some((r) => (CENTRAL_ROLES as readonly string[]).includes(r));

/** A refusal, in the codes RequestError and PresenceError know. */
export type Refusal = 'forbidden' | 'not_editable';

// ---------------------------------------------------------------- requests

export interface RequestSubject {
  author_uid: string;
  status: string;
  /** The unit code the form names (request.data.orgUnit). */
  unitCode: string | undefined;
  editorUids: readonly string[];
}

/** May see a request: author and named editors always; a draft is its author's (and editors') alone; then the central offices and the heads of its unit. */
export function maySeeRequest(viewer: Viewer, request: RequestSubject): boolean {
  if (request.author_uid === viewer.uid || request.editorUids.includes(viewer.uid)) return true;
  if (request.status === 'draft') return false;
  if (isCentral(viewer)) return true;
  return request.unitCode !== undefined && viewer.headOf.includes(request.unitCode);
}

/**
 * maySeeRequest as a filter on `requests as <alias>` (editors from request_editors, unit from
 * the form's orgUnit, as the predicate reads them).
 */
export function whereRequestVisible(q: Knex.QueryBuilder, db: Knex, viewer: Viewer, alias = 'r'): void {
  q.where((w) => {
    w.where(`${alias}.author_uid`, viewer.uid)
      .orWhereIn(`${alias}.id`, db('request_editors').where({ uid: viewer.uid }).select('request_id'))
      .orWhere((notDraft) => {
        notDraft.whereNot(`${alias}.status`, 'draft');
        if (isCentral(viewer)) return;
        if (viewer.headOf.length === 0) notDraft.whereRaw('false');
        else
          notDraft.whereRaw(`(${alias}.data->>'orgUnit') in (${viewer.headOf.map(() => '?').join(', ')})`, [
            ...viewer.headOf,
          ]);
      });
  });
}

// ---------------------------------------------------------------- deciding (task lists)

/** A person as the workflow core's decidableSteps sees them (src/workflow/core.ts Person / Actor). */
export interface DeciderPerson {
  uid: string;
  roles: readonly string[];
  headOfUnits: readonly string[];
}

/**
 * The open steps `actor` may decide now, as a filter on `request_waits as <waits>` joined with
 * `workflow_instances as <instance>`: the SQL twin of decidableSteps in src/workflow/core.ts
 * (the predicate; test/policy/decidable.test.ts proves on a real database that both agree).
 * A step is decidable when the actor is not the author or an editor and decided no other step
 * of the request, and either is a candidate (the step's role, or head of the request's unit)
 * or deputises today for a candidate bound by the same guards.
 */
export function whereStepDecidable(
  q: Knex.QueryBuilder,
  actor: DeciderPerson & { actingFor: readonly DeciderPerson[] },
  waits = 'w',
  instance = 'i',
): void {
  const list = (values: readonly string[]) => values.map(() => '?').join(', ');
  const candidate = (p: DeciderPerson): [string, string[]] => {
    const parts: string[] = [];
    const bindings: string[] = [];
    if (p.roles.length > 0) {
      parts.push(`(${waits}.decider_kind = 'role' and ${waits}.decider_role in (${list(p.roles)}))`);
      bindings.push(...p.roles);
    }
    if (p.headOfUnits.length > 0) {
      parts.push(`(${waits}.decider_kind = 'unit_head' and ${waits}.unit_code in (${list(p.headOfUnits)}))`);
      bindings.push(...p.headOfUnits);
    }
    return [parts.length > 0 ? `(${parts.join(' or ')})` : 'false', bindings];
  };
  const guard = (uid: string): [string, string[]] => [
    `((${instance}.state->>'authorUid') <> ? and not ((${instance}.state->'editorUids') @> jsonb_build_array(?::text))` +
      ` and not exists (select 1 from jsonb_each(${instance}.state->'steps') as other(step_id, status)` +
      ` where other.step_id <> ${waits}.step_id and (other.status->>'decidedBy' = ? or other.status->>'onBehalfOf' = ?)))`,
    [uid, uid, uid, uid],
  ];
  const [selfGuard, selfGuardBindings] = guard(actor.uid);
  const [selfCandidate, selfCandidateBindings] = candidate(actor);
  const viaPrincipals = actor.actingFor.map((p) => {
    const [c, cb] = candidate(p);
    const [g, gb] = guard(p.uid);
    return [`(${c} and ${g})`, [...cb, ...gb]] as const;
  });
  q.whereRaw(`(${selfGuard} and (${[selfCandidate, ...viaPrincipals.map(([sql]) => sql)].join(' or ')}))`, [
    ...selfGuardBindings,
    ...selfCandidateBindings,
    ...viaPrincipals.flatMap(([, b]) => b),
  ]);
}

/** Editing the form (save, submit, resubmit): its author, while it is a draft or returned. */
export function requestEditRefusal(
  viewer: Pick<Viewer, 'uid'>,
  request: { author_uid: string; status: string },
): Refusal | undefined {
  if (request.author_uid !== viewer.uid) return 'forbidden';
  if (request.status !== 'draft' && request.status !== 'returned') return 'not_editable';
  return undefined;
}

/** A draft that never went out: its author may delete it. */
export const isNeverSubmittedDraft = (request: { status: string; version: number; submitted_at: unknown }): boolean =>
  request.status === 'draft' && request.version === 0 && request.submitted_at === null;

/** Deleting a draft: its author, and only one that was never submitted. */
export function draftDeleteRefusal(
  viewer: Pick<Viewer, 'uid'>,
  request: { author_uid: string; status: string; version: number; submitted_at: unknown },
): Refusal | undefined {
  if (request.author_uid !== viewer.uid) return 'forbidden';
  if (!isNeverSubmittedDraft(request)) return 'not_editable';
  return undefined;
}

/** Confirming the guidelines for a request: the people it names as editors. */
export const mayConfirmAsEditor = (viewer: Pick<Viewer, 'uid'>, editorUids: readonly string[]): boolean =>
  editorUids.includes(viewer.uid);

/** Reminding the editors to confirm: the author, or a head (or deputy head, or their deputy today) of the request's unit. */
export function mayRemindEditors(viewer: Viewer, request: Pick<RequestSubject, 'author_uid' | 'unitCode'>): boolean {
  if (request.author_uid === viewer.uid) return true;
  return request.unitCode !== undefined && viewer.headOf.includes(request.unitCode);
}

// ---------------------------------------------------------------- presences

export interface PresenceSubject {
  status: string;
  /** Code of the presence's unit (undefined when the unit is unknown). */
  unitCode: string | undefined;
  editorUids: readonly string[];
}

export interface PresenceAccess {
  isEditor: boolean;
  isHead: boolean;
  isCentral: boolean;
  /** May see the presence at all (404 otherwise). */
  canSee: boolean;
  canConfirm: boolean;
  canClose: boolean;
  canChange: boolean;
}

/** What a person may do with a presence after publication (viewer without deputies: presences are not deputised). */
export function presenceAccess(viewer: Viewer, presence: PresenceSubject): PresenceAccess {
  const isEditor = presence.editorUids.includes(viewer.uid);
  const isHead = presence.unitCode !== undefined && viewer.headOf.includes(presence.unitCode);
  const central = isCentral(viewer);
  const active = presence.status === 'active';
  return {
    isEditor,
    isHead,
    isCentral: central,
    canSee: isEditor || isHead || central,
    canConfirm: active && (isEditor || isHead),
    canClose: active && (isEditor || viewer.roles.includes('communications')),
    canChange: active && (isEditor || isHead),
  };
}

export const maySeePresence = (viewer: Viewer, presence: PresenceSubject): boolean =>
  presenceAccess(viewer, presence).canSee;

/** maySeePresence as a filter on `presences as <alias>` joined with `org_units as <unitAlias>`. */
export function wherePresenceVisible(
  q: Knex.QueryBuilder,
  db: Knex,
  viewer: Viewer,
  alias = 'p',
  unitAlias = 'u',
): void {
  if (isCentral(viewer)) return;
  q.where((w) => {
    w.whereIn(`${alias}.id`, db('presence_editors').where({ uid: viewer.uid }).select('presence_id')).orWhereIn(
      `${unitAlias}.code`,
      [...viewer.headOf],
    );
  });
}

// ---------------------------------------------------------------- platform re-assessments

/** Opening a re-assessment of a platform: communications and data protection. */
export const mayOpenReassessment = (viewer: Pick<Viewer, 'roles'>): boolean =>
  viewer.roles.includes('communications') || viewer.roles.includes('data_protection');

/** The re-assessments and their progress: the central offices (they see every presence anyway). */
export const maySeeReassessments = (viewer: Pick<Viewer, 'roles'>): boolean => isCentral(viewer);

/**
 * Answering a presence's re-assessment task (continued need and privacy notice confirmed, or
 * closed): its editors and the heads of its unit, while the presence is active. Closing itself
 * stays with presenceAccess().canClose (editors, communications): a unit head confirms or asks
 * the editors to close.
 */
export function mayAnswerReassessment(viewer: Viewer, presence: PresenceSubject): boolean {
  return presence.status === 'active' && isReassessmentTaskPerson(viewer, presence);
}

/** The people a presence's re-assessment task is for (whatever its state): its editors and the heads of its unit. */
export function isReassessmentTaskPerson(viewer: Viewer, presence: PresenceSubject): boolean {
  const access = presenceAccess(viewer, presence);
  return access.isEditor || access.isHead;
}

/** mayAnswerReassessment as a filter on `presences as <alias>` joined with `org_units as <unitAlias>`. */
export function whereReassessmentAnswerable(
  q: Knex.QueryBuilder,
  db: Knex,
  viewer: Viewer,
  alias = 'p',
  unitAlias = 'u',
): void {
  q.where(`${alias}.status`, 'active').where((w) => {
    w.whereIn(`${alias}.id`, db('presence_editors').where({ uid: viewer.uid }).select('presence_id')).orWhereIn(
      `${unitAlias}.code`,
      [...viewer.headOf],
    );
  });
}

// ---------------------------------------------------------------- administration, deputies

/** Administration (/intern/verwaltung, the outbox): the admin role. */
export const isAdmin = (viewer: Pick<Viewer, 'roles'>): boolean => viewer.roles.includes('admin');

/** Naming deputies for someone else: administrators only (everyone names their own). */
export const mayNameDeputiesForOthers = isAdmin;

/** Seeing a deputy entry: its principal and its deputy; administrators see all. */
export const maySeeSubstitution = (
  viewer: Pick<Viewer, 'uid' | 'roles'>,
  row: { principal_uid: string; deputy_uid: string },
): boolean => isAdmin(viewer) || row.principal_uid === viewer.uid || row.deputy_uid === viewer.uid;

/** maySeeSubstitution as a filter on `substitutions`. */
export function whereSubstitutionVisible(q: Knex.QueryBuilder, viewer: Pick<Viewer, 'uid' | 'roles'>): void {
  if (isAdmin(viewer)) return;
  q.where((w) => {
    w.where({ principal_uid: viewer.uid }).orWhere({ deputy_uid: viewer.uid });
  });
}

/** Ending a deputy entry: its principal, or an administrator (the deputy cannot). */
export const mayEndSubstitution = (viewer: Pick<Viewer, 'uid' | 'roles'>, row: { principal_uid: string }): boolean =>
  row.principal_uid === viewer.uid || isAdmin(viewer);

// ---------------------------------------------------------------- oversight

/** The process figures and the council report (/intern/auswertung): communications, data protection, administrators. */
export const OVERSIGHT_ROLES = ['communications', 'data_protection', 'admin'] as const;

/** May see the process figures, their CSV files and the council report (whole-register numbers, no list filter needed). */
export const maySeeFigures = (viewer: Pick<Viewer, 'roles'>): boolean =>
  viewer.roles.some((r) => (OVERSIGHT_ROLES as readonly string[]).includes(r));

// ---------------------------------------------------------------- reports of fake accounts

/** The reports of fake accounts (/intern/meldungen): the press office (communications) decides, administrators read. */
export const maySeeAccountReports = (viewer: Pick<Viewer, 'roles'>): boolean =>
  viewer.roles.includes('communications') || isAdmin(viewer);

/** Deciding a report (impostor, ours, unrelated, closed): communications only. */
export const mayDecideAccountReports = (viewer: Pick<Viewer, 'roles'>): boolean =>
  viewer.roles.includes('communications');
