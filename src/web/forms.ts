import type { z } from 'zod';
import type { MessageKey } from './messages';

/** A field error as the views show it: next to the field and in the summary at the top. */
export interface FieldError {
  field: string;
  message: MessageKey;
  params?: Record<string, string | number>;
}

/**
 * Maps zod issues to field errors. Schemas put a message key into each issue's message;
 * the first problem of each field is shown.
 */
export function fieldErrors(error: z.ZodError): FieldError[] {
  const seen = new Set<string>();
  const out: FieldError[] = [];
  for (const issue of error.issues) {
    const field = issue.path.map(String).join('.') || 'form';
    if (seen.has(field)) continue;
    seen.add(field);
    out.push({ field, message: issue.message as MessageKey });
  }
  return out;
}

/** Returns the first value of a form field that may have arrived as an array. */
export function single(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
