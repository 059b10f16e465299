import type { Role } from '../config';
import { findStep, type DeciderRole, type NotifyRole, type WorkflowDefinition, type WorkflowStep } from './definition';
import { workingDaysBetween } from './working-days';

/**
 * The approval workflow as a pure function: (definition, instance, action, actor, now, context)
 * -> new instance + events, or a typed refusal. No clock, no database, no mail: the caller
 * resolves people and substitutions, stores the instance and turns events into history and mail.
 */

export type { Role };

// ---------------------------------------------------------------------------------------------
// Types

export interface Person {
  uid: string;
  roles: Role[];
  /** Unit codes this person heads or is deputy head of. */
  headOfUnits: string[];
}

export interface Actor extends Person {
  /** People who named this actor as their deputy for a range that covers `now`. */
  actingFor: Person[];
}

export type StepState = 'waiting' | 'open' | 'approved' | 'skipped' | 'returned' | 'rejected';

export interface StepStatus {
  state: StepState;
  openedAt?: string;
  decidedAt?: string;
  decidedBy?: string;
  onBehalfOf?: string;
  comment?: string;
  remindedAt?: string;
  escalatedAt?: string;
}

export type Status = 'draft' | 'in_review' | 'returned' | 'rejected' | 'withdrawn' | 'published';
export type FinalStatus = Extract<Status, 'rejected' | 'withdrawn' | 'published'>;

export interface Instance {
  status: Status;
  authorUid: string;
  editorUids: string[];
  unit: string;
  steps: Record<string, StepStatus>;
  /** Steps that were open when the request was returned; they reopen on resubmission. */
  pausedSteps: string[];
  submissions: number;
}

export type Action =
  | { type: 'submit'; changedFields?: string[] }
  | { type: 'resubmit'; changedFields?: string[] }
  | { type: 'approve'; stepId: string; comment?: string }
  | { type: 'publish'; stepId: string; comment?: string }
  | { type: 'return'; stepId: string; comment: string }
  | { type: 'reject'; stepId: string; comment: string }
  | { type: 'withdraw'; comment?: string }
  | { type: 'sync' };
export type ActionType = Action['type'];

export interface Context {
  editorsConfirmed: boolean;
}

/** Who may decide a step; the caller turns this into a list of people to notify. */
export type Candidates = { kind: 'unit_head'; unit: string } | { kind: 'role'; role: DeciderRole };

export interface CancelledStep {
  stepId: string;
  candidates: Candidates;
}

interface DecisionFields {
  at: string;
  stepId: string;
  actorUid: string;
  onBehalfOf?: string;
  comment?: string;
}

export type WorkflowEvent =
  | { type: 'submitted'; at: string; actorUid: string; submission: number; changedFields?: string[] }
  | {
      type: 'resubmitted';
      at: string;
      actorUid: string;
      submission: number;
      changedFields?: string[];
      reopenedSteps: string[];
    }
  | { type: 'step_opened'; at: string; stepId: string; candidates: Candidates; notify: NotifyRole[]; reopened: boolean }
  | { type: 'step_skipped'; at: string; stepId: string; conditionFields: string[]; changedFields: string[] }
  /** A step is due but waits for the named editors to confirm the guidelines: tell them. */
  | { type: 'editor_confirmation_needed'; at: string; stepId: string; notifyUids: string[] }
  | ({ type: 'approved' } & DecisionFields)
  | ({ type: 'returned'; comment: string; pausedSteps: string[]; notifyUids: string[] } & DecisionFields)
  | ({ type: 'rejected'; comment: string; cancelledSteps: CancelledStep[]; notifyUids: string[] } & DecisionFields)
  | { type: 'withdrawn'; at: string; actorUid: string; comment?: string; cancelledSteps: CancelledStep[] }
  | { type: 'published'; at: string; stepId: string; actorUid: string; onBehalfOf?: string; notifyUids: string[] };

export type Refusal =
  | { code: 'finished'; status: FinalStatus }
  | { code: 'invalid_state'; status: Status; action: ActionType }
  | { code: 'unknown_step'; stepId: string }
  | { code: 'not_publishing_step'; stepId: string; publishingStepId: string | undefined }
  | {
      code: 'step_not_open';
      stepId: string;
      state: StepState;
      decidedBy?: string;
      onBehalfOf?: string;
      decidedAt?: string;
    }
  | { code: 'not_candidate'; stepId: string; candidates: Candidates }
  /** `as`: whether the actor themselves or the principal they act for is the author or an editor. */
  | { code: 'own_request'; stepId: string; uid: string; as: 'self' | 'principal' }
  | { code: 'already_decided_another_step'; stepId: string; uid: string; as: 'self' | 'principal'; otherStepId: string }
  | { code: 'comment_required'; stepId: string; action: 'return' | 'reject' }
  | { code: 'not_author'; action: 'submit' | 'resubmit' | 'withdraw' };
export type RefusalCode = Refusal['code'];

export interface DecideInput {
  definition: WorkflowDefinition;
  instance: Instance;
  action: Action;
  actor: Actor;
  now: Date;
  context: Context;
}

export type DecideResult = { ok: true; instance: Instance; events: WorkflowEvent[] } | { ok: false; refusal: Refusal };

/** How an authorised actor decides: as themselves, or on behalf of a principal. */
export type Authorization = { ok: true; onBehalfOf?: string } | { ok: false; refusal: Refusal };

// ---------------------------------------------------------------------------------------------
// Public API

export function newInstance(
  definition: WorkflowDefinition,
  request: { authorUid: string; editorUids: string[]; unit: string },
): Instance {
  return {
    status: 'draft',
    authorUid: request.authorUid,
    editorUids: [...request.editorUids],
    unit: request.unit,
    steps: Object.fromEntries(definition.steps.map((s) => [s.id, { state: 'waiting' }])),
    pausedSteps: [],
    submissions: 0,
  };
}

export const isFinal = (status: Status): status is FinalStatus =>
  status === 'rejected' || status === 'withdrawn' || status === 'published';

export function candidatesOf(step: WorkflowStep, unit: string): Candidates {
  return step.decider.kind === 'unit_head' ? { kind: 'unit_head', unit } : { kind: 'role', role: step.decider.role };
}

export function isCandidate(step: WorkflowStep, person: Person, unit: string): boolean {
  return step.decider.kind === 'unit_head'
    ? person.headOfUnits.includes(unit)
    : person.roles.includes(step.decider.role);
}

/**
 * Whether `actor` may decide `stepId` now, and for whom. Checks the people, not the state of the
 * step: use it for task lists; `decide` checks everything.
 */
export function authorizeDecision(
  definition: WorkflowDefinition,
  instance: Instance,
  stepId: string,
  actor: Actor,
): Authorization {
  const step = findStep(definition, stepId);
  if (!step) return { ok: false, refusal: { code: 'unknown_step', stepId } };

  // The actor is bound by the guards even when deciding for someone else.
  const selfRefusal = personGuard(instance, stepId, actor.uid, 'self');
  if (selfRefusal) return { ok: false, refusal: selfRefusal };
  if (isCandidate(step, actor, instance.unit)) return { ok: true };

  const principals = actor.actingFor.filter((p) => isCandidate(step, p, instance.unit));
  if (principals.length === 0) {
    return { ok: false, refusal: { code: 'not_candidate', stepId, candidates: candidatesOf(step, instance.unit) } };
  }
  let firstRefusal: Refusal | undefined;
  for (const principal of principals) {
    const refusal = personGuard(instance, stepId, principal.uid, 'principal');
    if (!refusal) return { ok: true, onBehalfOf: principal.uid };
    firstRefusal ??= refusal;
  }
  // principals is non-empty, so some refusal was recorded.
  return {
    ok: false,
    refusal: firstRefusal ?? { code: 'not_candidate', stepId, candidates: candidatesOf(step, instance.unit) },
  };
}

/** The open steps this actor may decide now (for task lists). */
export function decidableSteps(
  definition: WorkflowDefinition,
  instance: Instance,
  actor: Actor,
): Array<{ stepId: string; onBehalfOf?: string }> {
  if (instance.status !== 'in_review') return [];
  return definition.steps.flatMap((step) => {
    if (stepOf(instance, step.id).state !== 'open') return [];
    const auth = authorizeDecision(definition, instance, step.id, actor);
    return auth.ok
      ? [{ stepId: step.id, ...(auth.onBehalfOf === undefined ? {} : { onBehalfOf: auth.onBehalfOf }) }]
      : [];
  });
}

/**
 * Steps that are due but wait for the named editors to confirm the guidelines (for the
 * request page: "waits for the confirmation by …").
 */
export function stepsAwaitingEditors(definition: WorkflowDefinition, instance: Instance, context: Context): string[] {
  return [...blockedByEditors(definition, instance, context)];
}

export function decide(input: DecideInput): DecideResult {
  const { instance, action } = input;
  if (isFinal(instance.status)) return refuse({ code: 'finished', status: instance.status });
  const run: Run = { ...input, at: input.now.toISOString(), next: cloneInstance(instance) };
  switch (action.type) {
    case 'submit':
      return submit(run, action.changedFields);
    case 'resubmit':
      return resubmit(run, action.changedFields);
    case 'approve':
    case 'publish':
    case 'return':
    case 'reject':
      return decideStep(run, action);
    case 'withdraw':
      return withdraw(run, action.comment);
    case 'sync':
      return sync(run);
    default: {
      const unknown: never = action;
      throw new Error(`unknown workflow action ${JSON.stringify(unknown)}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Actions

/** One call of `decide`: the input plus the instance being built (a private copy). */
interface Run extends DecideInput {
  at: string;
  next: Instance;
}

function submit(run: Run, changedFields: string[] | undefined): DecideResult {
  const { instance, next, actor, at } = run;
  if (instance.status !== 'draft') return invalidState(instance, 'submit');
  if (actor.uid !== instance.authorUid) return refuse({ code: 'not_author', action: 'submit' });

  next.status = 'in_review';
  next.submissions += 1;
  const events: WorkflowEvent[] = [
    {
      type: 'submitted',
      at,
      actorUid: actor.uid,
      submission: next.submissions,
      ...optional('changedFields', changedFields && [...changedFields]),
    },
  ];
  events.push(...applyConditions(run, changedFields));
  events.push(...advance(run, new Set(), { actorUid: actor.uid }));
  return { ok: true, instance: next, events };
}

function resubmit(run: Run, changedFields: string[] | undefined): DecideResult {
  const { definition, instance, next, actor, at } = run;
  if (instance.status !== 'returned') return invalidState(instance, 'resubmit');
  if (actor.uid !== instance.authorUid) return refuse({ code: 'not_author', action: 'resubmit' });

  // The step that returned the request and those paused by the return start over;
  // approvals stand.
  const returnedSteps = definition.steps.filter((s) => stepOf(instance, s.id).state === 'returned').map((s) => s.id);
  const reopened = new Set([...returnedSteps, ...instance.pausedSteps]);
  for (const id of reopened) next.steps[id] = { state: 'waiting' };
  next.pausedSteps = [];
  next.status = 'in_review';
  next.submissions += 1;

  const events: WorkflowEvent[] = [
    {
      type: 'resubmitted',
      at,
      actorUid: actor.uid,
      submission: next.submissions,
      ...optional('changedFields', changedFields && [...changedFields]),
      reopenedSteps: definition.steps.map((s) => s.id).filter((id) => reopened.has(id)),
    },
  ];
  events.push(...applyConditions(run, changedFields));
  events.push(...advance(run, reopened, { actorUid: actor.uid }));
  return { ok: true, instance: next, events };
}

type StepAction = Extract<Action, { type: 'approve' | 'publish' | 'return' | 'reject' }>;

function decideStep(run: Run, action: StepAction): DecideResult {
  const { definition, instance, next, actor, at } = run;
  if (instance.status !== 'in_review') return invalidState(instance, action.type);
  const step = findStep(definition, action.stepId);
  if (!step) return refuse({ code: 'unknown_step', stepId: action.stepId });
  if (action.type === 'publish' && step.publishes !== true) {
    const publishing = definition.steps.find((s) => s.publishes === true);
    return refuse({ code: 'not_publishing_step', stepId: step.id, publishingStepId: publishing?.id });
  }

  const current = stepOf(instance, step.id);
  if (current.state !== 'open') {
    return refuse({
      code: 'step_not_open',
      stepId: step.id,
      state: current.state,
      ...optional('decidedBy', current.decidedBy),
      ...optional('onBehalfOf', current.onBehalfOf),
      ...optional('decidedAt', current.decidedAt),
    });
  }

  const auth = authorizeDecision(definition, instance, step.id, actor);
  if (!auth.ok) return refuse(auth.refusal);

  const comment = action.comment?.trim() || undefined;
  if ((action.type === 'return' || action.type === 'reject') && comment === undefined) {
    return refuse({ code: 'comment_required', stepId: step.id, action: action.type });
  }

  const decision = {
    at,
    stepId: step.id,
    actorUid: actor.uid,
    ...optional('onBehalfOf', auth.onBehalfOf),
    ...optional('comment', comment),
  };
  const decided = (state: StepState): StepStatus => ({
    ...current,
    state,
    decidedAt: at,
    decidedBy: actor.uid,
    ...optional('onBehalfOf', auth.onBehalfOf),
    ...optional('comment', comment),
  });

  switch (action.type) {
    case 'approve':
    case 'publish': {
      next.steps[step.id] = decided('approved');
      const events: WorkflowEvent[] = [{ type: 'approved', ...decision }];
      events.push(...advance(run, new Set(), { actorUid: actor.uid, onBehalfOf: auth.onBehalfOf }));
      return { ok: true, instance: next, events };
    }
    case 'return': {
      next.steps[step.id] = decided('returned');
      next.pausedSteps = closeOpenSteps(run).map((s) => s.stepId);
      next.status = 'returned';
      const event: WorkflowEvent = {
        type: 'returned',
        ...decision,
        comment: comment ?? '',
        pausedSteps: next.pausedSteps,
        notifyUids: [instance.authorUid],
      };
      return { ok: true, instance: next, events: [event] };
    }
    case 'reject': {
      next.steps[step.id] = decided('rejected');
      const cancelledSteps = closeOpenSteps(run);
      next.pausedSteps = [];
      next.status = 'rejected';
      const event: WorkflowEvent = {
        type: 'rejected',
        ...decision,
        comment: comment ?? '',
        cancelledSteps,
        notifyUids: [instance.authorUid],
      };
      return { ok: true, instance: next, events: [event] };
    }
  }
}

function withdraw(run: Run, comment: string | undefined): DecideResult {
  const { instance, next, actor, at } = run;
  if (actor.uid !== instance.authorUid) return refuse({ code: 'not_author', action: 'withdraw' });
  const cancelledSteps = closeOpenSteps(run);
  next.pausedSteps = [];
  next.status = 'withdrawn';
  const trimmed = comment?.trim() || undefined;
  const event: WorkflowEvent = {
    type: 'withdrawn',
    at,
    actorUid: actor.uid,
    ...optional('comment', trimmed),
    cancelledSteps,
  };
  return { ok: true, instance: next, events: [event] };
}

/** Re-checks which steps can open (e.g. after the editors confirmed). Harmless in any open status. */
function sync(run: Run): DecideResult {
  if (run.instance.status !== 'in_review') return { ok: true, instance: run.next, events: [] };
  return { ok: true, instance: run.next, events: advance(run, new Set(), { actorUid: run.actor.uid }) };
}

// ---------------------------------------------------------------------------------------------
// Engine

const isDone = (s: StepStatus) => s.state === 'approved' || s.state === 'skipped';

/**
 * Applies the steps' `when` conditions. Without changedFields the conditions cannot be judged,
 * so every step applies (more review, never less); on resubmission, undefined keeps the earlier
 * verdicts. Decided steps are never touched.
 */
function applyConditions(run: Run, changedFields: string[] | undefined): WorkflowEvent[] {
  if (changedFields === undefined) return [];
  const { definition, next, at } = run;
  const events: WorkflowEvent[] = [];
  for (const step of definition.steps) {
    if (!step.when) continue;
    const current = stepOf(next, step.id);
    const applies = step.when.changedFieldsAny.some((f) => changedFields.includes(f));
    if (!applies && current.state === 'waiting') {
      next.steps[step.id] = { state: 'skipped' };
      events.push({
        type: 'step_skipped',
        at,
        stepId: step.id,
        conditionFields: [...step.when.changedFieldsAny],
        changedFields: [...changedFields],
      });
    } else if (applies && current.state === 'skipped') {
      next.steps[step.id] = { state: 'waiting' };
    }
  }
  return events;
}

/** Steps whose prerequisites are all done but that wait for the editors' confirmation. */
function blockedByEditors(definition: WorkflowDefinition, instance: Instance, context: Context): Set<string> {
  if (instance.status !== 'in_review' || context.editorsConfirmed) return new Set();
  return new Set(
    definition.steps
      .filter((s) => s.requiresEditorConfirmation === true && stepOf(instance, s.id).state === 'waiting')
      .filter((s) => s.after.every((dep) => isDone(stepOf(instance, dep))))
      .map((s) => s.id),
  );
}

/**
 * Opens every waiting step whose prerequisites are all approved or skipped (AND-join), and
 * publishes once every step is done. Skips are decided before this runs, so one pass suffices:
 * opening a step never completes another.
 */
function advance(
  run: Run,
  reopened: Set<string>,
  trigger: { actorUid: string; onBehalfOf?: string | undefined },
): WorkflowEvent[] {
  const { definition, instance, next, context, at } = run;
  const events: WorkflowEvent[] = [];
  const alreadyBlocked = blockedByEditors(definition, instance, context);

  for (const step of definition.steps) {
    if (stepOf(next, step.id).state !== 'waiting') continue;
    if (!step.after.every((dep) => isDone(stepOf(next, dep)))) continue;
    if (step.requiresEditorConfirmation === true && !context.editorsConfirmed) {
      // Tell the editors once, when the step becomes due, not on every sync.
      if (!alreadyBlocked.has(step.id)) {
        events.push({ type: 'editor_confirmation_needed', at, stepId: step.id, notifyUids: [...next.editorUids] });
      }
      continue;
    }
    next.steps[step.id] = { state: 'open', openedAt: at };
    events.push({
      type: 'step_opened',
      at,
      stepId: step.id,
      candidates: candidatesOf(step, next.unit),
      notify: [...(step.notifyOnOpen ?? [])],
      reopened: reopened.has(step.id),
    });
  }

  const publishing = definition.steps.find((s) => s.publishes === true);
  if (publishing && definition.steps.every((s) => isDone(stepOf(next, s.id)))) {
    next.status = 'published';
    events.push({
      type: 'published',
      at,
      stepId: publishing.id,
      actorUid: trigger.actorUid,
      ...optional('onBehalfOf', trigger.onBehalfOf),
      notifyUids: unique([next.authorUid, ...next.editorUids]),
    });
  }
  return events;
}

/** Puts every open step back to waiting (its clock restarts when it reopens). */
function closeOpenSteps(run: Run): CancelledStep[] {
  const { definition, next } = run;
  const closed: CancelledStep[] = [];
  for (const step of definition.steps) {
    if (stepOf(next, step.id).state !== 'open') continue;
    next.steps[step.id] = { state: 'waiting' };
    closed.push({ stepId: step.id, candidates: candidatesOf(step, next.unit) });
  }
  return closed;
}

/** Author and editors never decide their own request; nobody decides two of its steps. */
function personGuard(instance: Instance, stepId: string, uid: string, as: 'self' | 'principal'): Refusal | undefined {
  if (uid === instance.authorUid || instance.editorUids.includes(uid)) return { code: 'own_request', stepId, uid, as };
  for (const [otherStepId, other] of Object.entries(instance.steps)) {
    if (otherStepId === stepId) continue;
    if (other.decidedBy === uid || other.onBehalfOf === uid) {
      return { code: 'already_decided_another_step', stepId, uid, as, otherStepId };
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Deadlines

export type DeadlineKind = 'reminder' | 'escalation';

export interface DueDeadline {
  stepId: string;
  kind: DeadlineKind;
  /** Who to escalate to (escalations only). */
  fallbackRole?: DeciderRole;
  /** Who to remind. */
  candidates: Candidates;
  openedAt: string;
}

/** Reminders and escalations that are due and not yet sent, for a request in review. */
export function dueDeadlines(definition: WorkflowDefinition, instance: Instance, now: Date): DueDeadline[] {
  if (instance.status !== 'in_review') return [];
  const due: DueDeadline[] = [];
  for (const step of definition.steps) {
    const status = stepOf(instance, step.id);
    if (status.state !== 'open' || !status.openedAt || !step.deadline) continue;
    const waited = workingDaysBetween(new Date(status.openedAt), now);
    const base = { stepId: step.id, candidates: candidatesOf(step, instance.unit), openedAt: status.openedAt };
    if (waited >= step.deadline.remindAfterWorkingDays && !status.remindedAt) {
      due.push({ ...base, kind: 'reminder' });
    }
    if (waited >= step.deadline.escalateAfterWorkingDays && !status.escalatedAt) {
      due.push({ ...base, kind: 'escalation', fallbackRole: step.deadline.fallbackRole });
    }
  }
  return due;
}

/** Records that a reminder/escalation went out, so it is sent once. Only open steps are marked. */
export function markDeadline(instance: Instance, stepId: string, kind: DeadlineKind, now: Date): Instance {
  const next = cloneInstance(instance);
  const status = next.steps[stepId];
  if (!status || status.state !== 'open') return next;
  next.steps[stepId] = { ...status, [kind === 'reminder' ? 'remindedAt' : 'escalatedAt']: now.toISOString() };
  return next;
}

// ---------------------------------------------------------------------------------------------
// Helpers

function stepOf(instance: Instance, stepId: string): StepStatus {
  const status = instance.steps[stepId];
  // A stored instance always has every step of its definition version; anything else is corrupt.
  if (!status) throw new Error(`workflow instance has no status for step "${stepId}"`);
  return status;
}

function cloneInstance(instance: Instance): Instance {
  return {
    ...instance,
    editorUids: [...instance.editorUids],
    pausedSteps: [...instance.pausedSteps],
    steps: Object.fromEntries(Object.entries(instance.steps).map(([id, s]) => [id, { ...s }])),
  };
}

const refuse = (refusal: Refusal): DecideResult => ({ ok: false, refusal });

const invalidState = (instance: Instance, action: ActionType): DecideResult =>
  refuse({ code: 'invalid_state', status: instance.status, action });

/** `{ key: value }` when value is defined, `{}` otherwise: keeps undefined keys out of stored JSON. */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

const unique = (values: string[]) => [...new Set(values)];
