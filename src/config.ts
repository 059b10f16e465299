import path from 'node:path';
import { z } from 'zod';

/**
 * The one place that reads the environment. Everything else receives a typed Config.
 * Development defaults make `npm start` work on a bare machine; production refuses to
 * start unless the real database, directory and session secret are configured.
 */

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

export const ROLES = [
  'employee',
  'unit_head',
  'communications',
  'data_protection',
  'hannoverde',
  'staff_council',
  'admin',
] as const;
export type Role = (typeof ROLES)[number];

/** Roles that come from directory groups; "employee" is everybody who can sign in. */
export const GROUP_ROLES = ROLES.filter((r) => r !== 'employee');
export type GroupRole = Exclude<Role, 'employee'>;

const ROLE_GROUP_ENV: Record<GroupRole, string> = {
  unit_head: 'LDAP_GROUP_UNIT_HEAD',
  communications: 'LDAP_GROUP_COMMUNICATIONS',
  data_protection: 'LDAP_GROUP_DATA_PROTECTION',
  hannoverde: 'LDAP_GROUP_HANNOVERDE',
  staff_council: 'LDAP_GROUP_STAFF_COUNCIL',
  admin: 'LDAP_GROUP_ADMIN',
};

/** Optional functional mailbox per role, mailed in addition to the group's members. */
const ROLE_MAILBOX_ENV: Record<GroupRole, string> = {
  unit_head: 'ROLE_MAILBOX_UNIT_HEAD',
  communications: 'ROLE_MAILBOX_COMMUNICATIONS',
  data_protection: 'ROLE_MAILBOX_DATA_PROTECTION',
  hannoverde: 'ROLE_MAILBOX_HANNOVERDE',
  staff_council: 'ROLE_MAILBOX_STAFF_COUNCIL',
  admin: 'ROLE_MAILBOX_ADMIN',
};
const mailbox = optionalString.refine(
  (v) => v === undefined || /^[^\s@,;<>"]+@[^\s@,;<>"]+\.[^\s@,;<>"]+$/.test(v),
  'must be one e-mail address',
);

export const DEMO_BASE_DN = 'dc=hannover-stadt,dc=de';
const demoGroup = (cn: string) => `cn=${cn},ou=groups,${DEMO_BASE_DN}`;
export const DEMO_ROLE_GROUPS: Record<GroupRole, string> = {
  unit_head: demoGroup('smr-leitung'),
  communications: demoGroup('smr-kommunikation'),
  data_protection: demoGroup('smr-datenschutz'),
  hannoverde: demoGroup('smr-hannoverde'),
  staff_council: demoGroup('smr-personalrat'),
  admin: demoGroup('smr-admin'),
};

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  BASE_URL: optionalString,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),

  DATABASE_URL: optionalString,
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
  DATA_DIR: z.string().default('./data'),

  LDAP_URL: optionalString,
  LDAP_BIND_DN: optionalString,
  LDAP_BIND_PASSWORD: optionalString,
  LDAP_SEARCH_BASE: optionalString,
  LDAP_USER_FILTER: z.string().default('(uid={{username}})'),
  LDAP_UID_ATTRIBUTE: z.string().default('uid'),
  LDAP_NAME_ATTRIBUTE: z.string().default('cn'),
  LDAP_MAIL_ATTRIBUTE: z.string().default('mail'),
  LDAP_UNIT_ATTRIBUTE: z.string().default('departmentNumber'),
  LDAP_GROUP_ATTRIBUTE: z.string().default('memberOf'),
  LDAP_TIMEOUT_MS: z.coerce.number().int().min(100).default(5000),
  LDAP_GROUP_UNIT_HEAD: optionalString,
  LDAP_GROUP_COMMUNICATIONS: optionalString,
  LDAP_GROUP_DATA_PROTECTION: optionalString,
  LDAP_GROUP_HANNOVERDE: optionalString,
  LDAP_GROUP_STAFF_COUNCIL: optionalString,
  LDAP_GROUP_ADMIN: optionalString,
  DIRECTORY_SYNC_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60)
    .default(60),
  ROLE_MAILBOX_UNIT_HEAD: mailbox,
  ROLE_MAILBOX_COMMUNICATIONS: mailbox,
  ROLE_MAILBOX_DATA_PROTECTION: mailbox,
  ROLE_MAILBOX_HANNOVERDE: mailbox,
  ROLE_MAILBOX_STAFF_COUNCIL: mailbox,
  ROLE_MAILBOX_ADMIN: mailbox,
  DEMO_DIRECTORY_PORT: z.coerce.number().int().min(0).max(65535).default(0),

  SESSION_SECRET: optionalString,
  SESSION_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(30),
  SESSION_MAX_HOURS: z.coerce
    .number()
    .min(0.1)
    .max(24 * 7)
    .default(10),
  SESSION_ROLE_REFRESH_MINUTES: z.coerce
    .number()
    .min(0.1)
    .max(24 * 60)
    .default(15),
  TRUST_PROXY: z.string().default('false'),
  COOKIE_SECURE: z.enum(['auto', 'true', 'false']).default('auto'),
  CSP_UPGRADE_INSECURE_REQUESTS: bool.default(false),
  VERIFY_RESOLVE_LINKS: bool.default(false),
  VERIFY_RESOLVE_TIMEOUT_MS: z.coerce.number().int().min(100).max(10_000).default(2000),

  LOGIN_MAX_PER_ACCOUNT: z.coerce.number().int().min(1).default(5),
  LOGIN_MAX_PER_ADDRESS: z.coerce.number().int().min(1).default(30),
  LOGIN_WINDOW_MINUTES: z.coerce.number().int().min(1).default(15),

  MAINTENANCE_INTERVAL_MINUTES: z.coerce
    .number()
    .min(1)
    .max(24 * 60)
    .default(60),
  OUTBOX_KEEP_DAYS: z.coerce.number().int().min(1).default(30),
  /** Reporters' e-mail and address are deleted this many days after their case is decided (issue 12). */
  REPORT_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  /** Reports of fake accounts one address may send per hour. */
  REPORT_MAX_PER_ADDRESS: z.coerce.number().int().min(1).max(10_000).default(10),

  SMTP_URL: optionalString,
  MAIL_FROM: z.string().default('Social-Media-Register <social-media-register@hannover-stadt.de>'),

  OPERATOR_NAME: z.string().default('Landeshauptstadt Hannover'),
  OPERATOR_UNIT: z.string().default('Presse- und Informationsamt'),
  OPERATOR_ADDRESS: z.string().default('Trammplatz 2, 30159 Hannover'),
  OPERATOR_EMAIL: z.string().default('social-media@hannover-stadt.de'),
  OPERATOR_PHONE: z.string().default('+49 511 168-0'),
  OPERATOR_REPRESENTATIVE: z.string().default('Der Oberbürgermeister'),
  DPO_CONTACT: z
    .string()
    .default(
      'Datenschutzbeauftragte der Landeshauptstadt Hannover, Trammplatz 2, 30159 Hannover, datenschutz@hannover-stadt.de',
    ),
  ACCESSIBILITY_CONTACT: z.string().default('barrierefreiheit@hannover-stadt.de'),

  /** Licence of the open data in the DCAT-AP.de catalogue (/dcat.ttl): an IRI of dcat-ap.de/def/licenses. */
  OPEN_DATA_LICENSE: z.url({ protocol: /^https?$/ }).default('http://dcat-ap.de/def/licenses/dl-by-de/2.0'),
  /** dcatde:contributorID GovData assigned to the harvesting portal (empty: none). */
  OPEN_DATA_CONTRIBUTOR_ID: optionalString.pipe(z.url({ protocol: /^https?$/ }).optional()),
});

export type Env = Record<string, string | undefined>;

export interface DirectoryConfig {
  url: string;
  bindDn: string | undefined;
  bindPassword: string | undefined;
  searchBase: string;
  userFilter: string;
  attributes: { uid: string; name: string; mail: string; unit: string; groups: string };
  roleGroups: Partial<Record<GroupRole, string>>;
  timeoutMs: number;
}

export interface Config {
  env: 'development' | 'test' | 'production';
  host: string;
  port: number;
  baseUrl: string;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  database: { kind: 'postgres'; url: string; poolMax: number } | { kind: 'pglite'; dataDir: string };
  /** undefined: start the built-in demo directory (never in production). */
  directory: DirectoryConfig | undefined;
  demoDirectoryPort: number;
  /** How often the people cache is refreshed from the role groups (src/people/sync.ts). */
  directorySyncMinutes: number;
  session: {
    secret: string;
    idleMinutes: number;
    maxHours: number;
    roleRefreshMinutes: number;
    cookieSecure: boolean | 'auto';
  };
  trustProxy: boolean | number | string;
  csp: { upgradeInsecureRequests: boolean };
  /** The account check may follow a share link on the platform's own hosts (off by default). */
  verify: { resolveLinks: boolean; resolveTimeoutMs: number };
  login: { maxPerAccount: number; maxPerAddress: number; windowMinutes: number };
  maintenance: { intervalMinutes: number; outboxKeepDays: number };
  /** Citizens' reports of fake accounts (src/reports). */
  reports: { retentionDays: number; maxPerAddress: number };
  mail: { smtpUrl: string | undefined; from: string; roleMailboxes: Partial<Record<GroupRole, string>> };
  operator: {
    name: string;
    unit: string;
    address: string;
    email: string;
    phone: string;
    representative: string;
    dpoContact: string;
    accessibilityContact: string;
  };
  /** The DCAT-AP.de catalogue of the open data (src/public/dcat.ts). */
  openData: { license: string; contributorId: string | undefined };
}

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Configuration invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

function parseTrustProxy(v: string): boolean | number | string {
  if (v === 'true') return true;
  if (v === 'false' || v === '') return false;
  if (/^\d+$/.test(v)) return Number(v);
  return v;
}

export function loadConfig(env: Env = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';

  if (production) {
    const missing = ['DATABASE_URL', 'LDAP_URL', 'SESSION_SECRET', 'LDAP_SEARCH_BASE', 'BASE_URL'].filter(
      (name) => !e[name as keyof typeof e],
    );
    const problems = missing.map((name) => `${name} is required when NODE_ENV=production`);
    if (e.SESSION_SECRET && e.SESSION_SECRET.length < 32) {
      problems.push('SESSION_SECRET must be at least 32 characters long in production');
    }
    if (problems.length > 0) throw new ConfigError(problems);
  }
  if (e.LDAP_URL && !e.LDAP_SEARCH_BASE) {
    throw new ConfigError(['LDAP_SEARCH_BASE is required when LDAP_URL is set']);
  }

  const roleGroups: Partial<Record<GroupRole, string>> = {};
  for (const role of GROUP_ROLES) {
    const value = e[ROLE_GROUP_ENV[role] as keyof typeof e];
    if (typeof value === 'string' && value) roleGroups[role] = value;
  }

  const roleMailboxes: Partial<Record<GroupRole, string>> = {};
  for (const role of GROUP_ROLES) {
    const value = e[ROLE_MAILBOX_ENV[role] as keyof typeof e];
    if (typeof value === 'string' && value) roleMailboxes[role] = value;
  }

  const directory: DirectoryConfig | undefined = e.LDAP_URL
    ? {
        url: e.LDAP_URL,
        bindDn: e.LDAP_BIND_DN,
        bindPassword: e.LDAP_BIND_PASSWORD,
        searchBase: e.LDAP_SEARCH_BASE as string,
        userFilter: e.LDAP_USER_FILTER,
        attributes: {
          uid: e.LDAP_UID_ATTRIBUTE,
          name: e.LDAP_NAME_ATTRIBUTE,
          mail: e.LDAP_MAIL_ATTRIBUTE,
          unit: e.LDAP_UNIT_ATTRIBUTE,
          groups: e.LDAP_GROUP_ATTRIBUTE,
        },
        roleGroups,
        timeoutMs: e.LDAP_TIMEOUT_MS,
      }
    : undefined;

  return {
    env: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    baseUrl: (e.BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    logLevel: e.LOG_LEVEL,
    database: e.DATABASE_URL
      ? { kind: 'postgres', url: e.DATABASE_URL, poolMax: e.DATABASE_POOL_MAX }
      : { kind: 'pglite', dataDir: path.resolve(e.DATA_DIR) },
    directory,
    demoDirectoryPort: e.DEMO_DIRECTORY_PORT,
    directorySyncMinutes: e.DIRECTORY_SYNC_MINUTES,
    session: {
      // Outside production a per-process random secret is fine: sessions live in the DB,
      // but a restart signs everybody out, which is what a developer expects.
      secret: e.SESSION_SECRET ?? `dev-${Math.random().toString(36).slice(2)}${Date.now()}`,
      idleMinutes: e.SESSION_IDLE_MINUTES,
      maxHours: e.SESSION_MAX_HOURS,
      roleRefreshMinutes: e.SESSION_ROLE_REFRESH_MINUTES,
      cookieSecure: e.COOKIE_SECURE === 'auto' ? 'auto' : e.COOKIE_SECURE === 'true',
    },
    trustProxy: parseTrustProxy(e.TRUST_PROXY),
    csp: { upgradeInsecureRequests: e.CSP_UPGRADE_INSECURE_REQUESTS },
    verify: { resolveLinks: e.VERIFY_RESOLVE_LINKS, resolveTimeoutMs: e.VERIFY_RESOLVE_TIMEOUT_MS },
    login: {
      maxPerAccount: e.LOGIN_MAX_PER_ACCOUNT,
      maxPerAddress: e.LOGIN_MAX_PER_ADDRESS,
      windowMinutes: e.LOGIN_WINDOW_MINUTES,
    },
    maintenance: { intervalMinutes: e.MAINTENANCE_INTERVAL_MINUTES, outboxKeepDays: e.OUTBOX_KEEP_DAYS },
    reports: { retentionDays: e.REPORT_RETENTION_DAYS, maxPerAddress: e.REPORT_MAX_PER_ADDRESS },
    mail: { smtpUrl: e.SMTP_URL, from: e.MAIL_FROM, roleMailboxes },
    operator: {
      name: e.OPERATOR_NAME,
      unit: e.OPERATOR_UNIT,
      address: e.OPERATOR_ADDRESS,
      email: e.OPERATOR_EMAIL,
      phone: e.OPERATOR_PHONE,
      representative: e.OPERATOR_REPRESENTATIVE,
      dpoContact: e.DPO_CONTACT,
      accessibilityContact: e.ACCESSIBILITY_CONTACT,
    },
    openData: { license: e.OPEN_DATA_LICENSE, contributorId: e.OPEN_DATA_CONTRIBUTOR_ID },
  };
}

/** Settings the demo directory fills in once it listens; same shape as a real directory. */
export function demoDirectoryConfig(url: string): DirectoryConfig {
  return {
    url,
    bindDn: `cn=portal,ou=services,${DEMO_BASE_DN}`,
    bindPassword: 'demo-service',
    searchBase: `ou=people,${DEMO_BASE_DN}`,
    userFilter: '(uid={{username}})',
    attributes: { uid: 'uid', name: 'cn', mail: 'mail', unit: 'departmentNumber', groups: 'memberOf' },
    roleGroups: DEMO_ROLE_GROUPS,
    timeoutMs: 5000,
  };
}
