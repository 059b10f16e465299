import type { Request, Router } from 'express';
import { renderPage } from '../../web/render';
import type { FieldError } from '../../web/forms';
import { csvRows } from '../csv';
import type { AdminDeps } from '../deps';
import { parseForm, parseQuery } from '../input';
import { listLinks } from '../web';
import type { HistoryFilter } from './store';
import { historyFilter, historyPageSchema, historySearchSchema } from './schemas';
import { historyLabel } from '../../audit/labels';

const PAGE_SIZE = 50;

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
  const form = parseForm(historySearchSchema, req.query);
  if (!form.ok) return { values: form.values, filter: {}, errors: form.errors };
  return { values: form.values, filter: historyFilter(form.data), errors: [] };
}

const changesText = (changes: unknown) => (changes ? JSON.stringify(changes) : '');

/** History search (GET form, paginated) and the CSV export of the same filter. */
export function registerHistoryRoutes(router: Router, deps: AdminDeps) {
  const history = deps.history;

  router.get('/verlauf', async (req, res) => {
    const { values, filter, errors } = readFilter(req);
    const { seite: page } = parseQuery(historyPageSchema, req.query);
    const actions = await history.knownActions();
    if (errors.length) {
      return renderPage(
        res,
        'admin/history',
        { title: res.locals.t('admin.history.title'), values, errors, actions, rows: [], total: 0, page: 1, pages: 1 },
        400,
      );
    }
    const { rows, total } = await history.search(filter, PAGE_SIZE, (page - 1) * PAGE_SIZE);
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
          actions: await history.knownActions(),
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
    for await (const rows of history.pages(filter)) {
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
