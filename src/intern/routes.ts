import { Router, type Request, type Response } from 'express';
import type { SessionUser } from '../directory/user';
import { renderPage } from '../web/render';
import { noticeFlags, parseQuery } from '../web/input';
import { requestRoutes, requestErrorHandler } from '../requests/routes';
import { substitutionRoutes } from '../requests/substitutions';
import { maySeeReassessments } from '../policy/access';
import { outboxRoutes } from '../notifications/routes';
import { adminRoutes, type AdminDeps } from '../admin/routes';
import { presenceRoutes } from '../presences/routes';
import { guidelineRoutes } from '../guidelines/routes';
import type { Directory } from '../directory/directory';
import type { RequestService } from '../requests/service';
import type { RequestPages } from '../requests/pages';
import type { SubstitutionService } from '../requests/substitution-store';
import type { PresenceService } from '../presences/service';
import type { OutboxPages } from '../notifications/outbox';
import type { GuidelineService } from '../guidelines/service';
import type { InternService } from './service';
import type { TaskListService } from '../requests/task-list';
import { REQUEST_SECTIONS } from '../requests/form';
import { STATUSES, listLinks, paging, readTaskQuery, sendRequestsCsv, sendTasksCsv } from './tasks';
import { reportRoutes } from '../reports/routes';
import type { ReportService } from '../reports/service';
import { reassessmentRoutes } from '../reassessments/routes';
import type { ReassessmentService } from '../reassessments/service';

const homeNotices = noticeFlags('geloescht');

/** What the staff area is built from: the domain services, wired once (src/container.ts). */
export interface InternDeps {
  baseUrl: string;
  directory: Directory;
  intern: InternService;
  /** The task lists: filtered, sorted and paged in SQL (#15). */
  taskList: TaskListService;
  requests: RequestService;
  requestPages: RequestPages;
  substitutions: SubstitutionService;
  presences: PresenceService;
  outbox: OutboxPages;
  guidelines: GuidelineService;
  /** Reports of fake accounts: the press office's triage (src/reports/). */
  reports: ReportService;
  /** Platform re-assessments (src/reassessments/). */
  reassessments: ReassessmentService;
  /** The administration's services (src/admin/services.ts). */
  admin: AdminDeps;
}

/** The staff area: task list, requests, deputies; every route behind the sign-in guard. */
export function internRoutes(deps: InternDeps) {
  const { intern, directory, taskList } = deps;
  const service = deps.requests;
  const router = Router();
  const user = (req: Request) => req.user as SessionUser;

  router.get('/', async (req, res) => {
    const me = user(req);
    const flags = parseQuery(homeNotices, { geloescht: req.query.geloescht });
    // the decisions waiting for this person: filtered, sorted and paged in SQL (#15)
    const choices = await taskList.choices();
    const { filter, values, errors } = readTaskQuery(req, choices, { statuses: false });
    const tasks = filter ? await taskList.myTasks(me, filter, paging(filter)) : { rows: [], total: 0 };
    const { mine, todo, unitName } = await intern.home(me);
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
        unitName,
        showReassessments: maySeeReassessments(me),
        notice: flags.geloescht === '1' ? 'requests.delete.done' : undefined,
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

  router.use(guidelineRoutes({ guidelines: deps.guidelines }));
  router.use(requestRoutes({ directory, service, pages: deps.requestPages, baseUrl: deps.baseUrl }));
  router.use('/vertretung', substitutionRoutes({ substitutions: deps.substitutions, directory }));
  router.use(
    '/angebote',
    presenceRoutes({
      presences: deps.presences,
      directory,
      service,
      reassessmentNotes: (me, presence) => deps.reassessments.notesForPresence(me, presence),
    }),
  );
  router.use('/neubewertungen', reassessmentRoutes({ service: deps.reassessments }));
  router.use('/postausgang', outboxRoutes({ outbox: deps.outbox }));
  router.use('/verwaltung', adminRoutes(deps.admin));
  router.use(reportRoutes({ reports: deps.reports }));
  router.use(requestErrorHandler(deps.requestPages));
  return router;
}
