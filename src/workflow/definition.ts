import { LIMITS } from '../limits';
import { z } from 'zod';
import type { Role } from '../config';

/**
 * Workflow definitions are data: administrators upload them as JSON/YAML, and every request
 * keeps the (key, version) it started with. This module only describes and validates them;
 * the engine that runs them is in ./core.
 */

/** Roles that may be named as deciders or fallback groups ("employee" is everybody, so never). */
export const DECIDER_ROLES = [
  'unit_head',
  'communications',
  'data_protection',
  'hannoverde',
  'staff_council',
  'admin',
] as const satisfies readonly Role[];
export type DeciderRole = (typeof DECIDER_ROLES)[number];

/** Offices that can be told, for information only, that a step has started. */
export const NOTIFY_ROLES = [
  'staff_council',
  'communications',
  'data_protection',
  'hannoverde',
  'admin',
] as const satisfies readonly Role[];
export type NotifyRole = (typeof NOTIFY_ROLES)[number];

const ID_PATTERN = /^[a-z][a-z0-9_]*$/;
const KEY_PATTERN = /^[a-z][a-z0-9_-]*$/;

const nonBlank = z.string().trim().min(1, 'must not be empty');

const localizedTextSchema = z.strictObject({ de: nonBlank, en: nonBlank });

const deciderSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('unit_head') }),
  z.strictObject({ kind: z.literal('role'), role: z.enum(DECIDER_ROLES) }),
]);

const workingDays = z.int().min(1, 'must be at least 1 working day').max(365, 'must be at most 365 working days');

const deadlineSchema = z
  .strictObject({
    remindAfterWorkingDays: workingDays,
    escalateAfterWorkingDays: workingDays,
    fallbackRole: z.enum(DECIDER_ROLES),
  })
  .refine((d) => d.escalateAfterWorkingDays > d.remindAfterWorkingDays, {
    path: ['escalateAfterWorkingDays'],
    message: 'must be greater than remindAfterWorkingDays (the escalation follows the reminder)',
  });

/**
 * The request form's numbered sections (1–11, src/requests/form.ts REQUEST_SECTIONS; a test
 * keeps both in step). A step names the sections it reviews; the pure core only validates them.
 */
export const REQUEST_SECTION_COUNT = 11;

/** A checklist item: its id is what a decider's tick records, its text what they read. */
const checklistItemSchema = z.strictObject({
  id: z
    .string()
    .max(LIMITS.checklistId, `must be at most ${LIMITS.checklistId} characters long`)
    .regex(ID_PATTERN, 'must start with a lower-case letter and contain only a-z, 0-9 and _'),
  text: z.strictObject({
    de: nonBlank.max(LIMITS.checklistText, `must be at most ${LIMITS.checklistText} characters long`),
    en: nonBlank.max(LIMITS.checklistText, `must be at most ${LIMITS.checklistText} characters long`),
  }),
});

const stepSchema = z.strictObject({
  // decisions.step_id (src/limits.ts)
  id: z
    .string()
    .max(LIMITS.stepId, `must be at most ${LIMITS.stepId} characters long`)
    .regex(ID_PATTERN, 'must start with a lower-case letter and contain only a-z, 0-9 and _'),
  name: localizedTextSchema,
  decider: deciderSchema,
  after: z.array(z.string()),
  when: z.strictObject({ changedFieldsAny: z.array(nonBlank).min(1, 'must name at least one field') }).optional(),
  requiresEditorConfirmation: z.boolean().optional(),
  deadline: deadlineSchema.optional(),
  notifyOnOpen: z.array(z.enum(NOTIFY_ROLES)).optional(),
  publishes: z.boolean().optional(),
  /** The request sections this step reviews, shown first to its decider (older versions have none). */
  sections: z
    .array(
      z
        .int('must be a section number')
        .min(1, `must be a section number from 1 to ${REQUEST_SECTION_COUNT}`)
        .max(REQUEST_SECTION_COUNT, `must be a section number from 1 to ${REQUEST_SECTION_COUNT}`),
    )
    .optional()
    .superRefine((sections, ctx) => {
      sections?.forEach((n, i) => {
        if (sections.indexOf(n) < i)
          ctx.addIssue({ code: 'custom', path: [i], message: `section ${n} is listed twice` });
      });
    }),
  /** What the decider confirms they checked; the ticks are recorded with the decision. */
  checklist: z
    .array(checklistItemSchema)
    .max(LIMITS.checklistItems, `must have at most ${LIMITS.checklistItems} items`)
    .optional()
    .superRefine((items, ctx) => {
      const ids = items?.map((item) => item.id) ?? [];
      ids.forEach((id, i) => {
        if (ids.indexOf(id) < i)
          ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate checklist item id "${id}"` });
      });
    }),
});

export const workflowDefinitionSchema = z
  .strictObject({
    // workflow_definitions.key (src/limits.ts)
    key: z
      .string()
      .max(LIMITS.workflowKey, `must be at most ${LIMITS.workflowKey} characters long`)
      .regex(KEY_PATTERN, 'must start with a lower-case letter and contain only a-z, 0-9, _ and -'),
    version: z.int().min(1, 'must be an integer >= 1'),
    name: localizedTextSchema,
    steps: z.array(stepSchema).min(1, 'a workflow needs at least one step'),
  })
  .superRefine((definition, ctx) => {
    for (const problem of graphProblems(definition.steps)) {
      ctx.addIssue({ code: 'custom', path: problem.path, message: problem.message });
    }
  });

export type WorkflowDefinition = z.output<typeof workflowDefinitionSchema>;
export type WorkflowStep = WorkflowDefinition['steps'][number];
export type Decider = WorkflowStep['decider'];
export type ChecklistItem = NonNullable<WorkflowStep['checklist']>[number];

export type ParseDefinitionResult = { ok: true; definition: WorkflowDefinition } | { ok: false; errors: string[] };

/**
 * Validates an uploaded definition. Every error names its path (e.g. `steps[2].after[0]`)
 * and, inside a step, that step's id, so an administrator can find it in their file.
 */
export function parseDefinition(input: unknown): ParseDefinitionResult {
  const result = workflowDefinitionSchema.safeParse(input, {
    // "Invalid input: expected string, received undefined" hides the real problem.
    error: (issue) =>
      issue.code === 'invalid_type' && issue.input === undefined ? 'required field is missing' : undefined,
  });
  if (result.success) return { ok: true, definition: result.data };
  return { ok: false, errors: result.error.issues.map((issue) => formatIssue(input, issue.path, issue.message)) };
}

/** The step that publishes the request (validation guarantees exactly one). */
export function publishingStep(definition: WorkflowDefinition): WorkflowStep {
  const step = definition.steps.find((s) => s.publishes === true);
  if (!step) throw new Error(`workflow ${definition.key} v${definition.version} has no publishing step`);
  return step;
}

export function findStep(definition: WorkflowDefinition, stepId: string): WorkflowStep | undefined {
  return definition.steps.find((s) => s.id === stepId);
}

/**
 * The steps in the order they can run: a stage holds the steps that become due together
 * (same longest distance from submission), so steps in one stage run in parallel.
 */
export function stagesOf(definition: WorkflowDefinition): WorkflowStep[][] {
  const depth = new Map<string, number>();
  const byId = new Map(definition.steps.map((s) => [s.id, s]));
  const depthOf = (id: string, seen: Set<string>): number => {
    const known = depth.get(id);
    if (known !== undefined) return known;
    const step = byId.get(id);
    if (!step || seen.has(id)) return 0;
    seen.add(id);
    const d = step.after.length === 0 ? 0 : 1 + Math.max(...step.after.map((a) => depthOf(a, seen)));
    depth.set(id, d);
    return d;
  };
  const stages: WorkflowStep[][] = [];
  for (const step of definition.steps) {
    const d = depthOf(step.id, new Set());
    (stages[d] ??= []).push(step);
  }
  return stages.filter((s) => s !== undefined);
}

// ---------------------------------------------------------------------------------------------
// Graph rules: the shape alone cannot say that the steps form one DAG ending in publication.

type StepInput = z.output<typeof stepSchema>;
interface Problem {
  path: (string | number)[];
  message: string;
}

function graphProblems(steps: StepInput[]): Problem[] {
  const problems: Problem[] = [];
  if (steps.length === 0) return problems; // already reported by the shape check
  const indexById = new Map<string, number>();

  steps.forEach((step, i) => {
    const first = indexById.get(step.id);
    if (first === undefined) indexById.set(step.id, i);
    else
      problems.push({
        path: ['steps', i, 'id'],
        message: `duplicate step id "${step.id}" (already used by steps[${first}])`,
      });
  });

  let referencesValid = true;
  steps.forEach((step, i) => {
    const seen = new Set<string>();
    step.after.forEach((dep, k) => {
      if (seen.has(dep))
        problems.push({ path: ['steps', i, 'after', k], message: `step "${step.id}" lists "${dep}" twice in after` });
      seen.add(dep);
      if (dep === step.id) {
        referencesValid = false;
        problems.push({ path: ['steps', i, 'after', k], message: `step "${step.id}" cannot wait for itself (cycle)` });
      } else if (!indexById.has(dep)) {
        referencesValid = false;
        const known = [...indexById.keys()].map((id) => `"${id}"`).join(', ');
        problems.push({
          path: ['steps', i, 'after', k],
          message: `step "${step.id}" waits for unknown step "${dep}" (known steps: ${known})`,
        });
      }
    });
  });

  if (!steps.some((s) => s.after.length === 0)) {
    problems.push({ path: ['steps'], message: 'no step has an empty "after", so no step could open on submit' });
  }

  const publishing = steps.map((s, i) => ({ s, i })).filter(({ s }) => s.publishes === true);
  if (publishing.length === 0) {
    problems.push({
      path: ['steps'],
      message: 'no step has "publishes": true; exactly one step must publish the request',
    });
  }
  const firstPublishing = publishing[0];
  for (const extra of publishing.slice(1)) {
    problems.push({
      path: ['steps', extra.i, 'publishes'],
      message: `only one step may publish, but "${firstPublishing?.s.id}" and "${extra.s.id}" both have "publishes": true`,
    });
  }

  // Cycle and sink checks only make sense once every reference resolves to exactly one step.
  if (!referencesValid || indexById.size !== steps.length) return problems;

  const cycles = findCycles(steps);
  for (const cycle of cycles) {
    const index = indexById.get(cycle[0] ?? '') ?? 0;
    problems.push({ path: ['steps', index, 'after'], message: `cycle between steps: ${cycle.join(' -> ')}` });
  }
  if (cycles.length > 0 || publishing.length !== 1 || !firstPublishing) return problems;

  // The publishing step must be the unique sink: in a DAG every step then leads to it.
  const publishingId = firstPublishing.s.id;
  const listedInAfter = new Set(steps.flatMap((s) => s.after));
  steps.forEach((step, i) => {
    step.after.forEach((dep, k) => {
      if (dep === publishingId) {
        problems.push({
          path: ['steps', i, 'after', k],
          message: `step "${step.id}" waits for the publishing step "${publishingId}"; the publishing step must be the last step`,
        });
      }
    });
    if (step.id !== publishingId && !listedInAfter.has(step.id)) {
      problems.push({
        path: ['steps', i],
        message: `step "${step.id}" leads nowhere: no step lists it in "after", so it never leads to the publishing step "${publishingId}"`,
      });
    }
  });
  return problems;
}

/** Each cycle once, as ids along the `after` edges, closed (a -> b -> a). */
function findCycles(steps: StepInput[]): string[][] {
  const afterById = new Map(steps.map((s) => [s.id, s.after]));
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const seen = new Set<string>();

  const visit = (id: string) => {
    state.set(id, 'visiting');
    stack.push(id);
    for (const dep of afterById.get(id) ?? []) {
      if (state.get(dep) === 'visiting') {
        const cycle = [...stack.slice(stack.indexOf(dep)), dep];
        const signature = [...new Set(cycle)].sort().join(',');
        if (!seen.has(signature)) {
          seen.add(signature);
          cycles.push(cycle);
        }
      } else if (!state.has(dep)) {
        visit(dep);
      }
    }
    stack.pop();
    state.set(id, 'done');
  };
  for (const step of steps) if (!state.has(step.id)) visit(step.id);
  return cycles;
}

// ---------------------------------------------------------------------------------------------
// Error messages

function formatIssue(input: unknown, path: readonly PropertyKey[], message: string): string {
  const where = path.length === 0 ? '(root)' : formatPath(path);
  const stepId = stepIdAt(input, path);
  return `${where}${stepId ? ` (step "${stepId}")` : ''}: ${message}`;
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i === 0 ? '' : '.'}${String(key)}`)).join('');
}

/** The id of the step a path points into, read from the raw input, if it has one. */
function stepIdAt(input: unknown, path: readonly PropertyKey[]): string | undefined {
  if (path[0] !== 'steps' || typeof path[1] !== 'number' || path[2] === 'id') return undefined;
  if (typeof input !== 'object' || input === null) return undefined;
  const steps = (input as { steps?: unknown }).steps;
  if (!Array.isArray(steps)) return undefined;
  const step: unknown = steps[path[1]];
  if (typeof step !== 'object' || step === null) return undefined;
  const id = (step as { id?: unknown }).id;
  return typeof id === 'string' && id !== '' ? id : undefined;
}
