import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import ldap from 'ldapjs';
import { DEMO_BASE_DN, demoDirectoryConfig, type DirectoryConfig } from '../../src/config';
import { startDemoDirectory } from '../../src/directory/demo-server';
import { SLAPD_DIR, TEST_LDAP_ROOT_PASSWORD, TEST_LDAP_URL } from './env';

export interface TestDirectory {
  config: DirectoryConfig;
  kind: 'openldap' | 'demo';
  /**
   * Replaces a group's members, creating the group if needed, as an administrator would in
   * the directory (ldapmodify/ldapadd on OpenLDAP as cn=admin; the demo directory's own hook).
   * Test files run in parallel against one OpenLDAP: change only groups of your own
   * (testGroupDn), never the demo groups others rely on.
   */
  setGroupMembers(groupDn: string, memberDns: string[]): Promise<void>;
  close(): Promise<void>;
}

/** A fresh group DN for one test: changing it disturbs no other test file. */
export function testGroupDn(): string {
  return `cn=smr-test-${randomBytes(5).toString('hex')},ou=groups,${DEMO_BASE_DN}`;
}

/** The root password of the slapd that scripts/slapd.sh started (its state directory keeps it). */
function rootPassword(): string {
  if (TEST_LDAP_ROOT_PASSWORD) return TEST_LDAP_ROOT_PASSWORD;
  const file = path.join(SLAPD_DIR ?? '/tmp/smr-slapd', 'rootpw');
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    throw new Error(
      `Changing OpenLDAP needs its root password: set TEST_LDAP_ROOT_PASSWORD or SLAPD_DIR (read ${file})`,
    );
  }
}

async function ldapReplaceMembers(url: string, groupDn: string, memberDns: string[]): Promise<void> {
  const client = ldap.createClient({ url, timeout: 5000, connectTimeout: 5000 });
  client.on('error', () => undefined);
  try {
    await new Promise<void>((resolve, reject) =>
      client.bind(`cn=admin,${DEMO_BASE_DN}`, rootPassword(), (err) =>
        err ? reject(new Error(err.message, { cause: err })) : resolve(),
      ),
    );
    const change = new ldap.Change({
      operation: 'replace',
      modification: new ldap.Attribute({ type: 'member', values: memberDns }),
    });
    const modified = await new Promise<boolean>((resolve, reject) =>
      client.modify(groupDn, change, (err) =>
        !err
          ? resolve(true)
          : err.name === 'NoSuchObjectError'
            ? resolve(false)
            : reject(new Error(err.message, { cause: err })),
      ),
    );
    if (modified) return;
    const cn = /^cn=([^,]+),/i.exec(groupDn)?.[1] ?? 'test';
    await new Promise<void>((resolve, reject) =>
      client.add(groupDn, { objectClass: ['groupOfNames'], cn, member: memberDns }, (err) =>
        err ? reject(new Error(err.message, { cause: err })) : resolve(),
      ),
    );
  } finally {
    client.unbind(() => undefined);
    client.destroy();
  }
}

/**
 * The directory a test talks to: OpenLDAP (slapd loaded with directory/demo-directory.ldif)
 * when TEST_LDAP_URL is set, otherwise the built-in demo directory on a free port.
 */
export async function startTestDirectory(): Promise<TestDirectory> {
  if (TEST_LDAP_URL) {
    const url = TEST_LDAP_URL;
    return {
      config: demoDirectoryConfig(url),
      kind: 'openldap',
      setGroupMembers: (groupDn, memberDns) => ldapReplaceMembers(url, groupDn, memberDns),
      close: async () => undefined,
    };
  }
  const demo = await startDemoDirectory(0);
  return {
    config: demoDirectoryConfig(demo.url),
    kind: 'demo',
    setGroupMembers: async (groupDn, memberDns) => demo.setGroupMembers(groupDn, memberDns),
    close: () => demo.close(),
  };
}
