import fs from 'node:fs';
import os from 'node:os';
import net from 'node:net';
import path from 'node:path';
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import pg from 'pg';
import request from 'supertest';
import { DEMO_BASE_DN, DEMO_ROLE_GROUPS } from '../../src/config';
import { csrfFrom } from '../helpers/http';

const run = promisify(execFile);
export const REPO = path.resolve(__dirname, '../..');
export const PG_BIN = process.env.SMR_PG_BIN ?? '/usr/lib/postgresql/15/bin';

/** A TCP port nobody listens on right now (loopback). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` until it returns a truthy value (bounded). */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | false>,
  timeoutMs = 30_000,
  everyMs = 200,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < until) {
    try {
      const v = await probe();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    await sleep(everyMs);
  }
  throw new Error(
    `timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${last instanceof Error ? last.message : JSON.stringify(last)}` : ''}`,
  );
}

const clusters = new Set<PgCluster>();
process.once('exit', () => {
  // last resort (a crashed test run): never leave a postmaster behind
  for (const c of clusters) {
    c.stopSync();
    fs.rmSync(c.dir, { recursive: true, force: true });
  }
});

/**
 * A throwaway PostgreSQL 15 cluster (Debian's server binaries, run as the postgres user),
 * data and socket directory under a temporary folder, listening on a free loopback port.
 * It never touches the machine's own cluster on 5432.
 */
export class PgCluster {
  private constructor(
    readonly dir: string,
    readonly port: number,
  ) {}

  get dataDir() {
    return path.join(this.dir, 'data');
  }
  get socketDir() {
    return path.join(this.dir, 'sock');
  }
  url(database = 'postgres') {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  static async create(): Promise<PgCluster> {
    if (process.getuid?.() !== 0)
      throw new Error('the fault tests need root (they run initdb and pg_ctl as the postgres user via runuser)');
    if (!fs.existsSync(path.join(PG_BIN, 'initdb')))
      throw new Error(`no PostgreSQL server binaries in ${PG_BIN} (Debian package postgresql-15)`);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smr-pg-'));
    fs.chmodSync(dir, 0o755);
    const cluster = new PgCluster(dir, await freePort());
    clusters.add(cluster);
    fs.mkdirSync(cluster.socketDir);
    await run('chown', ['-R', 'postgres:postgres', dir]);
    await cluster.asPostgres('initdb', [
      '-D',
      cluster.dataDir,
      '-U',
      'postgres',
      '-A',
      'trust',
      '-E',
      'UTF8',
      '--locale=C.UTF-8',
      '--no-sync',
    ]);
    await cluster.start();
    return cluster;
  }

  private asPostgres(bin: string, args: string[]) {
    return run('runuser', ['-u', 'postgres', '--', path.join(PG_BIN, bin), ...args], { timeout: 120_000 });
  }

  async start(): Promise<void> {
    await this.asPostgres('pg_ctl', [
      '-D',
      this.dataDir,
      '-l',
      path.join(this.dir, 'postgres.log'),
      '-w',
      '-t',
      '60',
      '-o',
      `-p ${this.port} -c listen_addresses=127.0.0.1 -k ${this.socketDir} -c max_connections=200`,
      'start',
    ]);
  }

  /** mode: 'fast' (clean shutdown, open sessions are cut) or 'immediate' (like a crash). */
  async stop(mode: 'fast' | 'immediate' = 'fast'): Promise<void> {
    await this.asPostgres('pg_ctl', ['-D', this.dataDir, '-m', mode, '-w', '-t', '60', 'stop']);
  }

  running(): boolean {
    try {
      execFileSync('runuser', ['-u', 'postgres', '--', path.join(PG_BIN, 'pg_ctl'), '-D', this.dataDir, 'status'], {
        stdio: 'ignore',
      });
      return true;
    } catch {
      return false;
    }
  }

  stopSync() {
    try {
      if (this.running())
        execFileSync(
          'runuser',
          ['-u', 'postgres', '--', path.join(PG_BIN, 'pg_ctl'), '-D', this.dataDir, '-m', 'immediate', '-w', 'stop'],
          { stdio: 'ignore' },
        );
    } catch {
      /* best effort */
    }
  }

  async createDatabase(name: string): Promise<string> {
    const c = new pg.Client({ connectionString: this.url() });
    await c.connect();
    await c.query(`CREATE DATABASE ${name}`);
    await c.end();
    return this.url(name);
  }

  log(): string {
    try {
      return fs.readFileSync(path.join(this.dir, 'postgres.log'), 'utf8');
    } catch {
      return '';
    }
  }

  /** Stops the server and removes every file. Safe to call twice. */
  async destroy(): Promise<void> {
    if (!clusters.has(this)) return;
    if (this.running()) await this.stop('immediate').catch(() => this.stopSync());
    clusters.delete(this);
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Environment for the real server (src/server.ts) against a given database and directory. */
export function serverEnv(opts: {
  databaseUrl: string;
  ldapUrl: string;
  port: number;
  smtpUrl?: string;
  extra?: Record<string, string>;
}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'development',
    HOST: '127.0.0.1',
    PORT: String(opts.port),
    BASE_URL: `http://127.0.0.1:${opts.port}`,
    LOG_LEVEL: 'info',
    DATABASE_URL: opts.databaseUrl,
    DATABASE_POOL_MAX: '5',
    LDAP_URL: opts.ldapUrl,
    LDAP_BIND_DN: `cn=portal,ou=services,${DEMO_BASE_DN}`,
    LDAP_BIND_PASSWORD: 'demo-service',
    LDAP_SEARCH_BASE: `ou=people,${DEMO_BASE_DN}`,
    LDAP_GROUP_UNIT_HEAD: DEMO_ROLE_GROUPS.unit_head,
    LDAP_GROUP_COMMUNICATIONS: DEMO_ROLE_GROUPS.communications,
    LDAP_GROUP_DATA_PROTECTION: DEMO_ROLE_GROUPS.data_protection,
    LDAP_GROUP_HANNOVERDE: DEMO_ROLE_GROUPS.hannoverde,
    LDAP_GROUP_STAFF_COUNCIL: DEMO_ROLE_GROUPS.staff_council,
    LDAP_GROUP_ADMIN: DEMO_ROLE_GROUPS.admin,
    // the same secret for every process: a cookie from one instance is good on the other, and after a restart
    SESSION_SECRET: 'fault-tests-session-secret-0123456789abcdef',
    ...(opts.smtpUrl ? { SMTP_URL: opts.smtpUrl } : {}),
    ...opts.extra,
  };
}

/** The real server as a child process: `node --import tsx src/server.ts` (or `argv`, e.g. the compiled server). */
export class ServerProcess {
  child: ChildProcess | undefined;
  readonly lines: string[] = [];
  exited: Promise<number | null> = Promise.resolve(null);

  constructor(
    readonly name: string,
    readonly env: NodeJS.ProcessEnv,
    readonly argv: string[] = ['--import', 'tsx', 'src/server.ts'],
  ) {}

  get url() {
    return `http://127.0.0.1:${this.env.PORT}`;
  }

  async start(timeoutMs = 60_000): Promise<void> {
    const child = spawn(process.execPath, this.argv, { cwd: REPO, env: this.env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    let buffer = '';
    const ready = new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        buffer += chunk.toString('utf8');
        let i: number;
        while ((i = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, i);
          buffer = buffer.slice(i + 1);
          this.lines.push(line);
          if (this.lines.length > 400) this.lines.shift();
          if (line.includes('Social-Media-Register ready')) resolve();
        }
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      child.once('exit', (code) =>
        reject(new Error(`${this.name} exited with ${code} before it was ready:\n${this.lines.slice(-30).join('\n')}`)),
      );
      setTimeout(
        () => reject(new Error(`${this.name} not ready after ${timeoutMs} ms:\n${this.lines.slice(-30).join('\n')}`)),
        timeoutMs,
      ).unref();
    });
    await ready;
  }

  kill9(): Promise<number | null> {
    this.child?.kill('SIGKILL');
    return this.exited;
  }

  async stop(): Promise<void> {
    if (!this.child || this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child?.kill('SIGKILL'), 15_000);
    await this.exited;
    clearTimeout(timer);
  }

  /** Log lines at level error (50) or above, request failures included. */
  errors(): string[] {
    return this.lines.filter((l) => /"level":(50|60)/.test(l));
  }
}

export type HttpAgent = ReturnType<typeof request.agent>;

/** Signs in at a running server through its form; returns the agent and a CSRF token. */
export async function signInAt(
  baseUrl: string,
  uid: string,
): Promise<{ agent: HttpAgent; csrf: string; cookie: string }> {
  const agent = request.agent(baseUrl);
  const form = await agent.get('/anmelden').expect(200);
  const res = await agent
    .post('/anmelden')
    .type('form')
    .send({ username: uid, password: 'demo', _csrf: csrfFrom(form.text) });
  if (res.status !== 303) throw new Error(`sign-in of ${uid} at ${baseUrl} failed: ${res.status}`);
  const cookie = ([] as string[])
    .concat((res.headers['set-cookie'] as unknown as string[]) ?? [])
    .find((c) => c.startsWith('smr.sid='))
    ?.split(';')[0] as string;
  const page = await agent.get('/intern/vertretung').expect(200);
  return { agent, csrf: csrfFrom(page.text), cookie };
}
