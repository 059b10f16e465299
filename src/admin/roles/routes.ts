import type { Router } from 'express';
import { renderPage } from '../../web/render';
import type { AdminDeps } from '../deps';

/** Role mapping: groups, holders and unit heads (src/admin/roles/service.ts). */
export function registerRoleRoutes(router: Router, deps: AdminDeps) {
  router.get('/rollen', async (_req, res) => {
    await renderPage(res, 'admin/roles', {
      title: res.locals.t('admin.roles.title'),
      ...(await deps.roles.overview()),
    });
  });
}
