import { Router, type Request } from 'express';
import { z } from 'zod';
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
import { REQUEST_STATUSES, type InternService } from './service';
import { reportRoutes } from '../reports/routes';
import type { ReportService } from '../reports/service';
import { reassessmentRoutes } from '../reassessments/routes';
import type { ReassessmentService } from '../reassessments/service';

/** The request list's filter; '' (the "all" option) or none is every status. */
const listQuery = z.object({
  stand: z
    .union([z.literal(''), z.enum(REQUEST_STATUSES)])
    .optional()
    .transform((v) => v || undefined),
});
const homeNotices = noticeFlags('geloescht');

/** What the staff area is built from: the domain services, wired once (src/container.ts). */
export interface InternDeps {
  baseUrl: string;
  directory: Directory;
  intern: InternService;
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
  const { intern, directory } = deps;
  const service = deps.requests;
  const router = Router();
  const user = (req: Request) => req.user as SessionUser;

  router.get('/', async (req, res) => {
    const me = user(req);
    const flags = parseQuery(homeNotices, req.query);
    const tasks = await service.tasksFor(me);
    const { mine, todo, unitName } = await intern.home(me);
    await renderPage(res, 'intern/home', {
      title: res.locals.t('requests.tasks.title'),
      tasks,
      mine,
      todo,
      confirmations: todo.toConfirm,
      unitName,
      showReassessments: maySeeReassessments(me),
      notice: flags.geloescht === '1' ? 'requests.delete.done' : undefined,
    });
  });

  router.get('/antraege', async (req, res) => {
    const { stand: status } = parseQuery(listQuery, req.query);
    await renderPage(res, 'requests/list', {
      title: res.locals.t('requests.list.title'),
      requests: await intern.requestList(user(req), status),
      statuses: REQUEST_STATUSES,
      status: status ?? '',
    });
  });

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
