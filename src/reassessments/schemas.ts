import { z } from 'zod';
import { LIMITS, isCalendarDate, isoDay } from '../limits';
import type { FieldError } from '../web/forms';
import type { MessageKey } from '../i18n/keys';

/**
 * The two forms of the re-assessments, each one zod schema that owns its limits and messages:
 * opening a re-assessment, and a presence's answer (confirm, or close). The values come back
 * as typed when the form is refused, so every field is read as a plain string first.
 */

/** The texts' limits: the reason and the comment are `text` columns; the closing reason is presences.close_reason. */
export const REASSESSMENT_LIMITS = {
  reason: 2000,
  comment: LIMITS.comment,
  closeReason: LIMITS.closeReason,
  /** A deadline at most this many days ahead. */
  maxDays: 366,
} as const;

/** One form field as a string: a repeated or missing field counts as empty. */
const str = (v: unknown) => (typeof v === 'string' ? v : '');
const text = (max: number, empty: MessageKey) =>
  z
    .string()
    .trim()
    .min(1, empty)
    .max(max, 'reassessments.error.tooLong' satisfies MessageKey);
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, 'reassessments.error.tooLong' satisfies MessageKey);
const checked = (message: MessageKey) => z.string().refine((v) => v === 'ja', message);

export const openSchema = z.object({
  plattform: z.string().trim().min(1, 'reassessments.error.platform').max(40, 'reassessments.error.platform'),
  grund: text(REASSESSMENT_LIMITS.reason, 'reassessments.error.reason'),
  frist: z
    .string()
    .trim()
    .transform(isoDay)
    .refine(isCalendarDate, 'reassessments.error.deadline' satisfies MessageKey),
  sperren: z.string().transform((v) => v === 'ja'),
});
export type OpenInput = z.output<typeof openSchema>;
/** The open form as typed, for showing it again. */
export type OpenValues = Record<keyof z.input<typeof openSchema>, string>;

export const confirmSchema = z.object({
  bedarf: checked('reassessments.error.need'),
  datenschutz: checked('reassessments.error.privacy'),
  kommentar: optionalText(REASSESSMENT_LIMITS.comment),
});
export type ConfirmValues = Record<keyof z.input<typeof confirmSchema>, string>;

export const closeSchema = z.object({
  grund: text(REASSESSMENT_LIMITS.closeReason, 'reassessments.error.closeReason'),
});

/** The fields a schema reads, each as a string (as typed). */
export function formValues<K extends string>(body: unknown, keys: readonly K[]): Record<K, string> {
  const b = (body ?? {}) as Record<string, unknown>;
  return Object.fromEntries(keys.map((k) => [k, str(b[k])])) as Record<K, string>;
}

/** Parses with a schema; the first problem of each field as a FieldError (with the maximum for "too long"). */
export function parseForm<S extends z.ZodObject>(
  schema: S,
  values: Record<string, string>,
): { ok: true; data: z.output<S> } | { ok: false; errors: FieldError[] } {
  const result = schema.safeParse(values);
  if (result.success) return { ok: true, data: result.data };
  const seen = new Set<string>();
  const errors: FieldError[] = [];
  for (const issue of result.error.issues) {
    const field = issue.path.map(String).join('.') || 'form';
    if (seen.has(field)) continue;
    seen.add(field);
    errors.push({
      field,
      message: issue.message as MessageKey,
      ...(issue.code === 'too_big' ? { params: { max: Number(issue.maximum) } } : {}),
    });
  }
  return { ok: false, errors };
}
