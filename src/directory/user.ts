import type { DirectoryConfig, Role } from '../config';
import { GROUP_ROLES } from '../config';

/** A person as the portal knows them after sign-in; stored in the session. */
export interface SessionUser {
  uid: string;
  name: string;
  email: string | undefined;
  /** Code of the organisational unit from the directory (e.g. "41"). */
  unit: string | undefined;
  roles: Role[];
}

export type LdapEntry = Record<string, unknown>;

/** Directory servers differ in the case of attribute names; read them case-insensitively. */
export function attrValues(entry: LdapEntry, name: string): string[] {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(entry)) {
    if (key.toLowerCase() !== wanted) continue;
    if (Array.isArray(value)) return value.map(String);
    if (value === undefined || value === null) return [];
    return [String(value)]; // oxlint-disable-line typescript/no-base-to-string -- ldapjs gives strings or Buffers
  }
  return [];
}

const normDn = (dn: string) => dn.replace(/\s*,\s*/g, ',').trim().toLowerCase();

export function rolesFromGroups(groups: string[], roleGroups: DirectoryConfig['roleGroups']): Role[] {
  const memberOf = new Set(groups.map(normDn));
  const roles: Role[] = ['employee'];
  for (const role of GROUP_ROLES) {
    const group = roleGroups[role];
    if (group && memberOf.has(normDn(group))) roles.push(role);
  }
  return roles;
}

export function toSessionUser(entry: LdapEntry, cfg: DirectoryConfig): SessionUser {
  const a = cfg.attributes;
  const uid = attrValues(entry, a.uid)[0];
  if (!uid) throw new Error('Directory entry without user id');
  return {
    uid,
    name: attrValues(entry, a.name)[0] ?? uid,
    email: attrValues(entry, a.mail)[0],
    unit: attrValues(entry, a.unit)[0],
    roles: rolesFromGroups(attrValues(entry, a.groups), cfg.roleGroups),
  };
}
