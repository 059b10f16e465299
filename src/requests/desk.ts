import type { Changes } from '../audit/history';
import type { ChecklistItem, WorkflowDefinition } from '../workflow/definition';
import { REQUEST_SECTIONS, sectionOfField } from './form';
import { storedSections } from './review';

/**
 * The request page as a desk (#15): for the person deciding a step, the sections that step
 * reviews come first (with what changed since they last looked marked inside them), then the
 * step's checklist and the decision; the other sections follow collapsed. For the author of a
 * returned or rejected request, the sections the decision pointed to are marked.
 */
export interface DeskView {
  /** The step this person decides now, if its definition names sections or a checklist. */
  review?: { stepId: string; sections: number[]; checklist: ChecklistItem[] };
  /** Section numbers in the order the page shows them (the step's first). */
  order: number[];
  /** Sections holding a field that changed since this person's last look. */
  changedSections: number[];
  /** Sections the latest return or rejection pointed to (while it stands). */
  flagged: number[];
}

export function deskView(input: {
  request: { status: string };
  definition: WorkflowDefinition | undefined;
  decidable: Array<{ stepId: string }>;
  decisions: Array<{ outcome: string; sections?: unknown }>;
  changes: { fields: Changes } | undefined;
}): DeskView {
  const all = REQUEST_SECTIONS.map((s) => s.n as number);
  const step = input.definition?.steps.find((s) => s.id === input.decidable[0]?.stepId);
  const review =
    step && ((step.sections?.length ?? 0) > 0 || (step.checklist?.length ?? 0) > 0)
      ? { stepId: step.id, sections: [...(step.sections ?? [])], checklist: [...(step.checklist ?? [])] }
      : undefined;
  const first = review?.sections ?? [];
  const changedSections = [
    ...new Set(
      Object.keys(input.changes?.fields ?? {})
        .map(sectionOfField)
        .filter((n): n is number => n !== undefined),
    ),
  ];
  const pointing =
    input.request.status === 'returned' ? 'returned' : input.request.status === 'rejected' ? 'rejected' : undefined;
  const last = pointing ? [...input.decisions].reverse().find((d) => d.outcome === pointing) : undefined;
  return {
    ...(review ? { review } : {}),
    order: [...first, ...all.filter((n) => !first.includes(n))],
    changedSections,
    flagged: storedSections(last?.sections),
  };
}
