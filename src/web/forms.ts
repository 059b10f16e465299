import type { z } from 'zod';
import type { MessageKey } from '../i18n/keys';
import { HttpError } from './errors';

/** A field error as the views show it: next to the field and in the summary at the top. */
export interface FieldError {
  field: string;
  message: MessageKey;
  params?: Record<string, string | number>;
}

/**
 * Maps zod issues to field errors. Schemas put a message key into each issue's message;
 * the first problem of each field is shown. A length limit gives its maximum as `max` (the
 * messages say "at most {max} characters"); a refinement may pass its own `params`.
 */
export function fieldErrors(error: z.ZodError): FieldError[] {
  const seen = new Set<string>();
  const out: FieldError[] = [];
  for (const issue of error.issues) {
    const field = issue.path.map(String).join('.') || 'form';
    if (seen.has(field)) continue;
    seen.add(field);
    const params =
      issue.code === 'too_big'
        ? { max: Number(issue.maximum) }
        : issue.code === 'custom' && issue.params
          ? (issue.params as Record<string, string | number>)
          : undefined;
    out.push({ field, message: issue.message as MessageKey, ...(params ? { params } : {}) });
  }
  return out;
}

/** Returns the first value of a form field that may have arrived as an array. */
export function single(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** A database id as it appears in paths and filters: 1 to 999,999,999, no leading zero. */
export const ID_PATTERN = /^[1-9]\d{0,8}$/;

/** A numeric id from the path; anything else is a page that does not exist (404). */
export function pathId(value: string | string[] | undefined): number {
  if (typeof value !== 'string' || !ID_PATTERN.test(value)) throw new HttpError(404);
  return Number(value);
}
