/**
 * Benchmark of the public check "is this account official?" (`npm run bench:verify`), not a test.
 *
 * One run, two processes, loopback only: the SERVER process (this file with --server) holds the
 * real app from createApp() on PostgreSQL (--postgres URL: a scratch database on that server,
 * dropped at the end) or an in-memory PGlite, with 1,001 presences (the synthetic register of
 * `npm run seed:synthetic`). The LOAD process drives, in alternating rounds over the same
 * keep-alive connections, GET / (the cached overview: the reference) and GET /pruefen.json and
 * GET /pruefen with addresses in rotation (half registered accounts, written the way people paste
 * them, half unknown accounts of the same platforms), and prints throughput and the ratios
 * /pruefen.json : / and /pruefen : / measured side by side in one run.
 *
 * Options: --rounds N (default 4), --seconds S per round (default 2.5), --connections C (default 32),
 *          --addresses A (different addresses in rotation, default 200), --postgres URL.
 */
import { fork, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { loadConfig, demoDirectoryConfig } from '../src/config';
import { connectPglite, connectPostgres, migrateLatest, newPglite } from '../src/db/knex';
import { createDirectory } from '../src/directory/directory';
import { createLogger } from '../src/web/logging';
import { createApp } from '../src/app';
import { buildContainer } from '../src/container';
import { seedSynthetic } from '../src/public/synthetic';

async function server() {
  const postgresUrl = process.env.BENCH_POSTGRES_URL;
  let database;
  if (postgresUrl) database = connectPostgres(postgresUrl, 10);
  else {
    const pglite = newPglite();
    await pglite.waitReady;
    database = connectPglite(pglite);
  }
  await migrateLatest(database.db);
  await seedSynthetic(database.db, 1000);
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    SESSION_SECRET: 'bench-secret-bench-secret-bench-secret-00',
    BASE_URL: 'http://127.0.0.1',
    ...(postgresUrl ? { DATABASE_URL: postgresUrl } : {}),
  });
  const app = createApp(
    config,
    buildContainer({
      config,
      db: database.db,
      directory: createDirectory(demoDirectoryConfig('ldap://127.0.0.1:1')), // never contacted by public pages
      logger: createLogger('silent'),
      clock: () => new Date(),
    }),
  );
  const s = http.createServer(app);
  s.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const presences = (await database.db('presences').where({ status: 'active' }).select('url').orderBy('id')) as Array<{
    url: string;
  }>;
  process.on('message', (msg: { cmd: string }) => {
    if (msg.cmd === 'cpu') {
      const u = process.cpuUsage();
      process.send?.({ cpu: u.user + u.system, rss: process.memoryUsage().rss });
    }
    if (msg.cmd === 'stop') {
      s.closeAllConnections();
      s.close();
      void database.close().finally(() => process.exit(0));
    }
  });
  process.send?.({ port: (s.address() as AddressInfo).port, urls: presences.map((p) => p.url) });
}

function get(agent: http.Agent, port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;

async function main() {
  const { values } = parseArgs({
    options: {
      rounds: { type: 'string', default: '4' },
      seconds: { type: 'string', default: '2.5' },
      connections: { type: 'string', default: '32' },
      addresses: { type: 'string', default: '200' },
      postgres: { type: 'string' },
    },
  });
  const rounds = Math.min(20, Math.max(1, Number(values.rounds)));
  const seconds = Math.min(10, Math.max(0.5, Number(values.seconds)));
  const connections = Math.min(256, Math.max(1, Number(values.connections)));
  const addressCount = Math.min(5000, Math.max(2, Number(values.addresses)));

  let scratch: { url: string; drop: () => Promise<void> } | undefined;
  if (values.postgres) {
    const admin = new URL(values.postgres);
    if (!['127.0.0.1', 'localhost', '[::1]'].includes(admin.hostname))
      throw new Error('The benchmark only talks to a database on this machine (loopback).');
    const name = `smr_bench_verify_${process.pid}`;
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
  const child: ChildProcess = fork(__filename, ['--server'], {
    env: { ...process.env, ...(scratch ? { BENCH_POSTGRES_URL: scratch.url } : {}) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const watchdog = setTimeout(() => {
    console.error('Benchmark took longer than 10 minutes; stopping.');
    child.kill();
    process.exit(1);
  }, 600_000);
  try {
    const { port, urls } = await new Promise<{ port: number; urls: string[] }>((resolve, reject) => {
      child.once('message', (m) => resolve(m as { port: number; urls: string[] }));
      child.once('exit', (code) => reject(new Error(`server process exited with ${code}`)));
    });
    const cpu = () =>
      new Promise<{ cpu: number; rss: number }>((resolve) => {
        child.once('message', (m) => resolve(m as { cpu: number; rss: number }));
        child.send({ cmd: 'cpu' });
      });
    // half registered (pasted as people paste them: without scheme, with "www." and a query), half unknown
    const addresses: string[] = [];
    for (let i = 0; addresses.length < addressCount; i++) {
      const url = urls[i % urls.length] as string;
      addresses.push(
        i % 2 === 0 ? `${url.replace(/^https:\/\//, '')}?ref=bench${i}` : `${url.replace(/\/?$/, '')}-unbekannt${i}`,
      );
    }
    const paths = {
      overview: () => ['/'],
      json: () => addresses.map((a) => `/pruefen.json?${new URLSearchParams({ url: a })}`),
      html: () => addresses.map((a) => `/pruefen?${new URLSearchParams({ url: a })}`),
    };
    type Which = keyof typeof paths;
    const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
    for (const which of Object.keys(paths) as Which[]) {
      for (const p of paths[which]().slice(0, 4)) {
        const status = await get(agent, port, p);
        if (status !== 200) throw new Error(`${p} answered ${status}`);
      }
    }
    const round = async (list: string[]) => {
      const latencies: number[] = [];
      let errors = 0;
      let next = 0;
      const before = await cpu();
      const started = process.hrtime.bigint();
      const end = started + BigInt(Math.round(seconds * 1e9));
      await Promise.all(
        Array.from({ length: connections }, async () => {
          while (process.hrtime.bigint() < end) {
            const path = list[next++ % list.length] as string;
            const t0 = process.hrtime.bigint();
            try {
              if ((await get(agent, port, path)) !== 200) errors += 1;
            } catch {
              errors += 1;
            }
            latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
          }
        }),
      );
      const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
      const after = await cpu();
      return {
        requests: latencies.length,
        seconds: elapsed,
        latencies,
        errors,
        cpu: after.cpu - before.cpu,
        rss: after.rss,
      };
    };
    const load = () =>
      os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ');
    console.log(
      `Social-Media-Register – verification benchmark (Node ${process.version}, ${values.postgres ? 'PostgreSQL (scratch database)' : 'PGlite in memory'})`,
    );
    console.log(`Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, load average before: ${load()}`);
    console.log(
      `${urls.length} active presences; ${addresses.length} addresses in rotation; ${connections} keep-alive connections; ${rounds} alternating rounds of ${seconds} s per path`,
    );
    for (const which of Object.keys(paths) as Which[]) await round(paths[which]()); // warm-up
    const results: Record<Which, Awaited<ReturnType<typeof round>>[]> = { overview: [], json: [], html: [] };
    for (let i = 0; i < rounds; i++)
      for (const which of Object.keys(paths) as Which[]) results[which].push(await round(paths[which]()));
    const summary = (list: Awaited<ReturnType<typeof round>>[]) => {
      const requests = list.reduce((s, r) => s + r.requests, 0);
      const lat = list.flatMap((r) => r.latencies).sort((a, b) => a - b);
      return {
        rps: requests / list.reduce((s, r) => s + r.seconds, 0),
        p99: percentile(lat, 99),
        cpu: list.reduce((s, r) => s + r.cpu, 0) / requests,
        errors: list.reduce((s, r) => s + r.errors, 0),
        requests,
        rss: Math.max(...list.map((r) => r.rss)),
      };
    };
    const s = { overview: summary(results.overview), json: summary(results.json), html: summary(results.html) };
    const names: Record<Which, string> = {
      overview: 'GET / (cached overview)',
      json: 'GET /pruefen.json?url=…',
      html: 'GET /pruefen?url=…',
    };
    for (const which of Object.keys(paths) as Which[]) {
      const r = s[which];
      console.log(
        `  ${names[which].padEnd(26)} ${r.rps.toFixed(0).padStart(6)} req/s   p99 ${r.p99.toFixed(2).padStart(6)} ms   server CPU ${r.cpu.toFixed(0).padStart(5)} µs/request   (${r.requests} requests, ${r.errors} errors)`,
      );
    }
    console.log(
      `  ratio /pruefen.json : / throughput ${(s.json.rps / s.overview.rps).toFixed(2)}   (server CPU per request / : /pruefen.json ${(s.overview.cpu / s.json.cpu).toFixed(2)})`,
    );
    console.log(
      `  ratio /pruefen      : / throughput ${(s.html.rps / s.overview.rps).toFixed(2)}   (server CPU per request / : /pruefen ${(s.overview.cpu / s.html.cpu).toFixed(2)})`,
    );
    console.log(
      `  server RSS after the rounds: max ${(Math.max(s.overview.rss, s.json.rss, s.html.rss) / 1e6).toFixed(0)} MB`,
    );
    console.log(`Load average after: ${load()}`);
    agent.destroy();
  } finally {
    clearTimeout(watchdog);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.send({ cmd: 'stop' });
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
