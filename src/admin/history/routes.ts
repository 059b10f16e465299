import type { Request, Router } from 'express';
import { LIMITS } from '../../limits';
import { renderPage } from '../../web/render';
import { ID_PATTERN, type FieldError } from '../../web/forms';
import { csvRows } from '../csv';
import type { AdminDeps } from '../deps';
import { berlinDayStart, error, isDay, listLinks, nextDay, pageParam, queryParam } from '../web';
import { historyPages, knownActions, searchHistory, type HistoryFilter } from './store';
import { historyLabel } from '../../audit/labels';

const PAGE_SIZE = 50;
const UID = new RegExp(`^[A-Za-z0-9][A-Za-z0-9._-]{0,${LIMITS.uid - 1}}$`);
const ACTION = /^[a-z_.]{1,60}$/;

/** action_label: the action in words, in the language of the download (appended: existing columns keep their place). */
export const HISTORY_CSV_HEADER = [
  'id',
  'at',
  'actor_uid',
  'actor_name',
  'on_behalf_of',
  'action',
  'entity_type',
  'entity_id',
  'request_id',
  'presence_id',
  'comment',
  'changes',
  'action_label',
];

/** Reads the search form (GET): every value kept, every problem named. */
function readFilter(req: Request): { values: Record<string, string>; filter: HistoryFilter; errors: FieldError[] } {
  const values = {
    praesenz: queryParam(req, 'praesenz', 20),
    antrag: queryParam(req, 'antrag', 20),
    person: queryParam(req, 'person', 100),
    aktion: queryParam(req, 'aktion', 60),
    von: queryParam(req, 'von', 10),
    bis: queryParam(req, 'bis', 10),
  };
  const filter: HistoryFilter = {};
  const errors: FieldError[] = [];
  if (values.praesenz) {
    if (ID_PATTERN.test(values.praesenz)) filter.presenceId = Number(values.praesenz);
    else errors.push(error('praesenz', 'admin.history.error.id'));
  }
  if (values.antrag) {
    if (ID_PATTERN.test(values.antrag)) filter.requestId = Number(values.antrag);
    else errors.push(error('antrag', 'admin.history.error.id'));
  }
  if (values.person) {
    if (UID.test(values.person)) filter.uid = values.person.toLowerCase();
    else errors.push(error('person', 'admin.error.uidInvalid'));
  }
  if (values.aktion) {
    if (ACTION.test(values.aktion)) filter.action = values.aktion;
    else errors.push(error('aktion', 'admin.history.error.action'));
  }
  if (values.von) {
    if (isDay(values.von)) filter.from = berlinDayStart(values.von);
    else errors.push(error('von', 'admin.error.date'));
  }
  if (values.bis) {
    if (!isDay(values.bis)) errors.push(error('bis', 'admin.error.date'));
    else if (isDay(values.von) && values.bis < values.von) errors.push(error('bis', 'admin.error.dateRange'));
    else filter.until = berlinDayStart(nextDay(values.bis));
  }
  return { values, filter, errors };
}

const changesText = (changes: unknown) => (changes ? JSON.stringify(changes) : '');

/** History search (GET form, paginated) and the CSV export of the same filter. */
export function registerHistoryRoutes(router: Router, deps: AdminDeps) {
  const { db } = deps;

  router.get('/verlauf', async (req, res) => {
    const { values, filter, errors } = readFilter(req);
    const page = pageParam(req);
    const actions = await knownActions(db);
    if (errors.length) {
      return renderPage(
        res,
        'admin/history',
        { title: res.locals.t('admin.history.title'), values, errors, actions, rows: [], total: 0, page: 1, pages: 1 },
        400,
      );
    }
    const { rows, total } = await searchHistory(db, filter, PAGE_SIZE, (page - 1) * PAGE_SIZE);
    await renderPage(res, 'admin/history', {
      title: res.locals.t('admin.history.title'),
      values,
      errors,
      actions,
      rows,
      total,
      ...listLinks(res, '/verlauf', values, page, total, PAGE_SIZE),
    });
  });

  router.get('/verlauf.csv', async (req, res) => {
    const { values, filter, errors } = readFilter(req);
    if (errors.length) {
      return renderPage(
        res,
        'admin/history',
        {
          title: res.locals.t('admin.history.title'),
          values,
          errors,
          actions: await knownActions(db),
          rows: [],
          total: 0,
          page: 1,
          pages: 1,
        },
        400,
      );
    }
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', 'attachment; filename="verlauf.csv"');
    res.write(`\uFEFF${csvRows([HISTORY_CSV_HEADER])}`);
    for await (const rows of historyPages(db, filter)) {
      res.write(
        csvRows(
          rows.map((r) => [
            r.id,
            new Date(r.at).toISOString(),
            r.actor_uid,
            r.actor_name,
            r.on_behalf_of,
            r.action,
            r.entity_type,
            r.entity_id,
            r.request_id,
            r.presence_id,
            r.comment,
            changesText(r.changes),
            historyLabel(res.locals.t, r.action),
          ]),
        ),
      );
    }
    res.end();
  });
}
