import type { Logger } from 'pino';
import type { Config } from './config';
import type { Db } from './db/knex';
import type { Directory } from './directory/directory';
import type { DemoAccount } from './directory/demo-accounts';
import { createRequestService, type RequestService } from './requests/service';
import { createNotifier } from './requests/notify';
import { createRequestPages, type RequestPages } from './requests/pages';
import { createSubstitutionService, type SubstitutionService } from './requests/substitution-store';
import { createPresenceService, type PresenceService } from './presences/service';
import { createInternService, type InternService } from './intern/service';
import { createTaskListService, type TaskListService } from './requests/task-list';
import { createGuidelineService, type GuidelineService } from './guidelines/service';
import { createOutboxPages, type OutboxPages } from './notifications/outbox';
import type { RoleResolver } from './notifications/outbox';
import { createRoleResolver } from './people/roles';
import { PublicService } from './public/service';
import { reportAccountCheck } from './public/report-check';
import { ReportService } from './reports/service';
import { createLinkResolver } from './public/resolve';
import { createFigureService, type FigureService } from './oversight/figures';
import { createReassessmentService, type ReassessmentService } from './reassessments/service';
import { createSignInStore, type SignInStore } from './signin/store';
import { RateLimiter } from './web/rate-limit';
import type { AdminDeps } from './admin/deps';
import { createAdminServices } from './admin/services';

/** What the process provides: settings, the database, the directory, the log and the clock. */
export interface Infra {
  config: Config;
  db: Db;
  directory: Directory;
  logger: Logger;
  clock: () => Date;
  /** Set when the built-in demo directory is active: shown as a banner and on the sign-in page. */
  demoAccounts?: DemoAccount[] | undefined;
}

/**
 * Every domain service, built once per app (issue 11 point 1). Routers receive these and never
 * the database; `db` stays here for the web layer's own parts (health check, session store).
 */
export interface Container extends Infra {
  /** Requests: create, edit, submit, decide, confirm, remind, delete, change requests, tasks. */
  requests: RequestService;
  /** What the request pages read (visibility asked of the policy). */
  requestPages: RequestPages;
  /** Deputies. */
  substitutions: SubstitutionService;
  /** Presences after publication: list, page, confirmation, closing, change. */
  presences: PresenceService;
  /** The staff area's start page and request list. */
  intern: InternService;
  /** The task lists ("Meine Aufgaben", the request list): filtered, sorted and paged in SQL (#15). */
  taskList: TaskListService;
  /** The texts editors confirm. */
  guidelines: GuidelineService;
  /** The administrators' outbox page. */
  outbox: OutboxPages;
  /** Who gets a mail addressed to a role (the directory group, or the role's mailbox). */
  roles: RoleResolver;
  /** The public register with its per-version response cache. */
  register: PublicService;
  /** The sign-in's database needs. */
  signIn: SignInStore;
  /** Sign-in attempts per account and address (in the database: shared by every instance). */
  limiter: RateLimiter;
  /** Reports of fake accounts: the public form, the press office's triage (src/reports/). */
  reports: ReportService;
  /** Process figures and the council report (src/oversight/). */
  figures: FigureService;
  /** Platform re-assessments: open, answer, progress (src/reassessments/). */
  reassessments: ReassessmentService;
  /** The administration's services (src/admin/services.ts). */
  admin: AdminDeps;
}

/** Builds every service once; the server, the CLI, the benchmarks and the tests all use this. */
export function buildContainer(infra: Infra): Container {
  const { config, db, directory, clock } = infra;
  const requests = createRequestService({
    db,
    directory,
    clock,
    notify: createNotifier({ baseUrl: config.baseUrl, directory }),
  });
  // the report form asks the same account check as /pruefen, with the same cache
  const register = new PublicService(db, {
    resolver: config.verify.resolveLinks
      ? createLinkResolver({ timeoutMs: config.verify.resolveTimeoutMs })
      : undefined,
  });
  return {
    config,
    db,
    directory,
    logger: infra.logger,
    clock,
    demoAccounts: infra.demoAccounts,
    requests,
    requestPages: createRequestPages({ db, clock, service: requests }),
    substitutions: createSubstitutionService({ db, clock }),
    presences: createPresenceService({ db, clock }),
    intern: createInternService({ db, clock }),
    taskList: createTaskListService(db, clock),
    guidelines: createGuidelineService(db),
    outbox: createOutboxPages(db, clock),
    roles: createRoleResolver(directory, config.mail.roleMailboxes),
    register,
    reports: new ReportService({
      db,
      clock,
      secret: config.session.secret,
      baseUrl: config.baseUrl,
      maxPerAddress: config.reports.maxPerAddress,
      check: reportAccountCheck(register),
    }),
    signIn: createSignInStore(db),
    limiter: new RateLimiter(db, config.login.windowMinutes * 60_000, clock),
    figures: createFigureService({ db, clock }),
    reassessments: createReassessmentService({ db, clock, baseUrl: config.baseUrl }),
    admin: createAdminServices({ config, db, directory, clock }),
  };
}
