import { fromProjectRoot } from './paths';
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { Passport } from 'passport';
import type { Config } from './config';
import type { Container } from './container';
import { signInRoutes, requireUser } from './signin/routes';
import { setUpRequestLogging } from './web/logging';
import { healthRoutes } from './web/health';
import { setUpSecurityHeaders } from './web/security';
import { setUpLocale } from './web/i18n';
import { catalogues } from './messages';
import { historyLabel } from './audit/labels';
import { setUpStaticAssets } from './web/static';
import { createSessionMiddleware, sessionLifetime } from './web/session';
import { setUpCsrf, signInTokens } from './web/csrf';
import { errorHandler, notFoundHandler, HttpError } from './web/errors';
import { publicRoutes } from './public/routes';
import { reportPublicRoutes } from './reports/public-routes';
import { internRoutes } from './intern/routes';
import { isLargeAdminForm, largeAdminForms } from './admin/body';
import { drawRoute } from './oversight/route-svg';
import { oversightRoutes } from './oversight/routes';
import { maySeeFigures } from './policy/access';
import './web/express-types';

/** The services an app is built from: src/container.ts builds them once (buildContainer). */
export type Services = Container;

const hasNul = (v: unknown): boolean =>
  typeof v === 'string'
    ? v.includes('\u0000')
    : Array.isArray(v)
      ? v.some(hasNul)
      : v !== null && typeof v === 'object'
        ? Object.values(v).some(hasNul)
        : false;

/** PostgreSQL cannot store NUL in text; no person types one. Refuse it before it gets anywhere. */
function refuseNulBytes(req: Request, _res: Response, next: NextFunction) {
  if (hasNul(req.body) || hasNul(req.query) || req.path.includes('\u0000')) return next(new HttpError(400));
  next();
}

/** The largest form body anyone but an administrator's CSV upload may send. */
const FORM_LIMIT = '200kb';

/** Paths that carry a session (and so may set a cookie). Everything else is public and cookie-free. */
const STAFF_PATHS = /^\/(anmelden|abmelden|intern)(\/|$)/;

/**
 * Builds the whole application. The server and every test use this same factory.
 * Middleware order: logging → health → security headers → locale → view locals → static →
 * body parsing → public pages → session/auth/CSRF (staff paths only) → staff pages → 404 → errors.
 */
export function createApp(config: Config, services: Services) {
  const { db, directory, logger } = services;
  const app = express();
  app.disable('x-powered-by');
  // no automatic ETags: cacheable pages set their own (register version), others must not be validated
  app.set('etag', false);
  app.set('trust proxy', config.trustProxy);
  app.set('views', fromProjectRoot('views'));
  app.set('view engine', 'ejs');
  app.set('view cache', config.env !== 'development');

  app.use(setUpRequestLogging(logger));
  app.use(healthRoutes(db));
  app.use(setUpSecurityHeaders(config));
  app.use(setUpLocale(catalogues, historyLabel));
  app.use((req: Request, res: Response, next: NextFunction) => {
    res.locals.config = config;
    res.locals.demoDirectory = Boolean(services.demoAccounts);
    res.locals.user = undefined;
    res.locals.currentPath = req.path;
    res.locals.errors = [];
    // the route of a request as SVG (views/partials/route-svg.ejs)
    res.locals.drawRoute = drawRoute;
    next();
  });
  // after the view locals: a refused asset path (/assets/%00) gets the normal error page
  app.use(setUpStaticAssets(config));
  // forms are small; the two CSV forms of the administration are parsed later, with a larger
  // limit, once the session says the sender is an administrator (src/admin/body.ts), and
  // checked for NUL bytes there
  const formParser = express.urlencoded({ extended: false, limit: FORM_LIMIT, parameterLimit: 500 });
  app.use((req, res, next) => (isLargeAdminForm(req) ? next() : formParser(req, res, next)));
  app.use(refuseNulBytes);

  app.use(publicRoutes({ config, register: services.register, logger, catalogues }));
  app.use(reportPublicRoutes({ config, reports: services.reports }));

  // staff area: session, passport, CSRF — never on public paths. One passport per app,
  // so that two apps in one process (tests, two instances) never share a strategy.
  const passport = new Passport();
  passport.use('ldapauth', directory.strategy());
  passport.serializeUser((user, done) => done(null, user));
  passport.deserializeUser((user: Express.User, done) => done(null, user));
  const { middleware: sessionMiddleware } = createSessionMiddleware(config, db);
  const signInCsrf = signInTokens(config, services.clock);
  const lifetime = sessionLifetime({ config, clock: services.clock, findByUid: (uid) => directory.findByUid(uid) });
  const csrf = setUpCsrf(signInCsrf);
  const signIn = signInRoutes({
    passport,
    config,
    store: services.signIn,
    clock: services.clock,
    directory,
    limiter: services.limiter,
    signInCsrf,
    csrfTokenFor: csrf.tokenFor,
    demoAccounts: services.demoAccounts,
  });
  const staff = Router();
  staff.use(
    sessionMiddleware,
    passport.initialize(),
    passport.session() as express.RequestHandler,
    lifetime,
    largeAdminForms(FORM_LIMIT),
    (req, res, next) => (isLargeAdminForm(req) ? refuseNulBytes(req, res, next) : next()),
    ...csrf.middleware,
  );
  // a form that comes too late (session over, token stale) is kept, not lost
  staff.use(signIn.keepForms);
  staff.use((req, res, next) => {
    res.locals.user = req.user;
    // for the timeout warning (views/partials/session-warning.ejs, public/app.js)
    const signedInAt = req.user ? req.session?.signedInAt : undefined;
    res.locals.sessionTimes = signedInAt
      ? {
          idleSeconds: config.session.idleMinutes * 60,
          maxHours: config.session.maxHours,
          maxSecondsLeft: Math.max(
            0,
            Math.round((signedInAt + config.session.maxHours * 3_600_000 - services.clock().getTime()) / 1000),
          ),
        }
      : undefined;
    res.locals.staffPage = true;
    // the link to the process figures (views/intern/home.ejs)
    res.locals.maySeeFigures = req.user ? maySeeFigures(req.user) : false;
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  staff.use(signIn.router);
  staff.use(
    '/intern/auswertung',
    requireUser,
    oversightRoutes({ figures: services.figures, clock: services.clock, catalogues }),
  );
  staff.use('/intern', requireUser, internRoutes({ ...services, baseUrl: config.baseUrl }));
  app.use((req, res, next) => (STAFF_PATHS.test(req.path) ? staff(req, res, next) : next()));

  app.use(notFoundHandler);
  app.use(errorHandler(logger));
  return app;
}
