import type { Request, Router } from 'express';
import { unitTree } from '../../registry/org-units';
import { HttpError } from '../../web/errors';
import { renderPage } from '../../web/render';
import { csvDocument } from '../csv';
import type { AdminDeps } from '../deps';
import { parseQuery } from '../input';
import { listLinks, pathId, sendCsv } from '../web';
import type { RegisterFilter } from './store';
import { registerQuery } from './schemas';

const PAGE_SIZE = 100;

export const REGISTER_CSV_HEADER = [
  'id',
  'name',
  'platform',
  'account_id',
  'url',
  'status',
  'unit_code',
  'unit_name',
  'hannover_de_url',
  'published_at',
  'closed_at',
  'close_reason',
  'last_confirmed_at',
  'review_due',
  'review_overdue',
  'editors_flagged',
  'editors',
  'request_id',
];

/** The internal register: every presence in every state, filters, CSV, printable approval record. */
export function registerRegisterRoutes(router: Router, deps: AdminDeps) {
  const register = deps.register;

  /** Filter from the URL; unknown values are a malformed link (400), not an empty list. */
  async function readFilter(req: Request) {
    const { seite: page, ...values } = parseQuery(registerQuery, req.query);
    const { platforms, units } = await register.choices();
    const filter: RegisterFilter = {};
    if (values.status) filter.status = values.status;
    if (values.plattform) {
      if (!platforms.some((p) => p.key === values.plattform)) throw new HttpError(400, 'unknown platform');
      filter.platform = values.plattform;
    }
    if (values.einheit) {
      if (!units.some((u) => u.code === values.einheit)) throw new HttpError(400, 'unknown unit');
      filter.unit = values.einheit;
    }
    if (values.markiert) filter.flagged = true;
    return { values, page, filter, platforms, units: unitTree(units) };
  }

  router.get('/register', async (req, res) => {
    const { values, page, filter, platforms, units } = await readFilter(req);
    const { rows, total } = await register.list(filter, PAGE_SIZE, (page - 1) * PAGE_SIZE);
    await renderPage(res, 'admin/register/list', {
      title: res.locals.t('admin.register.title'),
      values,
      platforms,
      units,
      rows,
      total,
      ...listLinks(res, '/register', values, page, total, PAGE_SIZE),
    });
  });

  router.get('/register.csv', async (req, res) => {
    const { filter } = await readFilter(req);
    const rows = await register.all(filter);
    const iso = (d: Date | null) => (d ? new Date(d).toISOString() : '');
    sendCsv(
      res,
      'register.csv',
      csvDocument(
        REGISTER_CSV_HEADER,
        rows.map((r) => [
          r.id,
          r.name,
          r.platform_key,
          r.account_id,
          r.url,
          r.status,
          r.unit_code,
          r.unit_name,
          r.hannover_de_url,
          iso(r.published_at),
          iso(r.closed_at),
          r.close_reason,
          iso(r.last_confirmed_at),
          r.review_due,
          r.review_overdue ? 'ja' : 'nein',
          r.editors_flagged ? 'ja' : 'nein',
          r.editors.join(' '),
          r.request_id,
        ]),
      ),
    );
  });

  router.get('/register/:id/nachweis', async (req, res) => {
    const record = await register.record(pathId(req.params.id));
    if (!record) throw new HttpError(404);
    await renderPage(res, 'admin/register/record', {
      title: res.locals.t('admin.record.title', { name: record.presence.name }),
      ...record,
    });
  });
}
