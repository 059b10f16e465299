/**
 * Mixed load on loopback (`npm run bench:load`), not a test.
 *
 * For each backend — PGlite (embedded, data folder) and PostgreSQL (a fresh database on the
 * machine's server at 127.0.0.1:5432, created and dropped by this script) — it
 *  1. prepares the database: migrations, the demo data (seedDemo) and requests for the
 *     deciders (step 1 for the unit head; steps 2a/2b for communications and data protection),
 *     through the real request service;
 *  2. starts the REAL server as a child process against it and a demo directory started here:
 *     by default the compiled build, as production runs it (`npm run build` first, then
 *     `node dist/src/server.js`); with --runner tsx as `npm start` does (`node --import tsx
 *     src/server.ts`, which alone holds some 60 MB more);
 *  3. drives it for a bounded time with plain `http` and keep-alive agents:
 *     - citizens (many concurrent connections): the overview, searches, filters, presence
 *       pages, "is this account official?" as page and as JSON;
 *     - deciders (three people, signed in through the form): open a waiting request, approve
 *       it, with a short think time;
 *  4. reports throughput, p50/p99 latency per kind, the error count (must be 0), the server's
 *     RSS (sampled from /proc while under load) and CPU time, and what the RSS is made of
 *     (bench/memory-probe.cjs, preloaded into the server: V8 heap, external buffers,
 *     WebAssembly memory, the rest), then stops the server and removes the database.
 *
 * Options: --seconds S (20), --citizens C (24 connections), --think MS (200), --step-one N and
 * --step-two N (requests prepared for the deciders, 100 each; a decider whose queue runs dry stops), --backend
 * pglite|postgres|both (both), --postgres URL (admin URL of the server; default
 * postgres://postgres@127.0.0.1:5432/postgres), --runner compiled|tsx (compiled), --node-flags="…"
 * (extra flags for the server's node, e.g. "--max-semi-space-size=4"), --heap-snapshots DIR
 * (V8 heap snapshots of the server right after start and after the load, written to DIR; they
 * stop the server for seconds and inflate its RSS, so figures of such a run are not comparable),
 * --markdown (also print a RESULTS.md section).
 * Exit status 1 if any request failed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import net from 'node:net';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { loadConfig, demoDirectoryConfig, DEMO_BASE_DN, DEMO_ROLE_GROUPS } from '../src/config';
import { connectPostgres, migrateLatest, openDatabase, type Database } from '../src/db/knex';
import { createDirectory } from '../src/directory/directory';
import { startDemoDirectory } from '../src/directory/demo-server';
import { completeRequestData, seedDemo } from '../src/demo/seed';
import { createRequestService } from '../src/requests/service';
import { createNotifier } from '../src/requests/notify';
import type { SessionUser } from '../src/directory/user';
import type { RequestData } from '../src/requests/form';

const { values: opts } = parseArgs({
  options: {
    seconds: { type: 'string', default: '20' },
    citizens: { type: 'string', default: '24' },
    think: { type: 'string', default: '200' },
    backend: { type: 'string', default: 'both' },
    postgres: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/postgres' },
    'step-one': { type: 'string', default: '100' },
    'step-two': { type: 'string', default: '100' },
    runner: { type: 'string', default: 'compiled' },
    'node-flags': { type: 'string', default: '' },
    'heap-snapshots': { type: 'string' },
    markdown: { type: 'boolean', default: false },
  },
});
if (opts.runner !== 'compiled' && opts.runner !== 'tsx') throw new Error('--runner is compiled or tsx');
const RUNNER = opts.runner;
const NODE_FLAGS = opts['node-flags'].split(/\s+/).filter(Boolean);
const SNAPSHOT_DIR = opts['heap-snapshots'] ? path.resolve(opts['heap-snapshots']) : undefined;
const SECONDS = Number(opts.seconds);
const CITIZENS = Number(opts.citizens);
const THINK_MS = Number(opts.think);
const STEP_ONE = Number(opts['step-one']);
const STEP_TWO = Number(opts['step-two']);
const REPO = path.resolve(__dirname, '..');

const people: Record<string, SessionUser> = {
  redaktion: {
    uid: 'redaktion',
    name: 'Robin Schäfer',
    unit: '41',
    roles: ['employee'],
    email: 'robin.schaefer@hannover-stadt.de',
  },
  leitung: {
    uid: 'leitung',
    name: 'Dr. Andrea Lange',
    unit: '41',
    roles: ['employee', 'unit_head'],
    email: 'andrea.lange@hannover-stadt.de',
  },
};

function requestData(i: number): RequestData {
  return completeRequestData(`Lastprobe ${i}`, `lastprobe.${process.pid}.${i}`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** Migrations, demo data and the deciders' requests, through the real service. */
async function prepare(database: Database, ldapUrl: string) {
  const t0 = Date.now();
  await migrateLatest(database.db);
  const directory = createDirectory(demoDirectoryConfig(ldapUrl));
  await seedDemo(database.db, directory, () => new Date(), 'http://127.0.0.1');
  const service = createRequestService({
    db: database.db,
    directory,
    clock: () => new Date(),
    notify: createNotifier({ baseUrl: 'http://127.0.0.1', directory }),
  });
  const stepOne: number[] = [];
  const stepTwo: number[] = [];
  for (let i = 0; i < STEP_ONE + STEP_TWO; i++) {
    const data = requestData(i);
    const id = await service.create(people.redaktion as SessionUser, data);
    const r = await service.submit(people.redaktion as SessionUser, id, data);
    if (!r.ok) throw new Error(`request ${i} invalid: ${JSON.stringify(r.problems)}`);
    if (i < STEP_ONE) stepOne.push(id);
    else {
      await service.act(people.leitung as SessionUser, id, { type: 'approve', stepId: 'unit_head' }, undefined);
      stepTwo.push(id);
    }
  }
  const slugs: string[] = (await database.db('presences').where({ status: 'active' }).pluck('slug')) as string[];
  return { stepOne, stepTwo, slugs, seconds: (Date.now() - t0) / 1000 };
}

// ------------------------------------------------------------------ HTTP client

interface Reply {
  status: number;
  body: string;
  headers: http.IncomingHttpHeaders;
}

function send(
  agent: http.Agent,
  port: number,
  method: 'GET' | 'POST',
  pathName: string,
  cookie?: string,
  form?: Record<string, string>,
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const body = form ? new URLSearchParams(form).toString() : undefined;
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method,
        path: pathName,
        agent,
        headers: {
          ...(cookie ? { cookie } : {}),
          ...(body
            ? { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) }
            : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.setTimeout(30_000, () => req.destroy(new Error('timeout')));
    req.end(body);
  });
}

const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
const cookieOf = (r: Reply, name = 'smr.sid') =>
  ([] as string[])
    .concat(r.headers['set-cookie'] ?? [])
    .find((c) => c.startsWith(`${name}=`))
    ?.split(';')[0];

async function signIn(port: number, uid: string) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const form = await send(agent, port, 'GET', '/anmelden');
  // the sign-in form's token is bound to its own short-lived cookie (no session before sign-in)
  const res = await send(agent, port, 'POST', '/anmelden', cookieOf(form, 'smr.anmeldung'), {
    username: uid,
    password: 'demo',
    _csrf: csrfOf(form.body),
  });
  const cookie = cookieOf(res);
  if (res.status !== 303 || !cookie) throw new Error(`sign-in of ${uid} failed: ${res.status}`);
  const page = await send(agent, port, 'GET', '/intern/vertretung', cookie);
  return { agent, cookie, csrf: csrfOf(page.body) };
}

// ------------------------------------------------------------------ load

interface Stats {
  latencies: number[];
  errors: string[];
}
const pct = (sorted: number[], p: number) =>
  sorted.length ? (sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number) : 0;

function rssOf(pid: number): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
  } catch {
    return 0;
  }
}

async function runLoad(port: number, pid: number, fixtures: { stepOne: number[]; stepTwo: number[]; slugs: string[] }) {
  const citizens: Stats = { latencies: [], errors: [] };
  const deciders: Stats = { latencies: [], errors: [] };
  const decisions = { made: 0, pagesOpened: 0 };
  const slug = () => fixtures.slugs[Math.floor(Math.random() * fixtures.slugs.length)] as string;
  const official = () => encodeURIComponent(`https://www.facebook.com/${slug().replace(/-facebook$/, '')}`);
  const mix: Array<[number, () => string]> = [
    [40, () => '/'],
    [10, () => '/?q=museum'],
    [5, () => '/?q=feuerwehr+hannover'],
    [5, () => '/?plattform=facebook&bereich=41'],
    [15, () => `/angebote/${slug()}`],
    [10, () => `/pruefen?url=${official()}`],
    [5, () => `/pruefen?url=${encodeURIComponent('https://www.faceb00k.com/museumaugustkestner')}`],
    [10, () => `/pruefen.json?url=${official()}`],
  ];
  const total = mix.reduce((s, [w]) => s + w, 0);
  const pick = () => {
    let r = Math.random() * total;
    for (const [w, f] of mix) if ((r -= w) < 0) return f();
    return '/';
  };

  const signedIn = await Promise.all(['leitung', 'kommunikation', 'datenschutz'].map((uid) => signIn(port, uid)));
  const rss: number[] = [];
  const sampler = setInterval(() => rss.push(rssOf(pid)), 500);
  const started = Date.now();
  const end = started + SECONDS * 1000;
  const citizenAgent = new http.Agent({ keepAlive: true, maxSockets: CITIZENS });

  const citizen = async () => {
    while (Date.now() < end) {
      const url = pick();
      const t0 = performance.now();
      try {
        const r = await send(citizenAgent, port, 'GET', url);
        citizens.latencies.push(performance.now() - t0);
        if (r.status !== 200) citizens.errors.push(`${r.status} GET ${url}`);
      } catch (err) {
        citizens.errors.push(`${(err as Error).message} GET ${url}`);
      }
    }
  };
  const queues: Record<string, Array<{ id: number; step: string }>> = {
    leitung: fixtures.stepOne.map((id) => ({ id, step: 'unit_head' })),
    kommunikation: fixtures.stepTwo.map((id) => ({ id, step: 'communications' })),
    datenschutz: [...fixtures.stepTwo].reverse().map((id) => ({ id, step: 'data_protection' })),
  };
  const decider = async (uid: string, i: number) => {
    const { agent, cookie, csrf } = signedIn[i] as { agent: http.Agent; cookie: string; csrf: string };
    const queue = queues[uid] as Array<{ id: number; step: string }>;
    while (Date.now() < end) {
      const job = queue.shift();
      if (!job) break;
      try {
        let t0 = performance.now();
        const page = await send(agent, port, 'GET', `/intern/antraege/${job.id}`, cookie);
        deciders.latencies.push(performance.now() - t0);
        decisions.pagesOpened++;
        if (page.status !== 200) deciders.errors.push(`${page.status} GET /intern/antraege/${job.id}`);
        t0 = performance.now();
        const res = await send(agent, port, 'POST', `/intern/antraege/${job.id}/entscheidung`, cookie, {
          _csrf: csrf,
          schritt: job.step,
          entscheidung: 'approve',
          kommentar: 'Lastprobe',
        });
        deciders.latencies.push(performance.now() - t0);
        if (res.status === 303) decisions.made++;
        else deciders.errors.push(`${res.status} POST decision ${job.step} ${job.id}`);
      } catch (err) {
        deciders.errors.push(`${(err as Error).message} decision ${job.id}`);
      }
      await new Promise((r) => setTimeout(r, THINK_MS));
    }
  };
  await Promise.all([
    ...Array.from({ length: CITIZENS }, citizen),
    ...['leitung', 'kommunikation', 'datenschutz'].map((uid, i) => decider(uid, i)),
  ]);
  const seconds = (Date.now() - started) / 1000;
  clearInterval(sampler);
  citizenAgent.destroy();
  for (const s of signedIn) s.agent.destroy();
  return { citizens, deciders, decisions, seconds, rss, startedAt: started, endedAt: Date.now() };
}

// ------------------------------------------------------------------ what the memory is made of

/** One line of bench/memory-probe.cjs. */
interface MemorySample {
  t: number;
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  spaces: Record<string, number>;
  codeAndMetadata: number;
  wasmCommitted: number;
  smaps: { wasm: number; anonymous: number; nodeBinary: number; otherFiles: number } | null;
}

function readSamples(file: string): MemorySample[] {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as MemorySample);
}

/** The server's user + system CPU time so far, in seconds (/proc/<pid>/stat, clock ticks of 1/100 s). */
function cpuSecondsOf(pid: number): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/** Asks the server for a heap snapshot (--heapsnapshot-signal) and waits until it is written. */
async function heapSnapshot(pid: number, port: number, label: string): Promise<string | undefined> {
  if (!SNAPSHOT_DIR) return undefined;
  const before = new Set(fs.readdirSync(SNAPSHOT_DIR));
  process.kill(pid, 'SIGUSR2');
  await new Promise((r) => setTimeout(r, 500));
  // the snapshot is written on the server's main thread: /readyz answers once it is done
  await send(new http.Agent({ keepAlive: false }), port, 'GET', '/readyz');
  const made = fs.readdirSync(SNAPSHOT_DIR).find((f) => !before.has(f) && f.endsWith('.heapsnapshot'));
  if (!made) return undefined;
  const target = path.join(SNAPSHOT_DIR, `${label}.heapsnapshot`);
  fs.renameSync(path.join(SNAPSHOT_DIR, made), target);
  return target;
}

// ------------------------------------------------------------------ one backend

interface Result {
  backend: string;
  prepareSeconds: number;
  seconds: number;
  citizens: { requests: number; perSecond: number; p50: number; p99: number; errors: number };
  deciders: { requests: number; perSecond: number; p50: number; p99: number; errors: number; decisions: number };
  total: { requests: number; perSecond: number; errors: number };
  rssMb: { start: number; max: number; mean: number };
  /** Server CPU time (user + system) during the load, seconds. */
  cpuSeconds: number;
  /** Probe samples: the last before the load, the one with the highest RSS during it. */
  memory: { start?: MemorySample; peak?: MemorySample };
  snapshots: string[];
  errorSamples: string[];
  consistent: boolean;
}

async function startServer(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; log: string[] }> {
  const args = [
    ...NODE_FLAGS,
    '--require',
    path.join(REPO, 'bench', 'memory-probe.cjs'),
    ...(SNAPSHOT_DIR ? ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${SNAPSHOT_DIR}`] : []),
    ...(RUNNER === 'tsx' ? ['--import', 'tsx', 'src/server.ts'] : ['dist/src/server.js']),
  ];
  const child = spawn(process.execPath, args, {
    cwd: REPO,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log: string[] = [];
  const onData = (c: Buffer) => {
    for (const line of c.toString('utf8').split('\n')) {
      if (!line) continue;
      log.push(line);
      if (log.length > 200) log.shift();
    }
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  // LOG_LEVEL=warn hides the "ready" line: poll /readyz instead
  const agent = new http.Agent({ keepAlive: false });
  const until = Date.now() + 120_000;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${log.slice(-20).join('\n')}`);
    try {
      if ((await send(agent, Number(env.PORT), 'GET', '/readyz')).status === 200) return { child, log };
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill('SIGKILL');
  throw new Error(`server not ready:\n${log.slice(-20).join('\n')}`);
}

async function stopServer(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const t = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(t);
}

async function bench(backend: 'pglite' | 'postgres', ldapUrl: string): Promise<Result> {
  const port = await freePort();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'smr-load-'));
  const dbName = `smr_bench_load_${process.pid}`;
  let adminUrl: URL | undefined;
  const common: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    HOST: '127.0.0.1',
    PORT: String(port),
    BASE_URL: `http://127.0.0.1:${port}`,
    LOG_LEVEL: 'warn',
    LDAP_URL: ldapUrl,
    LDAP_BIND_DN: `cn=portal,ou=services,${DEMO_BASE_DN}`,
    LDAP_BIND_PASSWORD: 'demo-service',
    LDAP_SEARCH_BASE: `ou=people,${DEMO_BASE_DN}`,
    LDAP_GROUP_UNIT_HEAD: DEMO_ROLE_GROUPS.unit_head,
    LDAP_GROUP_COMMUNICATIONS: DEMO_ROLE_GROUPS.communications,
    LDAP_GROUP_DATA_PROTECTION: DEMO_ROLE_GROUPS.data_protection,
    LDAP_GROUP_HANNOVERDE: DEMO_ROLE_GROUPS.hannoverde,
    LDAP_GROUP_STAFF_COUNCIL: DEMO_ROLE_GROUPS.staff_council,
    LDAP_GROUP_ADMIN: DEMO_ROLE_GROUPS.admin,
    SESSION_SECRET: 'bench-load-secret-bench-load-secret-0123',
    MEMORY_PROBE_FILE: path.join(tmp, 'memory.jsonl'),
    // no mail relay: delivery logs and marks messages sent, as in a demo installation
  };
  let env: NodeJS.ProcessEnv;
  let fixtures: Awaited<ReturnType<typeof prepare>>;
  let database: Database;
  if (backend === 'postgres') {
    adminUrl = new URL(opts.postgres);
    const admin = new pg.Client({ connectionString: adminUrl.toString() });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${dbName}`);
    await admin.end();
    const url = new URL(adminUrl.toString());
    url.pathname = `/${dbName}`;
    database = connectPostgres(url.toString(), 5);
    fixtures = await prepare(database, ldapUrl);
    await database.close();
    // production settings (view cache on, secure defaults); the embedded database never runs in production
    env = { ...common, NODE_ENV: 'production', DATABASE_URL: url.toString(), DATABASE_POOL_MAX: '10' };
  } else {
    const dataDir = path.join(tmp, 'data');
    database = await openDatabase(loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir }));
    fixtures = await prepare(database, ldapUrl);
    await database.close(); // releases the data-folder lock for the server
    env = { ...common, NODE_ENV: 'test', DATA_DIR: dataDir };
  }
  let server: { child: ChildProcess; log: string[] } | undefined;
  try {
    server = await startServer(env);
    const pid = server.child.pid as number;
    const snapshots: string[] = [];
    const atStart = await heapSnapshot(pid, port, `${backend}-${RUNNER}-start`);
    if (atStart) snapshots.push(atStart);
    await new Promise((r) => setTimeout(r, 1100)); // at least one probe sample before the load
    const rssStart = rssOf(pid);
    const cpuBefore = cpuSecondsOf(pid);
    process.stderr.write(
      `[${backend}, ${RUNNER}] prepared in ${fixtures.seconds.toFixed(1)} s; server pid ${pid}, ${(rssStart / 1e6).toFixed(0)} MB; ${SECONDS} s of load…\n`,
    );
    const r = await runLoad(port, pid, fixtures);
    const cpuSeconds = cpuSecondsOf(pid) - cpuBefore;
    const samples = readSamples(env.MEMORY_PROBE_FILE as string);
    const during = samples.filter((m) => m.t >= r.startedAt && m.t <= r.endedAt + 500);
    const memory = {
      start: samples.filter((m) => m.t < r.startedAt).at(-1),
      peak: during.reduce<MemorySample | undefined>((a, m) => (a === undefined || m.rss > a.rss ? m : a), undefined),
    };
    const afterLoad = await heapSnapshot(pid, port, `${backend}-${RUNNER}-after-load`);
    if (afterLoad) snapshots.push(afterLoad);
    const summarise = (s: Stats) => {
      const sorted = [...s.latencies].sort((a, b) => a - b);
      return {
        requests: s.latencies.length,
        perSecond: s.latencies.length / r.seconds,
        p50: pct(sorted, 50),
        p99: pct(sorted, 99),
        errors: s.errors.length,
      };
    };
    const citizens = summarise(r.citizens);
    const deciders = { ...summarise(r.deciders), decisions: r.decisions.made };
    await stopServer(server.child);
    // after the load: the register is consistent (request status = instance status, one decision per step)
    let consistent = true;
    const check =
      backend === 'postgres'
        ? connectPostgres(env.DATABASE_URL as string, 2)
        : await openDatabase(loadConfig({ NODE_ENV: 'test', DATA_DIR: env.DATA_DIR as string }));
    try {
      const mismatched = await check
        .db('requests as r')
        .join('workflow_instances as w', 'w.request_id', 'r.id')
        .whereRaw('r.status <> w.status')
        .count({ n: '*' })
        .first();
      const twice = await check
        .db('decisions')
        .groupBy('request_id', 'step_id', 'version')
        .havingRaw('count(*) > 1')
        .select('request_id');
      const decided = await check.db('decisions').where({ comment: 'Lastprobe' }).count({ n: '*' }).first();
      consistent = Number(mismatched?.n) === 0 && twice.length === 0 && Number(decided?.n) === r.decisions.made;
    } finally {
      await check.close();
    }
    const all = [...r.citizens.errors, ...r.deciders.errors];
    return {
      backend,
      prepareSeconds: fixtures.seconds,
      seconds: r.seconds,
      citizens,
      deciders,
      total: {
        requests: citizens.requests + deciders.requests,
        perSecond: (citizens.requests + deciders.requests) / r.seconds,
        errors: all.length,
      },
      rssMb: {
        start: rssStart / 1e6,
        max: Math.max(...r.rss) / 1e6,
        mean: r.rss.reduce((a, b) => a + b, 0) / Math.max(1, r.rss.length) / 1e6,
      },
      cpuSeconds,
      memory,
      snapshots,
      errorSamples: [...new Set(all)].slice(0, 10),
      consistent,
    };
  } finally {
    if (server) await stopServer(server.child);
    if (adminUrl) {
      const admin = new pg.Client({ connectionString: adminUrl.toString() });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      await admin.end();
    }
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

function table(results: Result[]) {
  const f = (n: number, d = 1) => n.toFixed(d);
  const lines = [
    '| backend | kind | requests | req/s | p50 ms | p99 ms | errors |',
    '|---|---|---:|---:|---:|---:|---:|',
  ];
  for (const r of results) {
    lines.push(
      `| ${r.backend} | citizens (${CITIZENS} connections) | ${r.citizens.requests} | ${f(r.citizens.perSecond)} | ${f(r.citizens.p50)} | ${f(r.citizens.p99)} | ${r.citizens.errors} |`,
    );
    lines.push(
      `| ${r.backend} | deciders (3, think ${THINK_MS} ms; ${r.deciders.decisions} decisions) | ${r.deciders.requests} | ${f(r.deciders.perSecond)} | ${f(r.deciders.p50)} | ${f(r.deciders.p99)} | ${r.deciders.errors} |`,
    );
    lines.push(
      `| ${r.backend} | **all** | ${r.total.requests} | **${f(r.total.perSecond)}** | | | **${r.total.errors}** |`,
    );
  }
  const rss = results.map(
    (r) =>
      `${r.backend}: ${f(r.rssMb.start, 0)} MB at start, ${f(r.rssMb.mean, 0)} MB mean, ${f(r.rssMb.max, 0)} MB max under load; server CPU ${f(r.cpuSeconds)} s (${f((r.cpuSeconds / r.seconds) * 100, 0)} % of one core, ${f((r.cpuSeconds * 1e6) / Math.max(1, r.total.requests), 0)} µs a request); register consistent afterwards: ${r.consistent ? 'yes' : 'NO'}`,
  );
  return `${lines.join('\n')}\n\nServer (${RUNNER === 'tsx' ? 'node --import tsx src/server.ts' : 'compiled: node dist/src/server.js'}${NODE_FLAGS.length ? ` ${NODE_FLAGS.join(' ')}` : ''}) RSS — ${rss.join('; ')}.\n\n${memoryTable(results)}`;
}

/** What the RSS is made of, from the probe: before the load and at the highest RSS during it. */
function memoryTable(results: Result[]) {
  const mb = (n: number | undefined) => (n === undefined ? '–' : (n / 1e6).toFixed(0));
  const cols: Array<{ label: string; m: MemorySample | undefined }> = results.flatMap((r) => [
    { label: `${r.backend} start`, m: r.memory.start },
    { label: `${r.backend} peak`, m: r.memory.peak },
  ]);
  const row = (name: string, value: (m: MemorySample) => number | undefined) =>
    `| ${name} | ${cols.map((c) => (c.m ? mb(value(c.m)) : '–')).join(' | ')} |`;
  const wasmResident = (m: MemorySample) => m.smaps?.wasm;
  return [
    `| MB | ${cols.map((c) => c.label).join(' | ')} |`,
    `|---|${cols.map(() => '---:').join('|')}|`,
    row('RSS (process.memoryUsage)', (m) => m.rss),
    row('V8 heap committed (heapTotal)', (m) => m.heapTotal),
    row('… of it used (heapUsed)', (m) => m.heapUsed),
    row('… young generation (new_space)', (m) => m.spaces.new_space),
    row('… compiled JS (code + bytecode)', (m) => m.codeAndMetadata),
    row('external, without WebAssembly memory', (m) => m.external - m.wasmCommitted),
    row('… of it ArrayBuffers/Buffers', (m) => m.arrayBuffers),
    row('WebAssembly memory committed (PGlite)', (m) => m.wasmCommitted),
    row('… of it resident', wasmResident),
    row('node binary, resident', (m) => m.smaps?.nodeBinary),
    row('other mapped files, resident', (m) => m.smaps?.otherFiles),
    row('anonymous memory except WebAssembly (V8 heap, malloc, Wasm code)', (m) => m.smaps?.anonymous),
  ].join('\n');
}

async function main() {
  const backends: Array<'pglite' | 'postgres'> =
    opts.backend === 'both' ? ['pglite', 'postgres'] : [opts.backend as 'pglite' | 'postgres'];
  if (RUNNER === 'compiled') {
    // the server runs what production runs: dist/, compiled from the code as it is now
    const t0 = Date.now();
    const build = spawnSync('npm', ['run', 'build'], { cwd: REPO, stdio: ['ignore', 'ignore', 'inherit'] });
    if (build.status !== 0) throw new Error('npm run build failed');
    process.stderr.write(`npm run build: ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
  }
  if (SNAPSHOT_DIR) fs.mkdirSync(SNAPSHOT_DIR, { recursive: true });
  const loadBefore = os.loadavg();
  const demo = await startDemoDirectory(0);
  const results: Result[] = [];
  try {
    for (const b of backends) results.push(await bench(b, demo.url));
  } finally {
    await demo.close();
  }
  for (const r of results) {
    console.log(
      `${r.backend}: ${r.total.requests} requests in ${r.seconds.toFixed(1)} s = ${r.total.perSecond.toFixed(1)}/s; citizens p50 ${r.citizens.p50.toFixed(1)} ms p99 ${r.citizens.p99.toFixed(1)} ms; deciders p50 ${r.deciders.p50.toFixed(1)} ms p99 ${r.deciders.p99.toFixed(1)} ms, ${r.deciders.decisions} decisions; errors ${r.total.errors}; RSS max ${r.rssMb.max.toFixed(0)} MB; consistent ${r.consistent}`,
    );
    if (r.errorSamples.length) console.log(`  errors: ${r.errorSamples.join(' | ')}`);
    if (r.snapshots.length) console.log(`  heap snapshots: ${r.snapshots.join(', ')}`);
  }
  const loadAfter = os.loadavg();
  const loads = (l: number[]) => l.map((x) => x.toFixed(1)).join(' / ');
  console.log(`load average before ${loads(loadBefore)}, after ${loads(loadAfter)}`);
  console.log(`\n${table(results)}`);
  if (opts.markdown) {
    console.log(
      `\n## Mixed load\n\n${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}, load average before the run ${loadBefore.map((l) => l.toFixed(1)).join(' / ')}, after ${loadAfter.map((l) => l.toFixed(1)).join(' / ')} (other work on the machine skews the figures). Command: \`npm run bench:load -- --seconds ${SECONDS} --citizens ${CITIZENS} --think ${THINK_MS}${RUNNER === 'tsx' ? ' --runner tsx' : ''}${NODE_FLAGS.length ? ` --node-flags="${NODE_FLAGS.join(' ')}"` : ''}\`\n\n${table(results)}\n`,
    );
  }
  const failed = results.some((r) => r.total.errors > 0 || !r.consistent);
  process.exit(failed ? 1 : 0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
