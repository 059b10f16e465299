import type { Request, Response } from 'express';
import type { MessageKey } from '../i18n/keys';
import type { SessionUser } from '../directory/user';
import type { FieldError } from '../web/forms';
import { csvDocument } from '../admin/csv';
import {
  CSV_LIMIT,
  PAGE_SIZE,
  STATUSES,
  taskQuerySchema,
  type FilterChoices,
  type TaskListService,
  type TaskQuery,
} from '../requests/task-list';

/**
 * The GET filter form of "Meine Aufgaben" and of the request list (#15): the query parsed with
 * zod and checked against the choices; a bad value gives the page again with the error named
 * (400), never a 500.
 */
const FIELDS = ['schritt', 'einheit', 'plattform', 'ueberfaellig', 'q', 'sortierung', 'stand', 'seite'] as const;

export function readTaskQuery(
  req: Request,
  choices: FilterChoices,
  opts: { statuses: boolean },
): { filter: TaskQuery | undefined; values: Record<string, string>; errors: FieldError[] } {
  const values: Record<string, string> = {};
  for (const f of FIELDS) {
    const v = req.query[f];
    if (typeof v === 'string') values[f] = v;
  }
  const raw = { ...req.query };
  if (!opts.statuses) delete raw.stand;
  const parsed = taskQuerySchema.safeParse(Object.fromEntries(FIELDS.map((f) => [f, raw[f]])));
  const errors: FieldError[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? 'q');
      if (errors.some((e) => e.field === field)) continue;
      errors.push({
        field,
        message: (issue.message.startsWith('requests.filter.error.')
          ? issue.message
          : 'requests.filter.error.invalid') as MessageKey,
      });
    }
    return { filter: undefined, values, errors };
  }
  const filter = parsed.data;
  if (filter.schritt && !choices.steps.some((s) => s.id === filter.schritt))
    errors.push({ field: 'schritt', message: 'requests.filter.error.step' });
  if (filter.einheit && !choices.units.some((u) => u.unit.code === filter.einheit))
    errors.push({ field: 'einheit', message: 'requests.filter.error.unit' });
  if (filter.plattform && !choices.platforms.some((p) => p.key === filter.plattform))
    errors.push({ field: 'plattform', message: 'requests.filter.error.platform' });
  return { filter: errors.length > 0 ? undefined : filter, values, errors };
}

/** A query string from the filter values (without the page unless given). */
export function queryString(values: Record<string, string | number | undefined>): string {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(values)) if (v !== undefined && v !== '') qs.set(k, String(v));
  const s = qs.toString();
  return s ? `?${s}` : '';
}

/** Paging and CSV links of a filtered list at `path`. */
export function listLinks(
  res: Response,
  path: string,
  values: Record<string, string>,
  opts: { anchor?: string; csvPath?: string } = {},
) {
  const anchor = opts.anchor ?? '';
  const { seite: _page, ...keep } = values;
  return {
    pageHref: (n: number) =>
      res.locals.url(`${path}${queryString({ ...keep, seite: n > 1 ? n : undefined })}${anchor}`),
    csvHref: res.locals.url(`${opts.csvPath ?? path}.csv${queryString(keep)}`),
    resetHref: res.locals.url(`${path}${anchor}`),
    filtered: Object.entries(keep).some(([, v]) => v !== ''),
  };
}

export const paging = (filter: TaskQuery | undefined) => ({
  limit: PAGE_SIZE,
  offset: ((filter?.seite ?? 1) - 1) * PAGE_SIZE,
});

const stepName = (name: { de: string; en: string }, locale: string) => (locale === 'en' ? name.en : name.de) || name.de;

/** "Meine Aufgaben" as CSV (the same filter, every page). */
export async function sendTasksCsv(req: Request, res: Response, service: TaskListService, filter: TaskQuery) {
  const t = res.locals.t;
  const locale = res.locals.locale as string;
  const { rows } = await service.myTasks(req.user as SessionUser, filter, { limit: CSV_LIMIT, offset: 0 });
  const header = [
    t('requests.col.id'),
    t('requests.col.request'),
    t('requests.col.unit'),
    t('requests.col.platform'),
    t('requests.col.account'),
    t('requests.col.waitingAt'),
    t('requests.col.since'),
    t('requests.col.deadline'),
    t('requests.tasks.overdue'),
  ];
  sendCsv(
    res,
    'aufgaben.csv',
    csvDocument(
      header,
      rows.map((r) => [
        r.id,
        r.title,
        r.unit_name,
        r.platform,
        r.url,
        stepName(r.stepName, locale) +
          (r.onBehalfOf ? ` (${t('requests.tasks.onBehalfOf', { name: r.onBehalfOf })})` : ''),
        r.opened_at,
        r.due_at,
        r.overdue ? t('requests.form.yes') : '',
      ]),
    ),
  );
}

/** The request list as CSV (the same filter, every page): for the press office's reports. */
export async function sendRequestsCsv(req: Request, res: Response, service: TaskListService, filter: TaskQuery) {
  const t = res.locals.t;
  const locale = res.locals.locale as string;
  const { rows } = await service.requestList(req.user as SessionUser, filter, { limit: CSV_LIMIT, offset: 0 });
  const header = [
    t('requests.col.id'),
    t('requests.col.request'),
    t('requests.col.unit'),
    t('requests.col.platform'),
    t('requests.col.account'),
    t('requests.col.status'),
    t('requests.col.waitingAt'),
    t('requests.col.since'),
    t('requests.col.deadline'),
    t('requests.col.updated'),
  ];
  sendCsv(
    res,
    'antraege.csv',
    csvDocument(
      header,
      rows.map((r) => [
        r.id,
        r.title,
        r.unit_name,
        r.platform,
        r.url,
        t(`requests.status.${r.status}` as MessageKey),
        r.waitingAt.length > 0
          ? r.waitingAt.map((w) => stepName(w.name, locale)).join(', ')
          : r.status === 'returned'
            ? t('requests.waits.author')
            : '',
        r.since,
        r.due,
        r.updated_at,
      ]),
    ),
  );
}

function sendCsv(res: Response, filename: string, text: string) {
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
  res.send(text);
}

export { STATUSES };
