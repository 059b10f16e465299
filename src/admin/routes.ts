import { Router, type NextFunction, type Request, type Response } from 'express';
import { HttpError } from '../web/errors';
import { renderPage } from '../web/render';
import type { AdminDeps } from './deps';
import { ADMIN_STYLESHEETS } from './web';
import { registerUnitRoutes } from './units/routes';
import { registerPlatformRoutes } from './platforms/routes';
import { registerWorkflowRoutes } from './workflows/routes';
import { registerRoleRoutes } from './roles/routes';
import { registerHistoryRoutes } from './history/routes';
import { registerRegisterRoutes } from './register/routes';
import { registerImportRoutes } from './import/routes';
import { datesFor } from '../web/dates';
import { isAdmin } from '../policy/access';

export type { AdminDeps } from './deps';
export { IMPORT_CHECK_PATH } from './import/routes';
export { LARGE_FORM_PATHS, isLargeAdminForm, largeAdminForms } from './body';

/** The administrators' pages, in the order the index lists them (path below /intern). */
export const ADMIN_PAGES = [
  { path: '/verwaltung/organisationseinheiten', key: 'units' },
  { path: '/verwaltung/plattformen', key: 'platforms' },
  { path: '/verwaltung/ablaeufe', key: 'workflows' },
  { path: '/vertretung', key: 'substitutions' },
  { path: '/verwaltung/rollen', key: 'roles' },
  { path: '/postausgang', key: 'outbox' },
  { path: '/verwaltung/verlauf', key: 'history' },
  { path: '/verwaltung/register', key: 'register' },
  { path: '/verwaltung/import', key: 'import' },
] as const;

/**
 * Administration (role administrator only); mounted at /intern/verwaltung behind the sign-in.
 * Every route of this router is behind the role check below, including unknown paths.
 */
export function adminRoutes(deps: AdminDeps) {
  const router = Router();
  router.use((req: Request, res: Response, next: NextFunction) => {
    if (!req.user || !isAdmin(req.user)) return next(new HttpError(403));
    res.locals.stylesheets = ADMIN_STYLESHEETS;
    next();
  });

  router.get('/', async (req, res) => {
    // what the last directory sync found: a role whose group is empty or missing gets no mail
    const { momentText } = datesFor(req.locale);
    const groupProblems = (await deps.overview.groupProblems()).map((g) => ({
      role: g.role,
      group: g.groupDn ?? '',
      state: g.state,
      checked: { iso: g.checkedAt.toISOString(), text: momentText(g.checkedAt) },
    }));
    await renderPage(res, 'admin/index', {
      title: res.locals.t('admin.index.title'),
      pages: ADMIN_PAGES,
      groupProblems,
    });
  });

  registerUnitRoutes(router, deps);
  registerPlatformRoutes(router, deps);
  registerWorkflowRoutes(router, deps);
  registerRoleRoutes(router, deps);
  registerHistoryRoutes(router, deps);
  registerRegisterRoutes(router, deps);
  registerImportRoutes(router, deps);
  return router;
}

/** Method and path of every route of a router (the tests check each one's access rule). */
export function routeTable(router: Router): Array<{ method: 'get' | 'post'; path: string }> {
  const out: Array<{ method: 'get' | 'post'; path: string }> = [];
  for (const layer of router.stack as Array<{ route?: { path: string; methods: Record<string, boolean> } }>) {
    if (!layer.route) continue;
    for (const method of Object.keys(layer.route.methods)) {
      if (method === 'get' || method === 'post') out.push({ method, path: layer.route.path });
    }
  }
  return out;
}
