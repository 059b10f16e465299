import type { Knex } from 'knex';
import { roleGroupStatus, type RoleGroupStatus } from '../people/sync';

/** The administration's index: what the last directory sync found about the role groups. */
export function createAdminOverview(db: Knex) {
  return {
    /** Role groups that are empty or missing: nobody in them gets the role's mail. */
    async groupProblems(): Promise<RoleGroupStatus[]> {
      return (await roleGroupStatus(db)).filter((g) => g.state === 'empty' || g.state === 'missing');
    },
  };
}

export type AdminOverview = ReturnType<typeof createAdminOverview>;
