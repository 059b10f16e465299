import type { FieldError } from '../web/forms';

/** Parsing of public query strings. Nothing here throws: bad input becomes a field error. */

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

function single(query: Record<string, unknown>, name: string): { value: string } | { repeated: true } {
  const v = query[name];
  if (v === undefined) return { value: '' };
  if (typeof v === 'string') return { value: v };
  return { repeated: true };
}

/**
 * The overview's query (`q`, `plattform`, `bereich`, `seite`); unknown parameters are
 * ignored. Returns the normalised query or the errors to show next to the form fields.
 */
export function parseOverviewQuery(
  query: Record<string, unknown>,
):
  | { ok: true; query: OverviewQuery; raw: RawOverviewQuery }
  | { ok: false; errors: FieldError[]; raw: RawOverviewQuery } {
  const errors: FieldError[] = [];
  const raw: RawOverviewQuery = { q: '', plattform: '', bereich: '' };
  const values: Record<string, string> = {};
  for (const name of ['q', 'plattform', 'bereich', 'seite'] as const) {
    const s = single(query, name);
    if ('repeated' in s) {
      errors.push({ field: name, message: 'public.error.repeated' });
      values[name] = '';
    } else {
      values[name] = s.value;
      if (name !== 'seite') raw[name] = s.value;
    }
  }
  const q = (values.q ?? '').replace(/\s+/g, ' ').trim();
  if (q.length > MAX_QUERY_LENGTH)
    errors.push({ field: 'q', message: 'public.error.qTooLong', params: { max: MAX_QUERY_LENGTH } });
  const plattform = (values.plattform ?? '').trim();
  if (plattform !== '' && !PLATFORM_KEY.test(plattform))
    errors.push({ field: 'plattform', message: 'public.error.platformUnknown' });
  const bereich = (values.bereich ?? '').trim();
  if (bereich !== '' && !UNIT_CODE.test(bereich))
    errors.push({ field: 'bereich', message: 'public.error.unitUnknown' });
  const seiteText = (values.seite ?? '').trim();
  let seite = 1;
  if (seiteText !== '') {
    seite = /^\d{1,6}$/.test(seiteText) ? Number(seiteText) : 0;
    if (seite < 1 || seite > MAX_PAGE) errors.push({ field: 'seite', message: 'public.error.pageInvalid' });
  }

  if (errors.length > 0) return { ok: false, errors, raw };
  return {
    ok: true,
    raw,
    query: {
      q,
      plattform: plattform || undefined,
      bereich: bereich || undefined,
      seite,
    },
  };
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

export function parseVerifyQuery(query: Record<string, unknown>): VerifyInput {
  const v = query.url;
  if (v === undefined) return { kind: 'missing' };
  if (typeof v !== 'string') return { kind: 'repeated' };
  return { kind: 'value', value: v };
}
