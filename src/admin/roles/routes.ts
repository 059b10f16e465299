import type { Router } from 'express';
import { DEMO_ROLE_GROUPS, GROUP_ROLES } from '../../config';
import { renderPage } from '../../web/render';
import type { AdminDeps } from '../deps';

/**
 * Role mapping: which directory group gives which role (read from the configuration; the
 * built-in demo directory has its own groups), who holds each role as last seen at sign-in,
 * and the unit heads the portal knows.
 */
export function registerRoleRoutes(router: Router, deps: AdminDeps) {
  const { config, db } = deps;

  router.get('/rollen', async (_req, res) => {
    const demo = config.directory === undefined;
    const groups = config.directory?.roleGroups ?? DEMO_ROLE_GROUPS;
    const people: Array<{
      uid: string;
      name: string;
      unit: string | null;
      roles: string[];
      seen_at: Date;
      missing_since: Date | null;
    }> = await db('people').select('uid', 'name', 'unit', 'roles', 'seen_at', 'missing_since').orderBy('name');
    const heads = await db('org_unit_heads as h')
      .join('org_units as u', 'u.id', 'h.org_unit_id')
      .select('h.uid', 'h.name', 'h.kind', 'u.id as unit_id', 'u.code', 'u.name as unit_name', 'u.retired_at')
      .orderBy([{ column: 'u.sort_order' }, { column: 'u.name' }, { column: 'h.kind', order: 'desc' }]);
    await renderPage(res, 'admin/roles', {
      title: res.locals.t('admin.roles.title'),
      demo,
      roles: GROUP_ROLES.map((role) => ({
        role,
        group: groups[role],
        holders: people.filter((p) => Array.isArray(p.roles) && p.roles.includes(role)),
      })),
      heads,
    });
  });
}
