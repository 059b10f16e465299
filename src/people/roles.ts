import type { GroupRole } from '../config';
import type { Directory } from '../directory/directory';
import type { SessionUser } from '../directory/user';
import { isDeliverableAddress, type Recipient, type RoleResolver } from '../mail-address';

/** What the directory says about a role's group right now. */
export interface RoleGroup {
  role: GroupRole;
  /** The configured group DN; undefined when no group is configured for the role. */
  group: string | undefined;
  state: 'ok' | 'empty' | 'missing' | 'unconfigured';
  members: SessionUser[];
}

/**
 * The members of a role, read from the role's directory group through the service bind.
 * Throws DirectoryUnavailableError when the directory cannot answer: the caller must not
 * take "no answer" for "nobody".
 */
export async function roleGroup(directory: Directory, role: GroupRole): Promise<RoleGroup> {
  const group = directory.config.roleGroups[role];
  if (!group) return { role, group, state: 'unconfigured', members: [] };
  const members = await directory.groupMembers(group);
  if (members === undefined) return { role, group, state: 'missing', members: [] };
  return { role, group, state: members.length > 0 ? 'ok' : 'empty', members };
}

/** The port the outbox delivers through (src/notifications/outbox.ts), implemented here. */
export type { RoleResolver };

export function createRoleResolver(directory: Directory, mailboxes: Partial<Record<GroupRole, string>>): RoleResolver {
  return {
    async recipients(role) {
      const { members } = await roleGroup(directory, role);
      const out: Recipient[] = [];
      const seen = new Set<string>();
      const add = (r: Recipient) => {
        const key = r.email.toLowerCase();
        if (seen.has(key)) return;
        seen.add(key);
        out.push(r);
      };
      for (const m of members) if (isDeliverableAddress(m.email)) add({ uid: m.uid, email: m.email, name: m.name });
      const mailbox = mailboxes[role];
      if (isDeliverableAddress(mailbox)) add({ email: mailbox });
      return out;
    },
  };
}
