import type { Knex } from 'knex';
import { DEMO_ROLE_GROUPS, GROUP_ROLES, type Config } from '../../config';

/** A person as last seen at sign-in or by the directory sync. */
export interface RoleHolder {
  uid: string;
  name: string;
  unit: string | null;
  roles: string[];
  seen_at: Date;
  missing_since: Date | null;
}

/** A head or deputy head with the unit they lead. */
export interface HeadWithUnit {
  uid: string;
  name: string;
  kind: 'head' | 'deputy';
  unit_id: number;
  code: string;
  unit_name: string;
  retired_at: Date | null;
}

/**
 * Role mapping: which directory group gives which role (read from the configuration; the
 * built-in demo directory has its own groups), who holds each role as last seen at sign-in,
 * and the unit heads the portal knows.
 */
export function createRoleService(deps: { config: Config; db: Knex }) {
  const { config, db } = deps;
  return {
    async overview() {
      const groups = config.directory?.roleGroups ?? DEMO_ROLE_GROUPS;
      const people = await db<RoleHolder>('people')
        .select('uid', 'name', 'unit', 'roles', 'seen_at', 'missing_since')
        .orderBy('name');
      const heads: HeadWithUnit[] = await db('org_unit_heads as h')
        .join('org_units as u', 'u.id', 'h.org_unit_id')
        .select('h.uid', 'h.name', 'h.kind', 'u.id as unit_id', 'u.code', 'u.name as unit_name', 'u.retired_at')
        .orderBy([{ column: 'u.sort_order' }, { column: 'u.name' }, { column: 'h.kind', order: 'desc' }]);
      return {
        demo: config.directory === undefined,
        roles: GROUP_ROLES.map((role) => ({
          role,
          group: groups[role],
          holders: people.filter((p) => Array.isArray(p.roles) && p.roles.includes(role)),
        })),
        heads,
      };
    },
  };
}

export type RoleService = ReturnType<typeof createRoleService>;
