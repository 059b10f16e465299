import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { ConfigError, DEMO_ROLE_GROUPS, demoDirectoryConfig, loadConfig, type Env } from '../../src/config';
import { DEMO_LDIF_PATH } from '../../src/directory/demo-server';
import { parseLdif } from '../../src/directory/ldif';

/**
 * The deployment files (docker-compose.yml, Dockerfile, .env.example, the slapd set-up) cannot
 * be run here (no Docker engine), so these tests check them against the code they configure.
 */

const ROOT = path.resolve(__dirname, '../..');
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');
const packageJson = JSON.parse(read('package.json')) as {
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
};
/** The text of every .ts file under a folder of the repository. */
const sourceFiles = (folder: string): string[] =>
  fs
    .readdirSync(path.join(ROOT, folder), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => read(path.join(folder, f)));

/** The variables loadConfig insists on when NODE_ENV=production (src/config.ts). */
const REQUIRED_IN_PRODUCTION = ['DATABASE_URL', 'LDAP_URL', 'SESSION_SECRET', 'LDAP_SEARCH_BASE', 'BASE_URL'];
/** The demo users the README lists (directory/demo-directory.ldif). */
const DEMO_UIDS = [
  'redaktion',
  'redaktion2',
  'leitung',
  'kommunikation',
  'datenschutz',
  'hannoverde',
  'personalrat',
  'admin',
];
const TEST_SECRET = 'test-session-secret-0123456789abcdefghijklmnopqrstuvwxyz';

// ---------------------------------------------------------------------------------------------
// docker compose interpolation: $$, $VAR, ${VAR}, ${VAR:-default}, ${VAR-default},
// ${VAR:?message}, ${VAR?message}, ${VAR:+alt}, ${VAR+alt} (defaults may nest).

class MissingVariableError extends Error {}

function interpolate(value: string, vars: Env): string {
  const pattern =
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])((?:[^{}]|\{[^{}]*\})*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;
  return value.replace(pattern, (match, name?: string, op?: string, arg?: string, bare?: string) => {
    if (match === '$$') return '$';
    if (bare) return vars[bare] ?? '';
    const key = name as string;
    const current = vars[key];
    const set = current !== undefined;
    const nonEmpty = set && current !== '';
    const given = op?.startsWith(':') ? nonEmpty : set;
    switch (op?.replace(':', '')) {
      case undefined:
        return current ?? '';
      case '-':
        return given ? (current as string) : interpolate(arg ?? '', vars);
      case '+':
        return given ? interpolate(arg ?? '', vars) : '';
      case '?':
        if (!given) throw new MissingVariableError(`required variable ${key} is missing a value: ${arg ?? ''}`);
        return current as string;
      default:
        throw new Error(`unsupported interpolation ${match}`);
    }
  });
}

// ---------------------------------------------------------------------------------------------
// docker-compose.yml

type ComposeService = {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  environment?: Record<string, string | number | boolean | null> | string[];
  volumes?: (string | { type?: string; source?: string; target?: string; read_only?: boolean })[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  healthcheck?: { test?: string | string[] };
  ports?: (string | number | { target?: number; published?: string | number })[];
  command?: string | string[];
  entrypoint?: string | string[];
  init?: boolean;
};
type ComposeFile = { services: Record<string, ComposeService> };

const compose = parseYaml(read('docker-compose.yml')) as ComposeFile;

function service(name: string): ComposeService {
  const s = compose.services[name];
  if (!s) throw new Error(`docker-compose.yml has no service ${name}`);
  return s;
}

/** A service's environment as written (map or list form), before interpolation. */
function rawEnvironment(s: ComposeService): Record<string, string> {
  const env = s.environment ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(
      env.map((line) => {
        const i = line.indexOf('=');
        return i < 0 ? [line, ''] : [line.slice(0, i), line.slice(i + 1)];
      }),
    );
  }
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === null ? '' : String(v)]));
}

/** A service's environment as docker compose hands it to the container. */
function environment(name: string, vars: Env = { SESSION_SECRET: TEST_SECRET }): Env {
  return Object.fromEntries(Object.entries(rawEnvironment(service(name))).map(([k, v]) => [k, interpolate(v, vars)]));
}

/** Volumes as { source, target } (short "src:dst[:mode]" or long syntax). */
function volumes(name: string): { source: string; target: string }[] {
  return (service(name).volumes ?? []).map((v) => {
    if (typeof v === 'string') {
      const [source = '', target = ''] = v.split(':');
      return { source, target };
    }
    return { source: v.source ?? '', target: v.target ?? '' };
  });
}

/** The keys of envSchema in src/config.ts (it is not exported), read from the source text. */
function envSchemaKeys(): string[] {
  const text = read('src/config.ts');
  const start = text.indexOf('const envSchema = z.object({');
  expect(start, 'envSchema in src/config.ts').toBeGreaterThanOrEqual(0);
  const end = text.indexOf('\n});', start);
  const body = text.slice(start, end);
  return [...body.matchAll(/^\s+([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1] as string);
}

describe('docker-compose.yml: app service', () => {
  const env = environment('app');

  it('sets every variable loadConfig requires in production, and production starts with it', () => {
    expect(env.NODE_ENV).toBe('production');
    for (const name of REQUIRED_IN_PRODUCTION) expect(env[name], name).toBeTruthy();
    const config = loadConfig(env);
    expect(config.env).toBe('production');
    expect(config.host).toBe('0.0.0.0');
    expect(config.port).toBe(3000);
    expect(config.database.kind).toBe('postgres');
    expect(config.directory).toBeDefined();
    expect(config.mail.smtpUrl).toBe('smtp://mailpit:1025');
    expect(config.session.cookieSecure).toBe(false);
  });

  it.each(REQUIRED_IN_PRODUCTION)('production refuses to start without %s', (name) => {
    const { [name]: _removed, ...rest } = env;
    expect(() => loadConfig(rest)).toThrow(ConfigError);
    expect(() => loadConfig(rest)).toThrow(name);
  });

  it('requires SESSION_SECRET from the environment (no default value in the file)', () => {
    expect(rawEnvironment(service('app')).SESSION_SECRET).toMatch(/^\$\{SESSION_SECRET:\?.+\}$/);
    expect(() => environment('app', {})).toThrow(MissingVariableError);
    expect(() => environment('app', { SESSION_SECRET: '' })).toThrow(MissingVariableError);
  });

  it('uses only variable names that src/config.ts knows', () => {
    const known = new Set(envSchemaKeys());
    expect(Object.keys(env).filter((k) => !known.has(k))).toEqual([]);
  });

  it('maps the role groups to the demo directory groups (DEMO_ROLE_GROUPS)', () => {
    const groupVars = Object.keys(env).filter((k) => k.startsWith('LDAP_GROUP_') && k !== 'LDAP_GROUP_ATTRIBUTE');
    expect(groupVars).toHaveLength(Object.keys(DEMO_ROLE_GROUPS).length);
    expect(loadConfig(env).directory?.roleGroups).toEqual(DEMO_ROLE_GROUPS);
  });

  it('configures the directory like the built-in demo directory (service account, base, attributes)', () => {
    const directory = loadConfig(env).directory;
    const demo = demoDirectoryConfig(env.LDAP_URL as string);
    expect(directory).toMatchObject({
      url: demo.url,
      bindDn: demo.bindDn,
      bindPassword: demo.bindPassword,
      searchBase: demo.searchBase,
      userFilter: demo.userFilter,
      attributes: demo.attributes,
      roleGroups: demo.roleGroups,
    });
  });

  it('points at the other services of the stack, and waits for them', () => {
    const db = new URL(env.DATABASE_URL as string);
    const pg = environment('postgres');
    expect(db.hostname).toBe('postgres');
    expect(decodeURIComponent(db.username)).toBe(pg.POSTGRES_USER);
    expect(decodeURIComponent(db.password)).toBe(pg.POSTGRES_PASSWORD);
    expect(db.pathname).toBe(`/${pg.POSTGRES_DB}`);

    const ldapUrl = new URL(env.LDAP_URL as string);
    expect(ldapUrl.hostname).toBe('openldap');
    expect(ldapUrl.port).toBe(environment('openldap').SLAPD_PORT);

    const smtp = new URL(env.SMTP_URL as string);
    expect([smtp.hostname, smtp.port]).toEqual(['mailpit', '1025']);

    const dependsOn = service('app').depends_on;
    expect(dependsOn).toMatchObject({
      postgres: { condition: 'service_healthy' },
      openldap: { condition: 'service_healthy' },
      mailpit: { condition: expect.stringMatching(/^service_(started|healthy)$/) },
    });
    expect(service('postgres').healthcheck?.test).toBeDefined();
    expect(service('openldap').healthcheck?.test).toBeDefined();
  });

  it("runs the image's command (the compiled server): no command or entrypoint of its own", () => {
    expect(service('app').command).toBeUndefined();
    expect(service('app').entrypoint).toBeUndefined();
  });

  it('is built from the Dockerfile and published on port 3000', () => {
    const build = service('app').build;
    const context = typeof build === 'string' ? build : build?.context;
    const dockerfile = (typeof build === 'object' && build.dockerfile) || 'Dockerfile';
    expect(path.resolve(ROOT, context ?? '', dockerfile)).toBe(path.join(ROOT, 'Dockerfile'));
    expect((service('app').ports ?? []).map(String).some((p) => p.endsWith(':3000'))).toBe(true);
  });
});

describe('docker-compose.yml: openldap service', () => {
  const env = environment('openldap');
  const mounts = volumes('openldap');

  it('loads directory/demo-directory.ldif, the file the built-in demo directory serves', () => {
    const ldifTarget = env.SLAPD_LDIF;
    expect(ldifTarget).toBeTruthy();
    const mount = mounts.find((m) => m.target === ldifTarget);
    expect(mount, `a volume mounted at ${ldifTarget}`).toBeDefined();
    const source = path.resolve(ROOT, mount?.source ?? '');
    expect(source).toBe(path.join(ROOT, 'directory/demo-directory.ldif'));
    expect(source).toBe(DEMO_LDIF_PATH);
  });

  it('runs scripts/slapd.sh (memberof overlay, ldapadd through the server) from this checkout', () => {
    const script = mounts.find((m) => path.resolve(ROOT, m.source) === path.join(ROOT, 'scripts/slapd.sh'));
    expect(script).toBeDefined();
    const command = [service('openldap').command ?? []].flat().join(' ');
    expect(command).toContain(`${script?.target} run`);
    const template = mounts.find((m) => path.resolve(ROOT, m.source) === path.join(ROOT, 'scripts/slapd'));
    expect(template?.target).toBe(path.posix.join(path.posix.dirname(script?.target ?? ''), 'slapd'));
    expect(String(service('openldap').healthcheck?.test)).toContain('check');
  });

  it('holds every demo user of the README with a password, and every role group with a member', () => {
    const entries = parseLdif(fs.readFileSync(DEMO_LDIF_PATH, 'utf8'));
    const byDn = new Map(entries.map((e) => [e.dn.toLowerCase(), e]));
    for (const uid of DEMO_UIDS) {
      const entry = byDn.get(`uid=${uid},ou=people,dc=hannover-stadt,dc=de`);
      expect(entry, uid).toBeDefined();
      expect(entry?.attributes.uid).toEqual([uid]);
      expect(entry?.attributes.userPassword?.[0], `${uid} password`).toBeTruthy();
    }
    for (const dn of Object.values(DEMO_ROLE_GROUPS)) {
      const group = byDn.get(dn.toLowerCase());
      expect(group, dn).toBeDefined();
      expect(group?.attributes.objectClass).toContain('groupOfNames');
      expect(group?.attributes.member?.length, `${dn} members`).toBeGreaterThan(0);
    }
    const service = byDn.get('cn=portal,ou=services,dc=hannover-stadt,dc=de');
    expect(service?.attributes.userPassword).toEqual(['demo-service']);
  });
});

describe('scripts/slapd.sh (CI and compose)', () => {
  it('loads the demo LDIF by default into a slapd.conf with memberof, refint and the demo base', () => {
    expect(read('scripts/slapd.sh')).toContain('LDIF=${SLAPD_LDIF:-$ROOT/directory/demo-directory.ldif}');
    const template = read('scripts/slapd/slapd.conf.template');
    for (const line of [
      /^moduleload\s+memberof$/m,
      /^overlay\s+memberof$/m,
      /^overlay\s+refint$/m,
      /^suffix\s+"dc=hannover-stadt,dc=de"$/m,
      /^rootdn\s+"cn=admin,dc=hannover-stadt,dc=de"$/m,
      /^access to attrs=userPassword\n\s+by anonymous auth\n\s+by \* none$/m,
    ]) {
      expect(template).toMatch(line);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Dockerfile

type Instruction = { keyword: string; args: string };

function dockerfileStages(text: string): Instruction[][] {
  const instructions = text
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => {
      const m = /^(\S+)\s*(.*)$/.exec(l) as RegExpExecArray;
      return { keyword: (m[1] as string).toUpperCase(), args: m[2] as string };
    });
  const stages: Instruction[][] = [];
  for (const i of instructions) {
    if (i.keyword === 'FROM') stages.push([]);
    stages.at(-1)?.push(i);
  }
  return stages;
}

describe('Dockerfile', () => {
  const stages = dockerfileStages(read('Dockerfile'));
  const runtime = stages.at(-1) ?? [];
  const last = (keyword: string) => runtime.filter((i) => i.keyword === keyword).at(-1);

  it('is multi-stage on node:20-bookworm-slim, with production dependencies only at runtime', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(read('Dockerfile')).toMatch(/node:20-bookworm-slim/);
    expect(runtime.some((i) => i.keyword === 'RUN' && /npm ci\b.*--omit=dev/.test(i.args))).toBe(true);
    expect(
      runtime
        .filter((i) => i.keyword === 'ENV')
        .map((i) => i.args)
        .join(' '),
    ).toMatch(/NODE_ENV=production/);
    expect(
      runtime
        .filter((i) => i.keyword === 'ENV')
        .map((i) => i.args)
        .join(' '),
    ).toMatch(/HOST=0\.0\.0\.0/);
  });

  it('runs the runtime stage as a non-root user', () => {
    const user = last('USER')?.args.trim();
    expect(user, 'USER in the runtime stage').toBeTruthy();
    expect(user?.split(':')[0]).not.toMatch(/^(root|0)$/);
  });

  it('starts node directly (not npm) and checks /healthz with node', () => {
    const cmd = JSON.parse(last('CMD')?.args ?? 'null') as string[] | null;
    expect(Array.isArray(cmd), 'CMD in exec (JSON) form').toBe(true);
    expect(cmd?.[0]).toBe('node');
    expect(cmd).not.toContain('npm');
    expect(cmd?.join(' ')).toBe('node dist/src/server.js');
    const healthcheck = last('HEALTHCHECK')?.args ?? '';
    expect(healthcheck).toMatch(/CMD \["node"/);
    expect(healthcheck).toContain('/healthz');
  });

  it('runs the compiled server: the file `npm run build` writes, the command of `npm run start:prod`', () => {
    const cmd = JSON.parse(last('CMD')?.args ?? 'null') as string[];
    const scripts = packageJson.scripts;
    expect(scripts['start:prod']).toBe(cmd.join(' '));
    expect(scripts.build).toBe('tsc -p tsconfig.build.json');
    const build = JSON.parse(read('tsconfig.build.json')) as {
      compilerOptions: { outDir: string; rootDir: string };
      include: string[];
    };
    const compiled = (source: string) =>
      path
        .join(build.compilerOptions.outDir, path.relative(build.compilerOptions.rootDir, source))
        .replace(/\.ts$/, '.js');
    expect(cmd[1]).toBe(compiled('src/server.ts'));
    expect(build.include).toEqual(expect.arrayContaining(['src/**/*.ts', 'migrations/**/*.ts']));
    expect(build.include.some((glob) => glob.startsWith('test/') || glob.startsWith('bench/'))).toBe(false);
  });

  it('compiles in the build stage and has no TypeScript toolchain (tsx, tsc, esbuild, sources) at runtime', () => {
    const buildStage = stages.find((s) => /\bAS\s+build$/i.test(s[0]?.args ?? '')) ?? [];
    expect(buildStage.some((i) => i.keyword === 'RUN' && /\bnpm ci\b(?!.*--omit)/.test(i.args))).toBe(true);
    expect(buildStage.some((i) => i.keyword === 'RUN' && /\bnpm run build\b/.test(i.args))).toBe(true);
    const text = runtime.map((i) => `${i.keyword} ${i.args}`).join('\n');
    for (const word of [/\btsx\b/, /\btsc\b/, /typescript/i, /esbuild/, /\bsrc\//, /\.ts\b/]) {
      expect(text.replace(/dist\/src\//g, ''), String(word)).not.toMatch(word);
    }
    // the runtime takes the app from the build stage: compiled code and the files it reads
    expect(runtime.filter((i) => i.keyword === 'COPY' && i.args.includes('--from=')).map((i) => i.args)).toEqual([
      '--from=build /out/ ./',
    ]);
    const collected =
      /for d in ([\w\s]+); do/
        .exec(buildStage.map((i) => i.args).join('\n'))?.[1]
        ?.trim()
        .split(/\s+/) ?? [];
    expect(collected).toContain('dist');
    expect(collected).not.toContain('src');
    // every folder the code opens through the project-root helper (src/paths.ts) is in the image
    const opened = [
      ...sourceFiles('src')
        .join('\n')
        .matchAll(/fromProjectRoot\('([^']+)'/g),
    ].map((m) => m[1]);
    expect(new Set(opened)).toEqual(new Set(['views', 'public', 'directory', 'node_modules']));
    for (const folder of opened.filter((f) => f !== 'node_modules')) expect(collected, folder).toContain(folder);
    // node_modules (PGlite's version, the embedded database's template cache) is the runtime stage's own install
    expect(runtime.some((i) => i.keyword === 'RUN' && /\bnpm ci\b.*--omit=dev/.test(i.args))).toBe(true);
  });

  it('keeps tsx, esbuild and TypeScript out of the production dependencies', () => {
    const prodDeps = Object.keys(packageJson.dependencies);
    for (const name of ['tsx', 'esbuild', 'typescript']) expect(prodDeps, name).not.toContain(name);
    expect(prodDeps).toContain('@kern-ux/native'); // served from node_modules at run time
    const lock = JSON.parse(read('package-lock.json')) as { packages: Record<string, { dev?: boolean }> };
    const toolchain = Object.entries(lock.packages).filter(([p]) =>
      /^node_modules\/(tsx|esbuild|typescript|@esbuild\/[^/]+)$/.test(p),
    );
    expect(toolchain.length).toBeGreaterThan(2);
    // `npm ci --omit=dev` leaves out exactly the packages marked dev in the lock file
    expect(toolchain.filter(([, entry]) => entry.dev !== true).map(([p]) => p)).toEqual([]);
  });

  it('keeps node_modules, data and .git out of the build context', () => {
    const ignore = read('.dockerignore')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    // An allow-list ("*" first) excludes them unless they are admitted again.
    expect(ignore[0]).toBe('*');
    for (const name of ['node_modules', 'data', '.git', 'dist', 'test', '.env']) {
      expect(
        ignore.filter((l) => l.startsWith('!')).some((l) => l.replace(/^!|\/$/g, '') === name),
        name,
      ).toBe(false);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// .env.example

/** KEY=value lines of a .env file ('single' and "double" quotes stripped). */
function parseDotenv(text: string): Env {
  const env: Env = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (!m) continue;
    const raw = (m[2] as string).trim();
    env[m[1] as string] = /^(['"]).*\1$/.test(raw) ? raw.slice(1, -1) : raw;
  }
  return env;
}

describe('.env.example', () => {
  const text = read('.env.example');
  const keys = envSchemaKeys();

  it('mentions every variable of envSchema in src/config.ts', () => {
    expect(keys.length).toBeGreaterThan(30);
    const missing = keys.filter((k) => !new RegExp(`^#?\\s*${k}=`, 'm').test(text));
    expect(missing).toEqual([]);
  });

  it('gives each variable its built-in default (loading it changes nothing)', () => {
    const env = parseDotenv(text);
    const strip = (c: ReturnType<typeof loadConfig>) => ({ ...c, session: { ...c.session, secret: '' } });
    expect(strip(loadConfig(env))).toEqual(strip(loadConfig({})));
  });

  it('lists the variables docker-compose.yml interpolates', () => {
    const used = new Set([...read('docker-compose.yml').matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]));
    const env = parseDotenv(text);
    expect([...used].filter((k) => !(k! in env))).toEqual([]);
  });
});
