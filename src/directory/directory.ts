import ldap from 'ldapjs';
import LdapStrategy from 'passport-ldapauth';
import type { Request } from 'express';
import type { DirectoryConfig } from '../config';
import { attrValues, toSessionUser, type LdapEntry, type SessionUser } from './user';

export class DirectoryUnavailableError extends Error {
  constructor(cause: unknown) {
    super('The directory cannot be reached', { cause });
    this.name = 'DirectoryUnavailableError';
  }
}

export interface Directory {
  readonly config: DirectoryConfig;
  /** passport strategy that reads credentials only from req.credentials (validated before). */
  strategy(): LdapStrategy;
  findByUid(uid: string): Promise<SessionUser | undefined>;
  /** People search by user id or name, for picking editors. */
  search(query: string, limit?: number): Promise<SessionUser[]>;
  /**
   * The people in a group, read through the service bind: the group entry's `member` and
   * `uniqueMember` values, each looked up as a person. `undefined` when the group entry
   * does not exist; members that are not people (nested groups, gone entries) are left out.
   * Throws DirectoryUnavailableError when the directory cannot answer.
   */
  groupMembers(groupDn: string): Promise<SessionUser[] | undefined>;
  /** A service bind: is the directory reachable? */
  ping(): Promise<boolean>;
}

declare module 'express-serve-static-core' {
  interface Request {
    credentials?: { username: string; password: string };
  }
}

function requestedAttributes(cfg: DirectoryConfig): string[] {
  const a = cfg.attributes;
  return [a.uid, a.name, a.mail, a.unit, a.groups];
}

export function createDirectory(cfg: DirectoryConfig): Directory {
  const withClient = async <T>(fn: (client: ldap.Client) => Promise<T>): Promise<T> => {
    const client = ldap.createClient({ url: cfg.url, timeout: cfg.timeoutMs, connectTimeout: cfg.timeoutMs });
    // connection problems surface as 'error' events; turn them into a rejected promise
    const failed = new Promise<never>((_, reject) => {
      client.on('error', (err: unknown) => reject(new DirectoryUnavailableError(err)));
      client.on('connectTimeout', (err: unknown) => reject(new DirectoryUnavailableError(err)));
      client.on('connectError', (err: unknown) => reject(new DirectoryUnavailableError(err)));
    });
    failed.catch(() => undefined);
    try {
      if (cfg.bindDn) {
        await Promise.race([
          failed,
          new Promise<void>((resolve, reject) =>
            client.bind(cfg.bindDn as string, cfg.bindPassword ?? '', (err) =>
              err ? reject(new DirectoryUnavailableError(err)) : resolve(),
            ),
          ),
        ]);
      }
      return await Promise.race([failed, fn(client)]);
    } finally {
      client.unbind(() => undefined);
      client.destroy();
    }
  };

  const searchEntries = (
    client: ldap.Client,
    filter: ldap.Filter | string,
    limit: number,
    opts: { base?: string; scope?: 'sub' | 'base'; attributes?: string[] } = {},
  ) =>
    new Promise<LdapEntry[]>((resolve, reject) => {
      client.search(
        opts.base ?? cfg.searchBase,
        { scope: opts.scope ?? 'sub', filter, attributes: opts.attributes ?? requestedAttributes(cfg), sizeLimit: limit },
        (err, res) => {
          if (err) return reject(new DirectoryUnavailableError(err));
          const entries: LdapEntry[] = [];
          res.on('searchEntry', (entry) => {
            const obj: LdapEntry = {};
            for (const attribute of entry.pojo.attributes) obj[attribute.type] = attribute.values;
            entries.push(obj);
          });
          res.on('error', (e: Error) => {
            // a size-limit hit still delivers what fits
            if (e.name === 'SizeLimitExceededError') resolve(entries);
            // a base lookup of an entry that is not there: an answer, not an outage
            else if (e.name === 'NoSuchObjectError' && opts.scope === 'base') resolve([]);
            else reject(new DirectoryUnavailableError(e));
          });
          res.on('end', () => resolve(entries));
        },
      );
    });

  const toUsers = (entries: LdapEntry[]) => {
    const users: SessionUser[] = [];
    for (const e of entries) {
      try {
        users.push(toSessionUser(e, cfg));
      } catch {
        /* entries without a user id are not people */
      }
    }
    return users;
  };

  return {
    config: cfg,
    strategy() {
      return new LdapStrategy({
        server: {
          url: cfg.url,
          bindDN: cfg.bindDn,
          bindCredentials: cfg.bindPassword,
          searchBase: cfg.searchBase,
          searchFilter: cfg.userFilter,
          searchAttributes: requestedAttributes(cfg),
          timeout: cfg.timeoutMs,
          connectTimeout: cfg.timeoutMs,
        },
        credentialsLookup: (req: Request) => req.credentials ?? null,
      } as unknown as LdapStrategy.Options);
    },
    async findByUid(uid) {
      const filter = new ldap.EqualityFilter({ attribute: cfg.attributes.uid, value: uid });
      const users = toUsers(await withClient((c) => searchEntries(c, filter, 2)));
      return users.length === 1 ? users[0] : undefined;
    },
    async search(query, limit = 20) {
      const q = query.trim();
      if (q.length < 2) return [];
      const parts = q.split(/\s+/).slice(0, 4);
      // every word must match the user id or the name
      const filter = new ldap.AndFilter({
        filters: parts.map(
          (part) =>
            new ldap.OrFilter({
              filters: [
                new ldap.SubstringFilter({ attribute: cfg.attributes.uid, initial: part }),
                new ldap.SubstringFilter({ attribute: cfg.attributes.name, any: [part] } as unknown as { attribute: string; initial: string }),
              ],
            }),
        ),
      });
      const users = toUsers(await withClient((c) => searchEntries(c, filter, limit)));
      return users.sort((a, b) => a.name.localeCompare(b.name, 'de'));
    },
    async groupMembers(groupDn) {
      return withClient(async (client) => {
        const [group] = await searchEntries(client, '(objectClass=*)', 1, { base: groupDn, scope: 'base', attributes: ['member', 'uniqueMember'] });
        if (!group) return undefined;
        // uniqueMember may carry an optional "#'0101'B" unique identifier after the DN
        const dns = [...new Set([...attrValues(group, 'member'), ...attrValues(group, 'uniqueMember').map((v) => v.replace(/#'[01]*'B$/, ''))].filter((dn) => dn.trim() !== ''))];
        const users: SessionUser[] = [];
        for (let i = 0; i < dns.length; i += 20) {
          const batch = await Promise.all(
            dns.slice(i, i + 20).map((dn) =>
              searchEntries(client, '(objectClass=*)', 1, { base: dn, scope: 'base' }).catch((err: unknown) => {
                // a member value that is no valid DN is not a person; an outage stays an outage
                if (!(err instanceof DirectoryUnavailableError) || (err.cause as { name?: string } | undefined)?.name === 'InvalidDnSyntaxError') return [];
                throw err;
              }),
            ),
          );
          users.push(...toUsers(batch.flat()));
        }
        const seen = new Set<string>();
        return users.filter((u) => (seen.has(u.uid) ? false : (seen.add(u.uid), true)));
      });
    },
    async ping() {
      try {
        await withClient(() => Promise.resolve());
        return true;
      } catch {
        return false;
      }
    },
  };
}
