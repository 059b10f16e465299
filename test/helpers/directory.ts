import { demoDirectoryConfig, type DirectoryConfig } from '../../src/config';
import { startDemoDirectory } from '../../src/directory/demo-server';
import { TEST_LDAP_URL } from './env';

export interface TestDirectory {
  config: DirectoryConfig;
  kind: 'openldap' | 'demo';
  close(): Promise<void>;
}

/**
 * The directory a test talks to: OpenLDAP (slapd loaded with directory/demo-directory.ldif)
 * when TEST_LDAP_URL is set, otherwise the built-in demo directory on a free port.
 */
export async function startTestDirectory(): Promise<TestDirectory> {
  if (TEST_LDAP_URL) {
    return { config: demoDirectoryConfig(TEST_LDAP_URL), kind: 'openldap', close: async () => undefined };
  }
  const demo = await startDemoDirectory(0);
  return { config: demoDirectoryConfig(demo.url), kind: 'demo', close: () => demo.close() };
}
