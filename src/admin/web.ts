import type { Request, Response } from 'express';
import type { z } from 'zod';
import type { SessionUser } from '../directory/user';
import { HttpError } from '../web/errors';
import type { FieldError } from '../web/forms';
import type { MessageKey } from '../i18n/keys';
import { berlinOffsetMs } from '../web/dates';

/** Small HTTP helpers shared by the administration pages. */

export const BASE = '/intern/verwaltung';

/** The stylesheet of the administration pages (print view of the approval record). */
export const ADMIN_STYLESHEETS = ['/assets/admin.css'];

/** A numeric id from the path (404 otherwise): the one parser of the whole app. */
export { pathId } from '../web/forms';

/**
 * A form field as trimmed text ('' when missing); repeated fields are a malformed request.
 * Kept whole, however long: the form's check refuses an over-long entry (src/limits.ts)
 * and shows it again as typed.
 */
export function field(body: unknown, name: string): string {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw new HttpError(400, `field ${name} is not a single value`);
  return value.replace(/\r\n?/g, '\n').trim();
}

/** A form field kept as typed (no trimming): textareas with JSON, YAML or CSV. */
export function rawField(body: unknown, name: string): string {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw new HttpError(400, `field ${name} is not a single value`);
  return value;
}

/** A query parameter as text ('' when missing); arrays and objects are a malformed URL (400). */
export function queryParam(req: Request, name: string, max = 200): string {
  const value = req.query[name];
  if (value === undefined) return '';
  if (typeof value !== 'string') throw new HttpError(400, `query ${name} is not a single value`);
  if (value.length > max) throw new HttpError(400, `query ${name} too long`);
  return value.trim();
}

/** "?seite=3": a page number, 1 when missing; anything else is a malformed URL. */
export function pageParam(req: Request): number {
  const raw = queryParam(req, 'seite', 7);
  if (raw === '') return 1;
  if (!/^[1-9]\d{0,5}$/.test(raw)) throw new HttpError(400, 'bad page number');
  return Number(raw);
}

export const currentUser = (req: Request) => req.user as SessionUser;

export function error(fieldName: string, message: MessageKey, params?: Record<string, string | number>): FieldError {
  return { field: fieldName, message, ...(params ? { params } : {}) };
}

/**
 * The administration's field errors from a zod schema: the first problem of each field, in the
 * order of `fields` (the order the form shows them). A length limit names its maximum ({max}).
 */
export function formErrors(err: z.ZodError, fields: readonly string[]): FieldError[] {
  const first = new Map<string, FieldError>();
  for (const issue of err.issues) {
    const name = issue.path.map(String).join('.') || 'form';
    if (first.has(name)) continue;
    const max = issue.code === 'too_big' ? Number(issue.maximum) : undefined;
    first.set(name, error(name, issue.message as MessageKey, max === undefined ? undefined : { max }));
  }
  const rank = (f: string) => (fields.includes(f) ? fields.indexOf(f) : fields.length);
  return [...first.values()].sort((a, b) => rank(a.field) - rank(b.field));
}

/** A URL query string from the non-empty values, for links that keep a filter. */
export function queryString(values: Record<string, string | number | undefined>): string {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(values)) if (v !== undefined && v !== '') qs.set(k, String(v));
  const s = qs.toString();
  return s ? `?${s}` : '';
}

/**
 * Page links and the CSV link of a filtered, paginated administration list at BASE + `path`
 * (the filter values stay in every link).
 */
export function listLinks(
  res: Response,
  path: string,
  values: Record<string, string>,
  page: number,
  total: number,
  pageSize: number,
) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const link = (p: number) =>
    res.locals.url(`${BASE}${path}${queryString({ ...values, seite: p > 1 ? p : undefined })}`);
  return {
    page,
    pages,
    previousHref: page > 1 ? link(page - 1) : undefined,
    nextHref: page < pages ? link(page + 1) : undefined,
    csvHref: res.locals.url(`${BASE}${path}.csv${queryString(values)}`),
  };
}

/** Sends a CSV download (the text is already complete, BOM included). */
export function sendCsv(res: Response, filename: string, text: string): void {
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
  res.send(text);
}

/** Is this a PostgreSQL unique violation (two administrators at the same moment)? */
export function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: string } | null)?.code === '23505';
}

/** 'YYYY-MM-DD' that is a real calendar date (the one check of the whole app). */
export { isCalendarDate as isDay } from '../limits';

/** The instant a Berlin calendar day starts (history is searched by local days). */
export function berlinDayStart(day: string): Date {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const guess = Date.UTC(y, m - 1, d);
  const first = guess - berlinOffsetMs(guess);
  return new Date(guess - berlinOffsetMs(first));
}

export function nextDay(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}
