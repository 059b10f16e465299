import { Router, type Request } from 'express';
import type { Knex } from 'knex';
import type { Config } from '../config';
import type { Directory } from '../directory/directory';
import type { SessionUser } from '../directory/user';
import { renderPage } from '../web/render';
import { HttpError } from '../web/errors';
import { createRequestService } from '../requests/service';
import { createNotifier } from '../requests/notify';
import { requestRoutes, requestErrorHandler } from '../requests/routes';
import { substitutionRoutes } from '../requests/substitutions';
import { maySeeReassessments, whereRequestVisible } from '../policy/access';
import { selfViewer } from '../policy/viewer';
import { outboxRoutes } from '../notifications/routes';
import { adminRoutes } from '../admin/routes';
import { presenceRoutes } from '../presences/routes';
import { guidelineRoutes } from '../guidelines/routes';
import { toDoFor } from './todo';
import { reassessmentRoutes } from '../reassessments/routes';
import type { ReassessmentService } from '../reassessments/service';

const STATUSES = ['draft', 'in_review', 'returned', 'rejected', 'withdrawn', 'published'] as const;

/** The staff area: task list, requests, deputies; every route behind the sign-in guard. */
export function internRoutes(deps: {
  config: Config;
  db: Knex;
  directory: Directory;
  clock: () => Date;
  reassessments: ReassessmentService;
}) {
  const { db, directory, clock, config, reassessments } = deps;
  const service = createRequestService({
    db,
    directory,
    clock,
    notify: createNotifier({ baseUrl: config.baseUrl, directory }),
  });
  const router = Router();
  const user = (req: Request) => req.user as SessionUser;

  router.get('/', async (req, res) => {
    const me = user(req);
    const tasks = await service.tasksFor(me);
    const mine = await db('requests').where({ author_uid: me.uid }).orderBy('updated_at', 'desc').limit(50);
    const todo = await toDoFor(db, me, clock(), reassessments);
    const unit = me.unit ? await db('org_units').where({ code: me.unit }).first('name') : undefined;
    const notice = req.query.geloescht ? 'requests.delete.done' : undefined;
    await renderPage(res, 'intern/home', {
      title: res.locals.t('requests.tasks.title'),
      tasks,
      mine,
      todo,
      confirmations: todo.toConfirm,
      unitName: unit?.name,
      showReassessments: maySeeReassessments(me),
      notice,
    });
  });

  router.get('/antraege', async (req, res) => {
    const me = user(req);
    const status = typeof req.query.stand === 'string' && req.query.stand !== '' ? req.query.stand : undefined;
    if (status !== undefined && !(STATUSES as readonly string[]).includes(status)) throw new HttpError(400);
    const q = db('requests as r')
      .leftJoin('org_units as u', 'u.id', 'r.org_unit_id')
      .select('r.*', 'u.name as unit_name')
      .orderBy('r.updated_at', 'desc')
      .limit(500);
    if (status) q.where('r.status', status);
    whereRequestVisible(q, db, await selfViewer(db, me));
    await renderPage(res, 'requests/list', {
      title: res.locals.t('requests.list.title'),
      requests: await q,
      statuses: STATUSES,
      status: status ?? '',
    });
  });

  router.use(guidelineRoutes({ db }));
  router.use(requestRoutes({ db, directory, service, clock, baseUrl: config.baseUrl }));
  router.use('/vertretung', substitutionRoutes({ db, directory, clock }));
  router.use(
    '/angebote',
    presenceRoutes({
      db,
      directory,
      clock,
      service,
      reassessmentNotes: (me, presence) => reassessments.notesForPresence(me, presence),
    }),
  );
  router.use('/neubewertungen', reassessmentRoutes({ service: reassessments }));
  router.use('/postausgang', outboxRoutes({ db, clock }));
  router.use('/verwaltung', adminRoutes({ config, db, directory, clock }));
  router.use(requestErrorHandler(db));
  return router;
}
