/**
 * Benchmark of the public overview (`npm run bench:overview`), not a test.
 *
 * One run, in two processes on this machine, loopback only:
 *  - the SERVER process (this file with --server) holds a fresh in-memory PGlite (or, with
 *    --postgres URL, a scratch database on that PostgreSQL server), the real app from createApp() and a
 *    bare Express server that answers GET / with the very same bytes;
 *  - the LOAD process (this file) drives both over keep-alive HTTP with a fixed number
 *    of connections, alternating app and bare rounds, and reports throughput, p99 latency
 *    and their ratio; the server's RSS is sampled while under load.
 * It also prints the uncached render time of the overview at 100, 1,000 and 10,000
 * presences (the register version is bumped before every measured request).
 *
 * Options: --rounds N (default 6 per server), --seconds S per round (default 2.5),
 *          --connections C (default 32), --postgres URL (a PostgreSQL server on this
 *          machine: the run creates and drops its own scratch database there), --profile FILE (CPU profile of the server during the
 *          first app round, for Chrome DevTools).
 */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import inspector from 'node:inspector';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import os from 'node:os';
import express from 'express';
import pg from 'pg';
import { loadConfig, demoDirectoryConfig } from '../src/config';
import { connectPglite, connectPostgres, migrateLatest, newPglite } from '../src/db/knex';
import { createDirectory } from '../src/directory/directory';
import { createLogger, setUpRequestLogging } from '../src/web/logging';
import { healthRoutes } from '../src/web/health';
import { setUpSecurityHeaders } from '../src/web/security';
import { setUpLocale } from '../src/web/i18n';
import { catalogues } from '../src/messages';
import { historyLabel } from '../src/audit/labels';
import { setUpStaticAssets } from '../src/web/static';
import { createApp } from '../src/app';
import { buildContainer } from '../src/container';
import { seedSynthetic } from '../src/public/synthetic';

// ---------------------------------------------------------------- server process

interface ServerReply {
  id: number;
  ok: boolean;
  value?: unknown;
  error?: string;
}

async function server() {
  const postgresUrl = process.env.BENCH_POSTGRES_URL;
  let database;
  if (postgresUrl) database = connectPostgres(postgresUrl, 10);
  else {
    const pglite = newPglite();
    await pglite.waitReady; // start-up can exceed knex's acquire timeout on a busy machine
    database = connectPglite(pglite);
  }
  await migrateLatest(database.db);
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    SESSION_SECRET: 'bench-secret-bench-secret-bench-secret-00',
    BASE_URL: 'http://127.0.0.1',
    ...(postgresUrl ? { DATABASE_URL: postgresUrl } : {}),
  });
  const logger = createLogger('silent');
  const app = createApp(
    config,
    buildContainer({
      config,
      db: database.db,
      directory: createDirectory(demoDirectoryConfig('ldap://127.0.0.1:1')), // never contacted by public pages
      logger,
      clock: () => new Date(),
    }),
  );

  let bareBody = Buffer.alloc(0);
  let bareType = 'text/html; charset=utf-8';
  const bare = express();
  bare.disable('x-powered-by');
  bare.get('/', (_req, res) => {
    res.type(bareType).send(bareBody);
  });

  // Diagnostic: the middleware that createApp runs before the public routes (same order as
  // src/app.ts), in front of the bare handler. app vs stack = the overview handler itself;
  // stack vs bare = the shared middleware. (Rebuilt here by hand: keep in step with app.ts.)
  const stack = express();
  stack.disable('x-powered-by');
  stack.use(setUpRequestLogging(logger));
  stack.use(healthRoutes(database.db));
  stack.use(setUpSecurityHeaders(config));
  stack.use(setUpLocale(catalogues, historyLabel));
  stack.use(setUpStaticAssets(config));
  stack.use((req, res, next) => {
    res.locals.config = config;
    res.locals.currentPath = req.path;
    next();
  });
  stack.use(express.urlencoded({ extended: false, limit: '200kb', parameterLimit: 500 }));
  stack.get('/', (_req, res) => {
    res.type(bareType).send(bareBody);
  });

  const listen = (handler: http.RequestListener) =>
    new Promise<http.Server>((resolve) => {
      const s = http.createServer(handler);
      s.keepAliveTimeout = 65_000;
      s.listen(0, '127.0.0.1', () => resolve(s));
    });
  const appServer = await listen(app);
  const bareServer = await listen(bare);
  const stackServer = await listen(stack);
  const port = (s: http.Server) => (s.address() as AddressInfo).port;

  const seeded = async () =>
    Number(
      (
        (await database.db('presences').where('slug', 'like', 'syn-%').count({ n: '*' }).first()) as {
          n: number | string;
        }
      ).n,
    );

  let profiler: inspector.Session | undefined;
  let versionChecks = 0;
  database.db.on('query', (q: { sql: string }) => {
    if (q.sql.includes('register_state')) versionChecks += 1;
  });
  const commands: Record<string, (arg: unknown) => Promise<unknown>> = {
    ports: () => Promise.resolve({ app: port(appServer), bare: port(bareServer), stack: port(stackServer) }),
    /** Brings the number of synthetic presences up to `total`. */
    seed: async (total) => {
      const have = await seeded();
      if ((total as number) > have) await seedSynthetic(database.db, (total as number) - have);
      return seeded();
    },
    /** A new register version: every cached page is stale. */
    bump: async () => {
      await database.db.raw('UPDATE register_state SET version = version + 1, changed_at = clock_timestamp()');
      await database.db.raw("SELECT pg_notify('register_changed', '')");
    },
    bare: (arg) => {
      const { body, type } = arg as { body: string; type: string };
      bareBody = Buffer.from(body, 'base64');
      bareType = type;
      return Promise.resolve(bareBody.length);
    },
    rss: () => Promise.resolve(process.memoryUsage().rss),
    versionChecks: () => Promise.resolve(versionChecks),
    /** CPU time of the server process so far, in microseconds. */
    cpu: () => {
      const u = process.cpuUsage();
      return Promise.resolve(u.user + u.system);
    },
    /** --profile: a CPU profile of the server process while the app is under load. */
    profileStart: async () => {
      profiler = new inspector.Session();
      profiler.connect();
      await new Promise((r) => profiler?.post('Profiler.enable', () => profiler?.post('Profiler.start', r)));
      return true;
    },
    profileStop: async (file) => {
      const session = profiler;
      if (!session) return false;
      const result = await new Promise<{ profile: object }>((resolve, reject) =>
        session.post('Profiler.stop', (err, r) => (err ? reject(err) : resolve(r))),
      );
      fs.writeFileSync(file as string, JSON.stringify(result.profile));
      session.disconnect();
      profiler = undefined;
      return file;
    },
    stop: async () => {
      for (const s of [appServer, bareServer, stackServer]) {
        s.closeAllConnections();
        s.close();
      }
      await database.close();
      setTimeout(() => process.exit(0), 20); // a normal exit (writes --cpu-prof output)
      return true;
    },
  };
  process.on('message', (msg: { id: number; cmd: string; arg?: unknown }) => {
    const command = commands[msg.cmd];
    if (!command) return process.send?.({ id: msg.id, ok: false, error: `unknown command ${msg.cmd}` });
    command(msg.arg).then(
      (value) => process.send?.({ id: msg.id, ok: true, value }),
      (err: Error) => process.send?.({ id: msg.id, ok: false, error: err.stack ?? String(err) }),
    );
  });
  process.send?.({ id: 0, ok: true, value: 'ready' });
}

// ---------------------------------------------------------------- load process

function control(child: ChildProcess) {
  let next = 1;
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  child.on('message', (m: ServerReply) => {
    const w = waiting.get(m.id);
    if (!w) return;
    waiting.delete(m.id);
    if (m.ok) w.resolve(m.value);
    else w.reject(new Error(m.error));
  });
  return <T>(cmd: string, arg?: unknown) =>
    new Promise<T>((resolve, reject) => {
      const id = next++;
      waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      child.send({ id, cmd, arg });
    });
}

function get(agent: http.Agent, port: number, path: string): Promise<{ status: number; type: string; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          type: String(res.headers['content-type']),
          body: Buffer.concat(chunks),
        }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

interface RoundResult {
  requests: number;
  seconds: number;
  latencies: number[];
  errors: number;
  /** CPU time the server process spent in this round (µs). */
  cpu: number;
}

async function round(port: number, connections: number, seconds: number): Promise<RoundResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const latencies: number[] = [];
  let errors = 0;
  const started = process.hrtime.bigint();
  const end = started + BigInt(Math.round(seconds * 1e9));
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (process.hrtime.bigint() < end) {
        const t0 = process.hrtime.bigint();
        try {
          const res = await get(agent, port, '/');
          if (res.status !== 200) errors += 1;
        } catch {
          errors += 1;
        }
        latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
    }),
  );
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  agent.destroy();
  return { requests: latencies.length, seconds: elapsed, latencies, errors, cpu: 0 };
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
const median = (values: number[]) =>
  percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
const fmt = (n: number, digits = 1) => n.toFixed(digits);

async function main() {
  const { values } = parseArgs({
    options: {
      rounds: { type: 'string', default: '6' },
      seconds: { type: 'string', default: '2.5' },
      connections: { type: 'string', default: '32' },
      postgres: { type: 'string' },
      profile: { type: 'string' },
    },
  });
  const rounds = Math.min(20, Math.max(1, Number(values.rounds)));
  const seconds = Math.min(10, Math.max(0.5, Number(values.seconds)));
  const connections = Math.min(256, Math.max(1, Number(values.connections)));

  // --postgres: a scratch database next to the given one, dropped at the end
  let scratch: { url: string; drop: () => Promise<void> } | undefined;
  if (values.postgres) {
    const admin = new URL(values.postgres);
    if (!['127.0.0.1', 'localhost', '[::1]'].includes(admin.hostname))
      throw new Error('The benchmark only talks to a database on this machine (loopback).');
    const name = `smr_bench_${process.pid}`;
    const run = async (sql: string) => {
      const client = new pg.Client({ connectionString: values.postgres });
      await client.connect();
      try {
        await client.query(sql);
      } finally {
        await client.end();
      }
    };
    await run(`CREATE DATABASE ${name}`);
    const url = new URL(values.postgres);
    url.pathname = `/${name}`;
    scratch = { url: url.toString(), drop: () => run(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
  }

  const child = fork(__filename, ['--server'], {
    env: { ...process.env, ...(scratch ? { BENCH_POSTGRES_URL: scratch.url } : {}) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`server process exited with ${code}`)));
  });
  const call = control(child);
  const watchdog = setTimeout(() => {
    console.error('Benchmark took longer than 10 minutes; stopping.');
    child.kill();
    process.exit(1);
  }, 600_000);

  try {
    const ports = await call<{ app: number; bare: number; stack: number }>('ports');
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

    const load = () =>
      os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ');
    console.log(
      `Social-Media-Register – overview benchmark (Node ${process.version}, ${values.postgres ? 'PostgreSQL (scratch database)' : 'PGlite in memory'})`,
    );
    console.log(`Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, load average before: ${load()}`);
    console.log('');
    console.log(
      'Uncached render time of GET / (register version bumped before each request; median of 15 after 5 warm-up requests):',
    );
    const renders: Array<{ n: number; page1: number; last: number; json: number }> = [];
    for (const n of [100, 1000, 10_000]) {
      const total = await call<number>('seed', n);
      const sample = async (path: string) => {
        const times: number[] = [];
        for (let i = 0; i < 20; i++) {
          await call('bump');
          const t0 = process.hrtime.bigint();
          const res = await get(agent, ports.app, path);
          if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
          if (i >= 5) times.push(Number(process.hrtime.bigint() - t0) / 1e6); // the first 5 warm up
        }
        return median(times);
      };
      const first = await get(agent, ports.app, '/');
      const pages = Math.max(1, ...[...first.body.toString('utf8').matchAll(/seite=(\d+)/g)].map((m) => Number(m[1])));
      const r = {
        n: total + 1,
        page1: await sample('/'),
        last: await sample(`/?seite=${pages}`),
        json: await sample('/angebote.json'),
      };
      renders.push(r);
      console.log(
        `  ${String(r.n).padStart(6)} presences: overview page 1 ${fmt(r.page1, 2).padStart(7)} ms, last page (${pages}) ${fmt(r.last, 2).padStart(7)} ms, /angebote.json (all) ${fmt(r.json, 2).padStart(8)} ms`,
      );
      if (n === 1000) await throughput();
    }
    const [small, , large] = renders as [(typeof renders)[0], (typeof renders)[0], (typeof renders)[0]];
    console.log(
      `  growth 100 → 10,000 presences (×${fmt(large.n / small.n, 0)} data): page 1 ×${fmt(large.page1 / small.page1, 2)}, last page ×${fmt(large.last / small.last, 2)}, JSON ×${fmt(large.json / small.json, 2)}`,
    );

    async function throughput() {
      // the bare server sends exactly what the app sends for GET /
      const reference = await get(agent, ports.app, '/');
      await call('bare', { body: reference.body.toString('base64'), type: reference.type });
      const check = await get(agent, ports.bare, '/');
      if (!check.body.equals(reference.body)) throw new Error('bare server does not send the same bytes');

      console.log('');
      console.log(
        `Throughput of GET / at 1,001 presences (cached), ${connections} keep-alive connections, ${rounds} alternating rounds of ${seconds} s per server, ${reference.body.length} bytes per response:`,
      );
      const check2 = await get(agent, ports.stack, '/');
      if (!check2.body.equals(reference.body)) throw new Error('middleware-only server does not send the same bytes');
      for (const p of [ports.app, ports.bare, ports.stack]) await round(p, connections, 1); // warm-up
      const results = { app: [] as RoundResult[], bare: [] as RoundResult[], stack: [] as RoundResult[] };
      const checksBefore = await call<number>('versionChecks');
      const rss: number[] = [];
      for (let i = 0; i < rounds; i++) {
        for (const which of ['app', 'bare', 'stack'] as const) {
          const profiling = which === 'app' && i === 0 && values.profile;
          if (profiling) await call('profileStart');
          const sampler =
            which === 'app' ? setInterval(() => void call<number>('rss').then((v) => rss.push(v)), 200) : undefined;
          const cpuBefore = await call<number>('cpu');
          const result = await round(ports[which], connections, seconds);
          result.cpu = (await call<number>('cpu')) - cpuBefore;
          results[which].push(result);
          if (sampler) clearInterval(sampler);
          if (profiling)
            console.log(`  (CPU profile of the app round: ${await call<string>('profileStop', values.profile)})`);
        }
      }
      const summary = (list: RoundResult[]) => {
        const requests = list.reduce((s, r) => s + r.requests, 0);
        const secs = list.reduce((s, r) => s + r.seconds, 0);
        const lat = list.flatMap((r) => r.latencies).sort((a, b) => a - b);
        const cpu = list.reduce((s, r) => s + r.cpu, 0);
        return {
          rps: requests / secs,
          p50: percentile(lat, 50),
          p99: percentile(lat, 99),
          errors: list.reduce((s, r) => s + r.errors, 0),
          requests,
          cpuPerRequest: cpu / requests,
        };
      };
      const a = summary(results.app);
      const b = summary(results.bare);
      const m = summary(results.stack);
      for (const [name, s] of [
        ['app (createApp)', a],
        ['bare Express', b],
        ['diagnostic: app middleware + bare handler', m],
      ] as const) {
        console.log(
          `  ${name}\n    ${fmt(s.rps, 0).padStart(7)} req/s   p50 ${fmt(s.p50, 2).padStart(6)} ms   p99 ${fmt(s.p99, 2).padStart(6)} ms   server CPU ${fmt(s.cpuPerRequest, 0).padStart(5)} µs/request   (${s.requests} requests, ${s.errors} errors)`,
        );
      }
      console.log(`  ratio app/bare: throughput ${fmt(a.rps / b.rps, 2)}, p99 latency ${fmt(a.p99 / b.p99, 2)}`);
      console.log(
        `  server CPU per request bare/app: ${fmt(b.cpuPerRequest / a.cpuPerRequest, 2)} (the throughput ratio when the server, not the load generator or the neighbours, is the bottleneck)`,
      );
      const plus = (x: number) => (x < 0 ? `${fmt(x, 0)} (negative: measurement noise)` : `+${fmt(x, 0)}`);
      console.log(
        `  where the app's extra CPU goes: shared middleware ${plus(m.cpuPerRequest - b.cpuPerRequest)} µs/request, overview handler (version check, cache lookup, headers) ${plus(a.cpuPerRequest - m.cpuPerRequest)} µs/request`,
      );
      const checks = (await call<number>('versionChecks')) - checksBefore;
      console.log(
        `  register-version queries: ${checks} for ${a.requests} app requests (${fmt(checks / a.requests, 3)} per request)`,
      );
      console.log(
        `  server process RSS under load: max ${fmt(Math.max(...rss) / 1e6, 0)} MB, last ${fmt((rss[rss.length - 1] ?? 0) / 1e6, 0)} MB (${rss.length} samples)`,
      );
      console.log('');
    }
    console.log(`Load average after: ${load()}`);
    agent.destroy();
  } finally {
    clearTimeout(watchdog);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    await call('stop').catch(() => undefined);
    const timer = setTimeout(() => child.kill(), 5000);
    await exited;
    clearTimeout(timer);
    await scratch?.drop();
  }
}

if (process.argv.includes('--server')) {
  server().catch((err) => {
    console.error(err);
    process.exit(1);
  });
} else {
  main().catch((err) => {
    console.error(err instanceof Error ? err.stack : err);
    process.exit(1);
  });
}
