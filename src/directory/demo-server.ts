import fs from 'node:fs';
import type { AddressInfo, Server as NetServer } from 'node:net';
import ldap from 'ldapjs';
import { parseLdif, type LdifEntry } from './ldif';
import { DEMO_BASE_DN } from '../config';
import { fromProjectRoot } from '../paths';

export const DEMO_LDIF_PATH = fromProjectRoot('directory', 'demo-directory.ldif');

const norm = (dn: string) => dn.replace(/\s*,\s*/g, ',').toLowerCase();

interface StoredEntry {
  dn: string;
  attributes: Record<string, string[]>;
}

/**
 * Builds the entries as OpenLDAP with the memberof overlay would serve them: every person
 * carries memberOf for each groupOfNames that lists them.
 */
export function demoEntries(ldifText = fs.readFileSync(DEMO_LDIF_PATH, 'utf8')): StoredEntry[] {
  return withMemberOf(parseLdif(ldifText));
}

function withMemberOf(entries: LdifEntry[]): StoredEntry[] {
  const memberOf = new Map<string, string[]>();
  for (const e of entries) {
    const classes = (e.attributes.objectClass ?? []).map((c) => c.toLowerCase());
    if (!classes.includes('groupofnames')) continue;
    for (const member of e.attributes.member ?? []) {
      const list = memberOf.get(norm(member)) ?? [];
      list.push(e.dn);
      memberOf.set(norm(member), list);
    }
  }
  return entries.map((e) => {
    const { memberOf: _stale, ...rest } = e.attributes;
    const groups = memberOf.get(norm(e.dn));
    return { dn: e.dn, attributes: groups ? { ...rest, memberOf: groups } : { ...rest } };
  });
}

/** `\\c3\\a4` → `ä`: ldapjs 3 leaves RFC 4515 escapes in filter values it received. */
function unescapeFilterValue(value: string): string {
  if (!value.includes('\\')) return value;
  const bytes: number[] = [];
  for (let i = 0; i < value.length; i++) {
    const hex = value.slice(i + 1, i + 3);
    if (value[i] === '\\' && /^[0-9a-fA-F]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(value[i] as string, 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

interface FilterNode {
  type?: string;
  attribute?: string;
  value?: unknown;
  initial?: string;
  any?: string[];
  final?: string;
  filters?: FilterNode[];
  filter?: FilterNode;
}

/**
 * Evaluates a search filter the way OpenLDAP does for our attributes (case-insensitive
 * string matching, escapes decoded). ldapjs' own `matches` compares escaped bytes, so
 * a search for "Schäfer" would find nobody.
 */
function matches(filter: FilterNode, attrs: Record<string, string[]>): boolean {
  const values = () => (attrs[(filter.attribute ?? '').toLowerCase()] ?? []).map((v) => v.toLowerCase());
  // oxlint-disable-next-line typescript/no-base-to-string -- ldapjs' filter values are strings or Buffers
  const norm = (v: unknown) => unescapeFilterValue(String(v ?? '')).toLowerCase();
  switch (filter.type) {
    case 'AndFilter':
      return (filter.filters ?? []).every((f) => matches(f, attrs));
    case 'OrFilter':
      return (filter.filters ?? []).some((f) => matches(f, attrs));
    case 'NotFilter':
      return filter.filter ? !matches(filter.filter, attrs) : false;
    case 'PresenceFilter':
      return values().length > 0;
    case 'EqualityFilter':
      return values().includes(norm(filter.value));
    case 'SubstringFilter': {
      const initial = filter.initial ? norm(filter.initial) : '';
      const final = filter.final ? norm(filter.final) : '';
      const any = (filter.any ?? []).map(norm);
      return values().some((v) => {
        if (!v.startsWith(initial) || !v.endsWith(final)) return false;
        let pos = initial.length;
        for (const part of any) {
          const at = v.indexOf(part, pos);
          if (at < 0) return false;
          pos = at + part.length;
        }
        return pos <= v.length - final.length;
      });
    }
    default:
      return false; // unsupported filter types match nothing, never everything
  }
}

export interface DemoDirectory {
  url: string;
  /**
   * Replaces a group's `member` values (creating the groupOfNames if it does not exist), as an
   * administrator would with ldapmodify/ldapadd; memberOf follows like the memberof overlay.
   * For tests and development only.
   */
  setGroupMembers(groupDn: string, memberDns: string[]): void;
  close(): Promise<void>;
}

/**
 * An LDAP server inside the portal process, on loopback, for development and tests.
 * It answers binds and searches the way OpenLDAP does, so the portal's real LDAP code path
 * (passport-ldapauth, people search) runs unchanged against it.
 */
export async function startDemoDirectory(port = 0, ldifText?: string): Promise<DemoDirectory> {
  const raw = parseLdif(ldifText ?? fs.readFileSync(DEMO_LDIF_PATH, 'utf8'));
  let entries = withMemberOf(raw);
  let byDn = new Map(entries.map((e) => [norm(e.dn), e]));
  const server = ldap.createServer();

  server.bind(DEMO_BASE_DN, (req: any, res: any, next: any) => {
    const entry = byDn.get(norm(req.dn.toString()));
    const password = String(req.credentials ?? '');
    if (!entry || password === '' || !(entry.attributes.userPassword ?? []).includes(password)) {
      return next(new ldap.InvalidCredentialsError());
    }
    res.end();
    return next();
  });

  server.search(DEMO_BASE_DN, (req: any, res: any, next: any) => {
    // like a real directory, nothing is readable without a successful bind
    const boundDn: string = req.connection?.ldap?.bindDN?.toString() ?? '';
    if (!boundDn || !byDn.has(norm(boundDn))) return next(new ldap.InsufficientAccessRightsError());

    const base = norm(req.dn.toString());
    const scope: string = req.scope;
    // ldapjs 3 drops requested attributes with upper-case letters; ask for them in lower case
    const requested: string[] = (req.attributes ?? []).map((a: string) => a.toLowerCase());
    res.attributes = requested;
    // like OpenLDAP: a base that does not exist is an error, not an empty result
    if (!byDn.has(base)) return next(new ldap.NoSuchObjectError(req.dn.toString()));
    for (const entry of entries) {
      const dn = norm(entry.dn);
      const inScope =
        scope === 'base'
          ? dn === base
          : scope === 'one'
            ? dn.endsWith(`,${base}`) && !dn.slice(0, -(base.length + 1)).includes(',')
            : dn === base || dn.endsWith(`,${base}`);
      if (!inScope) continue;
      const attrs: Record<string, string[]> = {};
      for (const [k, v] of Object.entries(entry.attributes)) {
        if (k.toLowerCase() !== 'userpassword') attrs[k.toLowerCase()] = v;
      }
      if (!matches(req.filter, attrs)) continue;
      res.send({ dn: entry.dn, attributes: attrs });
    }
    res.end();
    return next();
  });

  // an answer is several small writes (entries, then "done"): without this, Nagle's algorithm
  // holds the last one until the client's delayed ACK, ~40 ms on every look-up
  (server as unknown as { server: NetServer }).server.on('connection', (socket) => socket.setNoDelay(true));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = (server as unknown as { address(): AddressInfo }).address();
  return {
    url: `ldap://127.0.0.1:${address.port}`,
    setGroupMembers(groupDn, memberDns) {
      let group = raw.find((e) => norm(e.dn) === norm(groupDn));
      if (!group) {
        const cn = /^cn=([^,]+),/i.exec(groupDn)?.[1];
        if (!cn || !norm(groupDn).endsWith(`,${norm(DEMO_BASE_DN)}`)) throw new Error(`Not a group DN of the demo directory: ${groupDn}`);
        group = { dn: groupDn, attributes: { objectClass: ['groupOfNames'], cn: [cn] } };
        raw.push(group);
      }
      group.attributes.member = [...memberDns];
      entries = withMemberOf(raw);
      byDn = new Map(entries.map((e) => [norm(e.dn), e]));
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
      }),
  };
}
