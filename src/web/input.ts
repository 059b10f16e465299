import { z } from 'zod';
import { fieldErrors, type FieldError } from './forms';
import { HttpError } from './errors';

/**
 * The input pipeline of the staff and public pages (issue 11 point 3): every form body and
 * every query string is read by a zod schema that owns its limits (src/limits.ts, matching
 * the columns) and its messages (message keys), and refusals come out as one FieldError list.
 */

/**
 * One form field as text: trimmed, line ends as LF. A missing field, and one that arrived
 * repeated (an array) or as anything else, is empty: no person's browser sends that.
 * (`.optional()` first: zod 4 refuses a missing key unless its schema says it may be missing.)
 */
export const formText = z
  .unknown()
  .optional()
  .transform((v) => (typeof v === 'string' ? v.replace(/\r\n/g, '\n').trim() : ''));

/** A text field with its length limit: over-long text is refused with `message` and `{max}`. */
export const limitedText = (max: number, message: string) => formText.pipe(z.string().max(max, message));

/** A form's outcome: the parsed data, or every error together with what was typed (to show again). */
export type FormResult<T> = { ok: true; data: T } | { ok: false; errors: FieldError[]; values: Record<string, string> };

/** Parses a form body; on refusal the entries come back as typed (trimmed), none lost. */
export function parseForm<S extends z.ZodObject>(schema: S, body: unknown): FormResult<z.output<S>> {
  const parsed = schema.safeParse(body ?? {});
  if (parsed.success) return { ok: true, data: parsed.data };
  const source = (body ?? {}) as Record<string, unknown>;
  const values: Record<string, string> = {};
  for (const key of Object.keys(schema.shape)) values[key] = formText.parse(source[key]);
  return { ok: false, errors: fieldErrors(parsed.error), values };
}

/**
 * Parses a query string. A query no link of the portal produces (an unknown filter value, a
 * repeated parameter) is answered with the friendly 400 page, never a 500.
 */
export function parseQuery<S extends z.ZodType>(schema: S, query: unknown): z.output<S> {
  const parsed = schema.safeParse(query ?? {});
  if (!parsed.success) throw new HttpError(400, 'invalid query');
  return parsed.data;
}

/**
 * Notice flags set by the portal's own redirects (`?gespeichert=1`): '1' shows the notice,
 * anything else (missing, another value, repeated) shows none — a stale or edited address
 * is no error. `erinnert` also says "nobody was left to remind" with '0'.
 */
export function noticeFlags<K extends string>(...names: K[]) {
  const flag = z.enum(['0', '1']).optional().catch(undefined);
  return z.object(Object.fromEntries(names.map((n) => [n, flag])) as Record<K, typeof flag>);
}

/**
 * A form's hidden fields and buttons: nobody types them, so a value no page of the portal
 * offers is answered like a bad query (400), not as a field error.
 */
export const parseControls = parseQuery;
