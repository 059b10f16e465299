import type { Knex } from 'knex';
import { GROUP_ROLES, type GroupRole, type Role } from '../config';
import type { Directory } from '../directory/directory';
import type { SessionUser } from '../directory/user';
import { roleGroup, type RoleGroup } from './roles';

export interface SyncLogger {
  warn(obj: object, msg: string): void;
}

export interface RoleGroupStatus {
  role: GroupRole;
  groupDn: string | null;
  state: RoleGroup['state'];
  members: number;
  checkedAt: Date;
}

/**
 * Refreshes the people cache from the role groups of the directory: every member gets
 * name, mail, unit and roles as the directory has them now (also people who never signed
 * in); a cached person who left a group loses that role. Records what it found per role
 * (for the administration's start page) and warns about empty or missing groups.
 * A directory outage throws before anything is written: the cache is never emptied by it.
 */
export async function runDirectorySync(
  db: Knex,
  directory: Directory,
  now: Date,
  logger?: SyncLogger,
): Promise<{ people: number; problems: GroupRole[] }> {
  const groups: RoleGroup[] = [];
  for (const role of GROUP_ROLES) groups.push(await roleGroup(directory, role));

  const members = new Map<string, { user: SessionUser; roles: Set<Role> }>();
  for (const g of groups) {
    for (const user of g.members) {
      const m = members.get(user.uid) ?? { user, roles: new Set<Role>(['employee']) };
      m.roles.add(g.role);
      members.set(user.uid, m);
    }
  }
  const problems = groups.filter((g) => g.state === 'empty' || g.state === 'missing');
  for (const g of problems) {
    logger?.warn(
      { role: g.role, group: g.group, state: g.state },
      g.state === 'missing'
        ? 'directory sync: role group not found in the directory'
        : 'directory sync: role group has no members',
    );
  }

  await db.transaction(async (trx) => {
    for (const { user, roles } of members.values()) {
      await trx('people')
        .insert({
          uid: user.uid,
          name: user.name,
          email: user.email ?? null,
          unit: user.unit ?? null,
          roles: JSON.stringify(GROUP_ROLES_ORDER.filter((r) => roles.has(r))),
          seen_at: now,
          missing_since: null,
        })
        .onConflict('uid')
        .merge();
    }
    // people who hold a group role in the cache but are no longer in that group
    const cached: Array<{ uid: string; roles: Role[] }> = await trx('people').select('uid', 'roles');
    for (const p of cached) {
      if (members.has(p.uid) || !Array.isArray(p.roles)) continue;
      const kept = p.roles.filter((r) => r === 'employee');
      if (kept.length !== p.roles.length)
        await trx('people')
          .where({ uid: p.uid })
          .update({ roles: JSON.stringify(kept) });
    }
    for (const g of groups) {
      await trx('role_groups')
        .insert({ role: g.role, group_dn: g.group ?? null, state: g.state, members: g.members.length, checked_at: now })
        .onConflict('role')
        .merge();
    }
  });
  return { people: members.size, problems: problems.map((g) => g.role) };
}

const GROUP_ROLES_ORDER: Role[] = ['employee', ...GROUP_ROLES];

/** What the last sync found per role, in the roles' order. */
export async function roleGroupStatus(db: Knex): Promise<RoleGroupStatus[]> {
  const rows: Array<{
    role: GroupRole;
    group_dn: string | null;
    state: RoleGroup['state'];
    members: number;
    checked_at: Date;
  }> = await db('role_groups').select('*');
  return GROUP_ROLES.flatMap((role) => {
    const r = rows.find((x) => x.role === role);
    return r
      ? [{ role, groupDn: r.group_dn, state: r.state, members: Number(r.members), checkedAt: r.checked_at }]
      : [];
  });
}

/** The scheduler job (once across instances) that keeps the people cache and the group check fresh. */
export function directorySyncJob(db: Knex, directory: Directory, logger: SyncLogger, everyMs = 60 * 60_000) {
  return { name: 'directory-sync', everyMs, run: (now: Date) => runDirectorySync(db, directory, now, logger) };
}
