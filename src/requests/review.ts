import type { WorkflowStep } from '../workflow/definition';
import { REQUEST_SECTIONS } from './form';

/**
 * What a decider states with their decision (#15): the checklist items of their step they
 * ticked (and those they did not), and — for a return or rejection — the request sections the
 * author should look at. Read from the decision form; anything the step does not offer is
 * named as an error, never stored.
 */
export interface Review {
  checked: string[];
  unchecked: string[];
  sections: number[];
}

export interface ReviewProblem {
  field: 'pruefung' | 'abschnitte';
  message: 'requests.error.checklistUnknown' | 'requests.error.sectionUnknown';
}

/** Form values as the body parser gives them (a string, repeated keys as an array). */
const values = (v: unknown): string[] =>
  (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string => typeof x === 'string');

export function readReview(
  body: Record<string, unknown>,
  step: Pick<WorkflowStep, 'checklist'> | undefined,
  outcome: string,
): { review: Review; problems: ReviewProblem[] } {
  const problems: ReviewProblem[] = [];
  const offered = (step?.checklist ?? []).map((item) => item.id);
  const ticked = values(body.pruefung);
  if (ticked.some((id) => !offered.includes(id)))
    problems.push({ field: 'pruefung', message: 'requests.error.checklistUnknown' });
  const sectionText = values(body.abschnitte);
  const numbers = REQUEST_SECTIONS.map((s) => s.n as number);
  if (sectionText.some((s) => !/^\d{1,2}$/.test(s) || !numbers.includes(Number(s))))
    problems.push({ field: 'abschnitte', message: 'requests.error.sectionUnknown' });
  const checked = offered.filter((id) => ticked.includes(id));
  // sections point the author somewhere: only a return or a rejection does that
  const sections =
    outcome === 'return' || outcome === 'reject' ? numbers.filter((n) => sectionText.includes(String(n))) : [];
  return {
    review: { checked, unchecked: offered.filter((id) => !checked.includes(id)), sections },
    problems,
  };
}

/** The sections a stored decision points to (a JSON column; older decisions have none). */
export function storedSections(value: unknown): number[] {
  return Array.isArray(value) ? value.filter((n): n is number => typeof n === 'number') : [];
}
