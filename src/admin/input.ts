import { z } from 'zod';
import { HttpError } from '../web/errors';
import type { FieldError } from '../web/forms';
import type { MessageKey } from '../i18n/keys';
import { formErrors } from './web';

/**
 * The administration's input pipeline (issue 11 point 3): every form body and every query
 * string of src/admin/ is read by a zod schema that owns its limits (src/limits.ts, matching
 * the columns) and its messages (message keys). Three kinds of input, three readers:
 *
 * - fields a person types (`parseForm`): every problem comes back as a FieldError, in the
 *   form's order, together with every entry as typed, so the form is shown again with nothing lost;
 * - controls nobody types (hidden fields, buttons, filter links, tokens: `parseControls`,
 *   `parseQuery`): a value no page of the portal offers is a malformed request (400);
 * - notice flags set by the portal's own redirects (`readNotices`): anything unexpected shows no
 *   notice, a stale or edited address is no error.
 *
 * A field that arrives repeated or nested (`a=1&a=2`) comes from no form of the portal: 400 for all three.
 */

/** A typed field: trimmed, line ends as LF, '' when missing. */
export const text = z
  .string()
  .optional()
  .transform((v) => (v ?? '').replace(/\r\n?/g, '\n').trim());

/** A textarea kept exactly as typed (JSON, YAML, CSV): only '' when missing. */
export const rawText = z
  .string()
  .optional()
  .transform((v) => v ?? '');

/** A typed field with its length limit: over-long text is refused with `admin.error.tooLong` and its {max}. */
export const limited = (max: number) => text.pipe(z.string().max(max, key('admin.error.tooLong')));

/** A message key as a zod message (checked against the catalogue's keys). */
export const key = (k: MessageKey) => k;

type Input = Record<string, unknown>;
const asInput = (value: unknown): Input =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Input) : {};

/** Refuses a field of the schema that arrived as anything but one text (repeated, nested). */
function singleValues(schema: z.ZodObject, input: Input): void {
  for (const name of Object.keys(schema.shape)) {
    const value = input[name];
    if (value !== undefined && typeof value !== 'string') throw new HttpError(400, `${name} is not a single value`);
  }
}

export type FormResult<T> =
  | { ok: true; data: T; values: Record<string, string> }
  | { ok: false; errors: FieldError[]; values: Record<string, string> };

/**
 * Reads a form (or a GET search form) that a person fills in. `values` are the entries as
 * typed (trimmed like `text`), in both outcomes, so that a refused form keeps every entry.
 * Errors come in the order of the schema's fields (the order the form shows them).
 */
export function parseForm<S extends z.ZodObject>(schema: S, body: unknown): FormResult<z.output<S>> {
  const input = asInput(body);
  singleValues(schema, input);
  const fields = Object.keys(schema.shape);
  const values = Object.fromEntries(fields.map((f) => [f, text.parse(input[f])]));
  const parsed = schema.safeParse(input);
  if (parsed.success) return { ok: true, data: parsed.data, values };
  return { ok: false, errors: formErrors(parsed.error, fields), values };
}

/** Reads controls nobody types: anything the pages never send is a malformed request (400). */
export function parseControls<S extends z.ZodObject>(schema: S, input: unknown): z.output<S> {
  const fields = asInput(input);
  singleValues(schema, fields);
  const parsed = schema.safeParse(fields);
  if (!parsed.success) throw new HttpError(400, `invalid input: ${parsed.error.issues[0]?.path.join('.')}`);
  return parsed.data;
}

/** A query string of links the portal makes (filters, page numbers): the same rule as controls. */
export const parseQuery = parseControls;

/**
 * Notices after the portal's own redirects (`?gespeichert=1`): the names whose value is '1'.
 * Missing, repeated or any other value shows no notice.
 */
export function readNotices<K extends string>(query: unknown, names: readonly K[]): Set<K> {
  const input = asInput(query);
  return new Set(names.filter((n) => input[n] === '1'));
}

/** "?seite=3": a page number of a list, 1 when missing; anything else is a malformed link. */
export const pageNumber = z
  .string()
  .regex(/^[1-9]\d{0,5}$/)
  .optional()
  .transform((v) => (v === undefined ? 1 : Number(v)));

/** A database id in a query string ('' or missing: none). */
export const optionalId = z
  .string()
  .optional()
  .transform((v) => (v ?? '').trim())
  .pipe(z.union([z.literal(''), z.string().regex(/^[1-9]\d{0,8}$/)]))
  .transform((v) => (v === '' ? undefined : Number(v)));

/** The token of a checked CSV upload (admin_uploads.token: 24 random bytes, base64url). */
const TOKEN = /^[A-Za-z0-9_-]{20,64}$/;
export const isToken = (value: string) => TOKEN.test(value);

/** The "import now" button: the token of a checked upload (an unknown or malformed one finds no upload: 404). */
export const importRunSchema = z.object({ token: text });

/** A token in the path of a finished import; undefined when it cannot be one (404). */
export const tokenParam = (value: unknown) => (typeof value === 'string' && isToken(value) ? value : undefined);
