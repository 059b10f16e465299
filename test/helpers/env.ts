/**
 * The test suite's own switches. The app reads its environment only in src/config.ts;
 * these pick the real services a test run talks to.
 */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || undefined;
export const TEST_LDAP_URL = process.env.TEST_LDAP_URL || undefined;
export const backendName = TEST_DATABASE_URL ? 'postgres' : 'pglite';
/** Root password of the OpenLDAP under test, for tests that change groups; else read from SLAPD_DIR/rootpw (scripts/slapd.sh). */
export const TEST_LDAP_ROOT_PASSWORD = process.env.TEST_LDAP_ROOT_PASSWORD || undefined;
export const SLAPD_DIR = process.env.SLAPD_DIR || undefined;
