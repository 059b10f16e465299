import { z } from 'zod';
import { fieldErrors, type FieldError } from '../web/forms';

/** Parsing of public query strings (zod). Nothing here throws: bad input becomes a field error. */

export const MAX_QUERY_LENGTH = 200;
export const MAX_SEARCH_WORDS = 8;
const MAX_WORD_LENGTH = 60;
const MAX_PAGE = 999_999;

export type { FieldError };

export interface OverviewQuery {
  q: string;
  plattform: string | undefined;
  bereich: string | undefined;
  seite: number;
}

/** What the form shows again when the query was refused: the raw values, as typed. */
export type RawOverviewQuery = Record<'q' | 'plattform' | 'bereich', string>;

export const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,118}[a-z0-9])?$/;
const PLATFORM_KEY = /^[a-z][a-z0-9_-]{0,39}$/;
const UNIT_CODE = /^[^\s\u0000-\u001f]{1,40}$/;

/** One value of a parameter; a repeated one (an array) is refused: no link of the portal sends it. */
const oneValue = z
  .custom<string | undefined>((v) => v === undefined || typeof v === 'string', { message: 'public.error.repeated' })
  .optional()
  .transform((v) => v ?? '');
const trimmed = oneValue.transform((v) => v.trim());

/**
 * The overview's query (`q`, `plattform`, `bereich`, `seite`); unknown parameters are
 * ignored. Each parameter's limit and message is here; the search text's white space is
 * collapsed before its length is judged, no page is the first.
 */
const overviewSchema = z.object({
  q: oneValue
    .transform((v) => v.replace(/\s+/g, ' ').trim())
    .pipe(z.string().max(MAX_QUERY_LENGTH, 'public.error.qTooLong')),
  plattform: trimmed.pipe(z.string().refine((v) => v === '' || PLATFORM_KEY.test(v), 'public.error.platformUnknown')),
  bereich: trimmed.pipe(z.string().refine((v) => v === '' || UNIT_CODE.test(v), 'public.error.unitUnknown')),
  seite: trimmed.pipe(
    z
      .string()
      .refine(
        (v) => v === '' || (/^\d{1,6}$/.test(v) && Number(v) >= 1 && Number(v) <= MAX_PAGE),
        'public.error.pageInvalid',
      )
      .transform((v) => (v === '' ? 1 : Number(v))),
  ),
});

/** The form shows again what was typed: each value as sent, a repeated one as empty. */
const rawOf = (query: Record<string, unknown>): RawOverviewQuery => {
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  return { q: text(query.q), plattform: text(query.plattform), bereich: text(query.bereich) };
};

/** Returns the normalised query, or the errors to show next to the form fields. */
export function parseOverviewQuery(
  query: Record<string, unknown>,
):
  | { ok: true; query: OverviewQuery; raw: RawOverviewQuery }
  | { ok: false; errors: FieldError[]; raw: RawOverviewQuery } {
  const raw = rawOf(query);
  const parsed = overviewSchema.safeParse(query);
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error), raw };
  const { q, plattform, bereich, seite } = parsed.data;
  return { ok: true, raw, query: { q, plattform: plattform || undefined, bereich: bereich || undefined, seite } };
}

/** Search words: letters and digits only (so they are safe inside a tsquery), at most 8. */
export function searchWords(q: string): string[] {
  const words = q
    .normalize('NFC')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0)
    .map((w) => w.slice(0, MAX_WORD_LENGTH).toLowerCase());
  return [...new Set(words)].slice(0, MAX_SEARCH_WORDS);
}

/** The normalised query as a query string (for cache keys, links and the language switch). */
export function overviewQueryString(q: Partial<OverviewQuery>): string {
  if (!q.q && !q.plattform && !q.bereich && (q.seite === undefined || q.seite <= 1)) return '';
  const params = new URLSearchParams();
  if (q.q) params.set('q', q.q);
  if (q.plattform) params.set('plattform', q.plattform);
  if (q.bereich) params.set('bereich', q.bereich);
  if (q.seite !== undefined && q.seite > 1) params.set('seite', String(q.seite));
  const s = params.toString();
  return s ? `?${s}` : '';
}

export type VerifyInput = { kind: 'missing' } | { kind: 'repeated' } | { kind: 'value'; value: string };

/** The check's one parameter: missing (the empty form), repeated (refused) or the address typed. */
const verifySchema = z.object({ url: z.string().optional() });

export function parseVerifyQuery(query: Record<string, unknown>): VerifyInput {
  const parsed = verifySchema.safeParse(query);
  if (!parsed.success) return { kind: 'repeated' };
  return parsed.data.url === undefined ? { kind: 'missing' } : { kind: 'value', value: parsed.data.url };
}
