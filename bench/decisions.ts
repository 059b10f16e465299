/**
 * Decisions per second (`npm run bench:decisions`), not a test – issue 14's last figure.
 *
 * On a scratch PostgreSQL database (created and dropped by this script, on a server on this
 * machine) it compares, over HTTP on loopback, with the same number of concurrent connections:
 *  - the REAL portal, as production runs it: the compiled build (`npm run build`, then
 *    `node dist/src/server.js`, what the Docker image runs; `--runtime tsx` runs
 *    `node --import tsx src/server.ts` instead), NODE_ENV=production, LDAP against a demo
 *    directory started here: unit heads, signed in through the form, approve waiting requests
 *    with `POST /intern/antraege/:id/entscheidung` – session, CSRF, authorisation, the decision
 *    in its own transaction with row locks, history, the next steps and the outbox;
 *  - a BARE Express server with a `pg` pool (same pool size) in its own process, same database:
 *    `POST /decide` parses the same form and does one INSERT into a table of its own.
 * Rounds alternate (portal, bare, portal, bare, …); each portal round approves fresh requests
 * (prepared beforehand through the real request service, step 1 "unit head"); each bare round
 * does four times as many inserts (with ids of their own), so that it lasts long enough to measure.
 * Afterwards it checks: every acknowledged decision is in the database exactly once (0 lost,
 * 0 doubled), request and workflow status agree, and the same for the bare table.
 *
 * Beside the rates it prints the CPU time per decision (user + system, from /proc) of the portal
 * process, of the bare server's process and of the PostgreSQL backends serving the scratch
 * database during the rounds: on a machine shared with others the wall-clock rates move with
 * the neighbours, the CPU time per decision much less.
 *
 * Options: --rounds N (3), --per-round D (decisions per portal round, 150), --connections C (8),
 *          --runtime compiled|tsx (compiled), --no-build (use the dist/ that is there),
 *          --cpu-prof DIR (the portal writes a V8 CPU profile there when it stops),
 *          --postgres URL (admin URL, default postgres://postgres@127.0.0.1:5432/postgres).
 */
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { execFileSync, fork, spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import { parseArgs } from 'node:util';
import express from 'express';
import pg from 'pg';
import { demoDirectoryConfig, DEMO_BASE_DN, DEMO_ROLE_GROUPS } from '../src/config';
import { connectPostgres, migrateLatest } from '../src/db/knex';
import { createDirectory } from '../src/directory/directory';
import { startDemoDirectory } from '../src/directory/demo-server';
import { completeRequestData, seedDemo } from '../src/demo/seed';
import { createRequestService } from '../src/requests/service';
import { createNotifier } from '../src/requests/notify';
import type { SessionUser } from '../src/directory/user';

const REPO = path.resolve(__dirname, '..');
const POOL = 10;
const redaktion: SessionUser = {
  uid: 'redaktion',
  name: 'Robin Schäfer',
  unit: '41',
  roles: ['employee'],
  email: 'robin.schaefer@hannover-stadt.de',
};

// ------------------------------------------------------------------ bare server (child process)

async function bareServer() {
  const pool = new pg.Pool({ connectionString: process.env.BENCH_DATABASE_URL, max: POOL });
  await pool.query(
    'CREATE TABLE IF NOT EXISTS bench_bare_decisions (id bigserial PRIMARY KEY, request_id integer NOT NULL, step text NOT NULL, decision text NOT NULL, comment text, created_at timestamptz NOT NULL DEFAULT now())',
  );
  const app = express();
  app.disable('x-powered-by');
  app.use(express.urlencoded({ extended: false, limit: '200kb', parameterLimit: 500 }));
  app.post('/decide', async (req, res) => {
    const b = req.body as Record<string, string>;
    await pool.query('INSERT INTO bench_bare_decisions (request_id, step, decision, comment) VALUES ($1, $2, $3, $4)', [
      Number(b.id),
      b.schritt,
      b.entscheidung,
      b.kommentar,
    ]);
    res.redirect(303, `/antraege/${Number(b.id)}`);
  });
  const server = http.createServer(app);
  server.keepAliveTimeout = 65_000;
  server.listen(0, '127.0.0.1', () => process.send?.({ port: (server.address() as net.AddressInfo).port }));
  process.on('message', () => {
    server.closeAllConnections();
    server.close();
    void pool.end().finally(() => process.exit(0));
  });
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
    req.setTimeout(60_000, () => req.destroy(new Error('timeout')));
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

/** CPU time (user + system) of a process on this machine in ms, from /proc; 0 once it is gone. */
function cpuMs(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    // the fields after the command name (which may hold spaces): utime and stime are the 12th and 13th
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}
const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

const pct = (sorted: number[], p: number) =>
  sorted.length ? (sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number) : 0;

interface Round {
  ok: number;
  errors: string[];
  seconds: number;
  latencies: number[];
  /** CPU ms of the server process and of the database backends during the round */
  cpu?: { server: number; database: number };
}

/** `jobs` decisions over `connections` connections (each job once); counts the 303 answers. */
async function drive(
  jobs: Array<{ id: number }>,
  connections: Array<{ agent: http.Agent; cookie?: string; csrf?: string }>,
  port: number,
  pathOf: (id: number) => string,
  withId: boolean,
): Promise<Round> {
  const queue = [...jobs];
  const round: Round = { ok: 0, errors: [], seconds: 0, latencies: [] };
  const t0 = performance.now();
  await Promise.all(
    connections.map(async (c) => {
      for (let job = queue.shift(); job; job = queue.shift()) {
        const t = performance.now();
        try {
          const form = {
            ...(c.csrf ? { _csrf: c.csrf } : {}),
            ...(withId ? { id: String(job.id) } : {}),
            schritt: 'unit_head',
            entscheidung: 'approve',
            kommentar: 'Entscheidungsprobe',
          };
          const r = await send(c.agent, port, 'POST', pathOf(job.id), c.cookie, form);
          round.latencies.push(performance.now() - t);
          if (r.status === 303) round.ok += 1;
          else round.errors.push(`${r.status} ${pathOf(job.id)}`);
        } catch (err) {
          round.errors.push(`${(err as Error).message} ${pathOf(job.id)}`);
        }
      }
    }),
  );
  round.seconds = (performance.now() - t0) / 1000;
  return round;
}

async function main() {
  const { values } = parseArgs({
    options: {
      rounds: { type: 'string', default: '3' },
      'per-round': { type: 'string', default: '150' },
      connections: { type: 'string', default: '8' },
      runtime: { type: 'string', default: 'compiled' },
      'no-build': { type: 'boolean', default: false },
      'cpu-prof': { type: 'string' },
      postgres: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/postgres' },
    },
  });
  const rounds = Math.min(10, Math.max(1, Number(values.rounds)));
  const perRound = Math.min(2000, Math.max(10, Number(values['per-round'])));
  const connections = Math.min(64, Math.max(1, Number(values.connections)));
  const runtime = values.runtime === 'tsx' ? 'tsx' : 'compiled';
  if (values.runtime !== runtime) throw new Error('--runtime is compiled or tsx');
  const admin = new URL(values.postgres);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(admin.hostname))
    throw new Error('The benchmark only talks to a database on this machine (loopback).');
  const dbName = `smr_bench_decisions_${process.pid}`;
  const adminRun = async (sql: string) => {
    const c = new pg.Client({ connectionString: admin.toString() });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  const url = new URL(admin.toString());
  url.pathname = `/${dbName}`;
  const watchdog = setTimeout(() => {
    console.error('bench:decisions took longer than 10 minutes; stopping.');
    process.exit(2);
  }, 600_000);
  watchdog.unref();

  const load = () =>
    os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ');
  console.log(`Social-Media-Register – decisions per second (Node ${process.version}, PostgreSQL scratch database)`);
  console.log(`Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, load average before: ${load()}`);
  if (runtime === 'compiled' && !values['no-build']) {
    const t = Date.now();
    execFileSync('npm', ['run', 'build'], { cwd: REPO, stdio: 'ignore' });
    console.log(`npm run build: ${((Date.now() - t) / 1000).toFixed(1)} s`);
  }
  if (runtime === 'compiled' && !fs.existsSync(path.join(REPO, 'dist/src/server.js')))
    throw new Error('dist/src/server.js is missing: run npm run build');
  await adminRun(`CREATE DATABASE ${dbName}`);
  const demo = await startDemoDirectory(0);
  let portal: ChildProcess | undefined;
  let bare: ChildProcess | undefined;
  try {
    // ---- prepare: demo data and requests waiting for the unit head, through the real service
    const t0 = Date.now();
    const database = connectPostgres(url.toString(), 5);
    const ids: number[] = [];
    try {
      await migrateLatest(database.db);
      const directory = createDirectory(demoDirectoryConfig(demo.url));
      await seedDemo(database.db, directory, () => new Date(), 'http://127.0.0.1');
      const service = createRequestService({
        db: database.db,
        directory,
        clock: () => new Date(),
        notify: createNotifier({ baseUrl: 'http://127.0.0.1', directory }),
      });
      for (let i = 0; i < rounds * perRound; i++) {
        const data = completeRequestData(`Entscheidungsprobe ${i}`, `entscheidungsprobe.${process.pid}.${i}`);
        const id = await service.create(redaktion, data);
        const r = await service.submit(redaktion, id, data);
        if (!r.ok) throw new Error(`request ${i} invalid: ${JSON.stringify(r.problems)}`);
        ids.push(id);
      }
    } finally {
      await database.close();
    }
    console.log(
      `Prepared ${ids.length} requests waiting for the unit head in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    );

    // ---- the real portal
    const port = await freePort();
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      BASE_URL: `http://127.0.0.1:${port}`,
      LOG_LEVEL: 'warn',
      DATABASE_URL: url.toString(),
      DATABASE_POOL_MAX: String(POOL),
      LDAP_URL: demo.url,
      LDAP_BIND_DN: `cn=portal,ou=services,${DEMO_BASE_DN}`,
      LDAP_BIND_PASSWORD: 'demo-service',
      LDAP_SEARCH_BASE: `ou=people,${DEMO_BASE_DN}`,
      LDAP_GROUP_UNIT_HEAD: DEMO_ROLE_GROUPS.unit_head,
      LDAP_GROUP_COMMUNICATIONS: DEMO_ROLE_GROUPS.communications,
      LDAP_GROUP_DATA_PROTECTION: DEMO_ROLE_GROUPS.data_protection,
      LDAP_GROUP_HANNOVERDE: DEMO_ROLE_GROUPS.hannoverde,
      LDAP_GROUP_STAFF_COUNCIL: DEMO_ROLE_GROUPS.staff_council,
      LDAP_GROUP_ADMIN: DEMO_ROLE_GROUPS.admin,
      SESSION_SECRET: 'bench-decisions-secret-bench-decisions-01',
    };
    const log: string[] = [];
    const profile = values['cpu-prof'] ? ['--cpu-prof', '--cpu-prof-dir', path.resolve(values['cpu-prof'])] : [];
    const serverArgs = runtime === 'tsx' ? ['--import', 'tsx', 'src/server.ts'] : ['dist/src/server.js'];
    console.log(`Portal: node ${[...profile, ...serverArgs].join(' ')}`);
    portal = spawn(process.execPath, [...profile, ...serverArgs], {
      cwd: REPO,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    for (const s of [portal.stdout, portal.stderr]) s?.on('data', (c: Buffer) => log.push(c.toString('utf8')));
    const probe = new http.Agent({ keepAlive: false });
    for (let until = Date.now() + 120_000; ;) {
      if (portal.exitCode !== null)
        throw new Error(`portal exited with ${portal.exitCode}:\n${log.join('').slice(-3000)}`);
      if (Date.now() > until) throw new Error(`portal not ready:\n${log.join('').slice(-3000)}`);
      try {
        if ((await send(probe, port, 'GET', '/readyz')).status === 200) break;
      } catch {
        /* not yet */
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    // ---- the bare server
    bare = fork(__filename, ['--bare'], {
      env: { ...process.env, BENCH_DATABASE_URL: url.toString() },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const barePort = await new Promise<number>((resolve, reject) => {
      bare?.once('message', (m) => resolve((m as { port: number }).port));
      bare?.once('exit', (code) => reject(new Error(`bare server exited with ${code}`)));
    });

    // one signed-in session per connection (the unit head may sign in on several devices)
    const sessions: Array<Awaited<ReturnType<typeof signIn>>> = [];
    for (let i = 0; i < connections; i++) sessions.push(await signIn(port, 'leitung'));
    const bareConns = Array.from({ length: connections }, () => ({
      agent: new http.Agent({ keepAlive: true, maxSockets: 1 }),
    }));
    // warm-up of the bare server (the portal warmed up with the sign-ins)
    await drive(
      Array.from({ length: 50 }, (_, i) => ({ id: -1 - i })),
      bareConns,
      barePort,
      () => '/decide',
      true,
    );

    // CPU of the database backends serving the scratch database (both servers' pools; the rounds
    // alternate, so during a round only that round's server keeps them busy)
    const monitor = new pg.Client({ connectionString: url.toString() });
    await monitor.connect();
    const backendCpu = async () => {
      const { rows } = await monitor.query<{ pid: number }>(
        'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
      );
      return new Map(rows.map((r) => [r.pid, cpuMs(r.pid)]));
    };
    const measured = async (pid: number | undefined, run: () => Promise<Round>): Promise<Round> => {
      const [server0, db0] = [cpuMs(pid), await backendCpu()];
      const round = await run();
      const [server1, db1] = [cpuMs(pid), await backendCpu()];
      let database = 0;
      for (const [backend, ms] of db1) database += ms - (db0.get(backend) ?? 0);
      round.cpu = { server: server1 - server0, database };
      return round;
    };
    const perDecision = (r: Round) =>
      r.cpu ? `CPU/decision ${(r.cpu.server / r.ok).toFixed(2)} ms + db ${(r.cpu.database / r.ok).toFixed(2)} ms` : '';

    console.log(`${connections} connections, ${rounds} alternating rounds of ${perRound} decisions per server`);
    const results = { portal: [] as Round[], bare: [] as Round[] };
    for (let r = 0; r < rounds; r++) {
      const jobs = ids.slice(r * perRound, (r + 1) * perRound).map((id) => ({ id }));
      const p = await measured(portal.pid, () =>
        drive(jobs, sessions, port, (id) => `/intern/antraege/${id}/entscheidung`, false),
      );
      results.portal.push(p);
      // the bare server is an order of magnitude faster: four times the inserts, so its round is not over before it warms up
      const bareJobs = Array.from({ length: perRound * 4 }, (_, i) => ({ id: 1_000_000 + r * perRound * 4 + i }));
      const b = await measured(bare.pid, () => drive(bareJobs, bareConns, barePort, () => '/decide', true));
      results.bare.push(b);
      console.log(
        `  round ${r + 1}: portal ${(p.ok / p.seconds).toFixed(1)}/s (${p.ok} ok, ${p.errors.length} errors, ${perDecision(p)}), bare ${(b.ok / b.seconds).toFixed(1)}/s (${b.ok} ok, ${b.errors.length} errors, ${perDecision(b)}) (load ${load()})`,
      );
    }
    await monitor.end();
    for (const s of sessions) s.agent.destroy();
    for (const c of bareConns) c.agent.destroy();

    // ---- after the run: nothing lost, nothing doubled
    const check = new pg.Client({ connectionString: url.toString() });
    await check.connect();
    let consistent: { lost: number; doubled: number; mismatched: number; bareLost: number; bareDoubled: number };
    try {
      const acked = results.portal.reduce((s, r) => s + r.ok, 0);
      const bareAcked = results.bare.reduce((s, r) => s + r.ok, 0);
      const decided = Number(
        (await check.query<{ n: string }>("SELECT count(*) AS n FROM decisions WHERE comment = 'Entscheidungsprobe'"))
          .rows[0]?.n,
      );
      const doubled = Number(
        (
          await check.query<{ n: string }>(
            "SELECT count(*) AS n FROM (SELECT 1 FROM decisions WHERE comment = 'Entscheidungsprobe' GROUP BY request_id, step_id HAVING count(*) > 1) d",
          )
        ).rows[0]?.n,
      );
      const mismatched = Number(
        (
          await check.query<{ n: string }>(
            'SELECT count(*) AS n FROM requests r JOIN workflow_instances w ON w.request_id = r.id WHERE r.status <> w.status',
          )
        ).rows[0]?.n,
      );
      const bareRows = Number(
        (
          await check.query<{ n: string }>(
            "SELECT count(*) AS n FROM bench_bare_decisions WHERE comment = 'Entscheidungsprobe' AND request_id > 0",
          )
        ).rows[0]?.n,
      );
      const bareDoubled = Number(
        (
          await check.query<{ n: string }>(
            'SELECT count(*) AS n FROM (SELECT 1 FROM bench_bare_decisions WHERE request_id > 0 GROUP BY request_id HAVING count(*) > 1) d',
          )
        ).rows[0]?.n,
      );
      consistent = { lost: acked - decided, doubled, mismatched, bareLost: bareAcked - bareRows, bareDoubled };
    } finally {
      await check.end();
    }
    const summary = (list: Round[]) => {
      const ok = list.reduce((s, r) => s + r.ok, 0);
      const secs = list.reduce((s, r) => s + r.seconds, 0);
      const lat = list.flatMap((r) => r.latencies).sort((a, b) => a - b);
      return {
        perSecond: ok / secs,
        ok,
        errors: list.reduce((s, r) => s + r.errors.length, 0),
        p50: pct(lat, 50),
        p99: pct(lat, 99),
        sample: list.flatMap((r) => r.errors).slice(0, 3),
        cpuServer: list.reduce((s, r) => s + (r.cpu?.server ?? 0), 0) / Math.max(1, ok),
        cpuDatabase: list.reduce((s, r) => s + (r.cpu?.database ?? 0), 0) / Math.max(1, ok),
      };
    };
    const p = summary(results.portal);
    const b = summary(results.bare);
    console.log('');
    console.log(
      `  portal: approve (POST /intern/antraege/:id/entscheidung)  ${p.perSecond.toFixed(1).padStart(7)} decisions/s   p50 ${p.p50.toFixed(1)} ms   p99 ${p.p99.toFixed(1)} ms   (${p.ok} ok, ${p.errors} errors)`,
    );
    console.log(
      `  bare Express + pg, one INSERT per request          ${b.perSecond.toFixed(1).padStart(7)} inserts/s     p50 ${b.p50.toFixed(1)} ms   p99 ${b.p99.toFixed(1)} ms   (${b.ok} ok, ${b.errors} errors)`,
    );
    console.log(`  ratio portal / bare: ${(p.perSecond / b.perSecond).toFixed(2)}`);
    console.log(
      `  CPU per decision (user + system): portal process ${p.cpuServer.toFixed(2)} ms + PostgreSQL ${p.cpuDatabase.toFixed(2)} ms; ` +
        `bare process ${b.cpuServer.toFixed(2)} ms + PostgreSQL ${b.cpuDatabase.toFixed(2)} ms; ` +
        `ratio of the sums bare / portal: ${((b.cpuServer + b.cpuDatabase) / (p.cpuServer + p.cpuDatabase)).toFixed(2)}`,
    );
    console.log(
      `  portal: ${consistent.lost} lost, ${consistent.doubled} doubled, ${consistent.mismatched} requests whose status differs from their workflow; bare: ${consistent.bareLost} lost, ${consistent.bareDoubled} doubled`,
    );
    if (p.sample.length || b.sample.length) console.log(`  first errors: ${[...p.sample, ...b.sample].join('; ')}`);
    console.log(`Load average after: ${load()}`);
    if (
      p.errors ||
      b.errors ||
      consistent.lost ||
      consistent.doubled ||
      consistent.mismatched ||
      consistent.bareLost ||
      consistent.bareDoubled
    )
      process.exitCode = 1;
  } finally {
    const stop = async (child: ChildProcess | undefined, how: () => void) => {
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      how();
      const t = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(t);
    };
    await stop(portal, () => portal?.kill('SIGTERM'));
    await stop(bare, () => bare?.send('stop'));
    await demo.close();
    await adminRun(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  }
}

if (process.argv.includes('--bare')) {
  bareServer().catch((err) => {
    console.error(err);
    process.exit(1);
  });
} else {
  main().catch((err) => {
    console.error(err instanceof Error ? err.stack : err);
    process.exit(1);
  });
}
