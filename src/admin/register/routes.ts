import type { Request, Router } from 'express';
import { listUnits, unitTree } from '../../registry/org-units';
import { HttpError } from '../../web/errors';
import { renderPage } from '../../web/render';
import { csvDocument } from '../csv';
import type { AdminDeps } from '../deps';
import { listLinks, pageParam, pathId, queryParam, sendCsv } from '../web';
import { allRegister, approvalRecord, listRegister, type RegisterFilter } from './store';

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
  const { db } = deps;

  /** Filter from the URL; unknown values are a malformed link (400), not an empty list. */
  async function readFilter(req: Request) {
    const values = {
      status: queryParam(req, 'status', 10),
      plattform: queryParam(req, 'plattform', 40),
      einheit: queryParam(req, 'einheit', 40),
      markiert: queryParam(req, 'markiert', 2),
    };
    const filter: RegisterFilter = {};
    if (values.status) {
      if (values.status !== 'active' && values.status !== 'closed') throw new HttpError(400, 'unknown status');
      filter.status = values.status;
    }
    const platforms: Array<{ key: string; name: string }> = await db('platforms')
      .orderBy('sort_order')
      .select('key', 'name');
    if (values.plattform) {
      if (!platforms.some((p) => p.key === values.plattform)) throw new HttpError(400, 'unknown platform');
      filter.platform = values.plattform;
    }
    const units = await listUnits(db, { includeRetired: true });
    if (values.einheit) {
      if (!units.some((u) => u.code === values.einheit)) throw new HttpError(400, 'unknown unit');
      filter.unit = values.einheit;
    }
    if (values.markiert) {
      if (values.markiert !== '1') throw new HttpError(400, 'bad flag');
      filter.flagged = true;
    }
    return { values, filter, platforms, units: unitTree(units) };
  }

  router.get('/register', async (req, res) => {
    const { values, filter, platforms, units } = await readFilter(req);
    const page = pageParam(req);
    const { rows, total } = await listRegister(db, filter, PAGE_SIZE, (page - 1) * PAGE_SIZE);
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
    const rows = await allRegister(db, filter);
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
    const record = await approvalRecord(db, pathId(req.params.id));
    if (!record) throw new HttpError(404);
    const uids = new Set<string>();
    for (const d of record.decisions) [d.actor_uid, d.on_behalf_of].forEach((u) => u && uids.add(u));
    for (const h of record.history) [h.actor_uid, h.on_behalf_of].forEach((u) => u && uids.add(u));
    for (const i of record.instances)
      for (const st of Object.values(
        (i.state?.steps ?? {}) as Record<string, { decidedBy?: string; onBehalfOf?: string }>,
      ))
        [st.decidedBy, st.onBehalfOf].forEach((u) => u && uids.add(u));
    const names: Record<string, string> = {};
    for (const p of await db('people')
      .whereIn('uid', [...uids])
      .select('uid', 'name'))
      names[p.uid] = p.name;
    for (const d of record.decisions) names[d.actor_uid] ??= d.actor_name;
    await renderPage(res, 'admin/register/record', {
      title: res.locals.t('admin.record.title', { name: record.presence.name }),
      ...record,
      names,
      printedAt: deps.clock(),
    });
  });
}
