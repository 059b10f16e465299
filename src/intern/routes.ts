import { Router, type Request, type Response } from 'express';
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
import { outboxRoutes } from '../notifications/routes';
import { adminRoutes } from '../admin/routes';
import { presenceRoutes } from '../presences/routes';
import { guidelineRoutes } from '../guidelines/routes';
import { toDoFor } from './todo';
import { REQUEST_SECTIONS } from '../requests/form';
import { createTaskListService } from '../requests/task-list';
import { STATUSES, listLinks, paging, readTaskQuery, sendRequestsCsv, sendTasksCsv } from './tasks';

/** The staff area: task list, requests, deputies; every route behind the sign-in guard. */
export function internRoutes(deps: { config: Config; db: Knex; directory: Directory; clock: () => Date }) {
  const { db, directory, clock, config } = deps;
  const service = createRequestService({
    db,
    directory,
    clock,
    notify: createNotifier({ baseUrl: config.baseUrl, directory }),
  });
  const taskList = createTaskListService(db, clock);
  const router = Router();
  const user = (req: Request) => req.user as SessionUser;

  router.get('/', async (req, res) => {
    const me = user(req);
    // the decisions waiting for this person: filtered, sorted and paged in SQL (#15)
    const choices = await taskList.choices();
    const { filter, values, errors } = readTaskQuery(req, choices, { statuses: false });
    const tasks = filter ? await taskList.myTasks(me, filter, paging(filter)) : { rows: [], total: 0 };
    const mine = await db('requests').where({ author_uid: me.uid }).orderBy('updated_at', 'desc').limit(50);
    const todo = await toDoFor(db, me, clock());
    const unit = me.unit ? await db('org_units').where({ code: me.unit }).first('name') : undefined;
    const notice = req.query.geloescht ? 'requests.delete.done' : undefined;
    await renderPage(
      res,
      'intern/home',
      {
        title: res.locals.t('requests.tasks.title'),
        tasks: tasks.rows,
        total: tasks.total,
        page: filter?.seite ?? 1,
        pages: Math.max(1, Math.ceil(tasks.total / paging(filter).limit)),
        choices,
        values,
        errors,
        links: listLinks(res, '/intern', values, { anchor: '#zu-entscheiden', csvPath: '/intern/aufgaben' }),
        mine,
        todo,
        sectionKeys: Object.fromEntries(REQUEST_SECTIONS.map((x) => [x.n, x.key])),
        confirmations: todo.toConfirm,
        unitName: unit?.name,
        notice,
      },
      errors.length > 0 ? 400 : 200,
    );
  });

  router.get('/aufgaben.csv', async (req, res) => {
    const { filter, errors } = readTaskQuery(req, await taskList.choices(), { statuses: false });
    // a bad filter: the page says what is wrong with it
    if (!filter || errors.length > 0)
      return res.redirect(303, res.locals.url(`/intern${req.url.replace(/^\/aufgaben\.csv/, '')}`));
    await sendTasksCsv(req, res, taskList, filter);
  });

  const requestListPage = async (req: Request, res: Response) => {
    const choices = await taskList.choices();
    const { filter, values, errors } = readTaskQuery(req, choices, { statuses: true });
    if (filter && req.path.endsWith('.csv')) return sendRequestsCsv(req, res, taskList, filter);
    const list = filter ? await taskList.requestList(user(req), filter, paging(filter)) : { rows: [], total: 0 };
    await renderPage(
      res,
      'requests/list',
      {
        title: res.locals.t('requests.list.title'),
        requests: list.rows,
        total: list.total,
        page: filter?.seite ?? 1,
        pages: Math.max(1, Math.ceil(list.total / paging(filter).limit)),
        statuses: STATUSES,
        choices,
        values,
        errors,
        links: listLinks(res, '/intern/antraege', values),
      },
      errors.length > 0 ? 400 : 200,
    );
  };
  router.get('/antraege', requestListPage);
  router.get('/antraege.csv', requestListPage);

  router.use(guidelineRoutes({ db }));
  router.use(requestRoutes({ db, directory, service, clock, baseUrl: config.baseUrl }));
  router.use('/vertretung', substitutionRoutes({ db, directory, clock }));
  router.use('/angebote', presenceRoutes({ db, directory, clock, service }));
  router.use('/postausgang', outboxRoutes({ db, clock }));
  router.use('/verwaltung', adminRoutes({ config, db, directory, clock }));
  router.use(requestErrorHandler(db));
  return router;
}
