/**
 * Where one start of the portal goes, phase by phase (`npm run bench:startup-phases`), not a test.
 *
 * Does what src/server.ts does, in the same order, in this one process, and prints for each
 * phase its wall time, its CPU time (user+sys of this process, so that a busy machine shows as
 * wall > CPU) and the peak RSS after it:
 *   boot        node and tsx until this script runs
 *   modules     loading every module src/server.ts imports (nothing else runs)
 *   open        loadConfig + openDatabase (a new data folder: copy of the migrated template)
 *   migrate     migrateDatabase (skipped on a folder made from the template, as src/server.ts does)
 *   directory   the demo directory and the directory client
 *   demo data   seedDemo (nothing on a second start)
 *   app         buildContainer, the jobs, createApp, listen
 *   first GET / the first request to the overview, until its 200 is read
 * then closes and does it all again on the same data folder ("second start": the modules are
 * loaded by then, so only the other phases are timed again).
 *
 * Options: --data-dir DIR (default: a new temporary folder, removed at the end), --runs N (1),
 * --markdown. Uses the template in node_modules/.cache/social-media-register like `npm start`
 * (a first start ever makes it: run once before measuring).
 */
import { bootEnd } from './startup-clock';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import { parseArgs } from 'node:util';
// the imports of src/server.ts, in its order, after the clock
import { loadConfig, demoDirectoryConfig } from '../src/config';
import { openDatabase, migrateDatabase } from '../src/db/knex';
import '../src/db/lock';
import { createDirectory } from '../src/directory/directory';
import { startDemoDirectory } from '../src/directory/demo-server';
import { demoAccounts } from '../src/directory/demo-accounts';
import { createLogger } from '../src/web/logging';
import { createApp } from '../src/app';
import { buildContainer } from '../src/container';
import { createMailer } from '../src/notifications/mailer';
import { outboxJob } from '../src/notifications/delivery';
import { createScheduler, defaultHolder } from '../src/jobs/scheduler';
import { maintenanceJob } from '../src/jobs/maintenance';
import { reportDigestJob } from '../src/jobs/report-digest';
import { deadlineJob } from '../src/jobs/deadlines';
import { reviewJob, directoryCheckJob } from '../src/presences/lifecycle';
import { reassessmentJob } from '../src/reassessments/job';
import { directorySyncJob } from '../src/people/sync';
import { seedDemo } from '../src/demo/seed';

const { values: opts } = parseArgs({
  options: {
    'data-dir': { type: 'string' },
    runs: { type: 'string', default: '1' },
    markdown: { type: 'boolean', default: false },
  },
});

type Row = { phase: string; ms: number; cpuMs: number; peakMb: number };
let wall = performance.now();
let cpu = process.cpuUsage();
function mark(rows: Row[], phase: string) {
  const nowWall = performance.now();
  const nowCpu = process.cpuUsage();
  rows.push({
    phase,
    ms: nowWall - wall,
    cpuMs: (nowCpu.user - cpu.user + nowCpu.system - cpu.system) / 1000,
    peakMb: process.resourceUsage().maxRSS / 1024,
  });
  wall = performance.now();
  cpu = process.cpuUsage();
}

function get(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      })
      .on('error', reject);
  });
}

async function main() {
  const boot: Row = {
    phase: 'boot (node, tsx)',
    ms: bootEnd.wall, // performance.now() counts from the start of the process
    cpuMs: (bootEnd.cpu.user + bootEnd.cpu.system) / 1000,
    peakMb: 0,
  };
  const moduleRows: Row[] = [];
  wall = bootEnd.wall;
  cpu = bootEnd.cpu;
  mark(moduleRows, 'modules');

  const dataDir = opts['data-dir'] ?? fs.mkdtempSync(path.join(os.tmpdir(), 'smr-phases-'));
  process.env.DATA_DIR = dataDir;
  process.env.PORT = '0';
  process.env.HOST = '127.0.0.1';
  process.env.LOG_LEVEL = 'warn';

  async function start(label: string): Promise<Row[]> {
    const rows: Row[] = [];
    wall = performance.now();
    cpu = process.cpuUsage();
    const config = loadConfig();
    const logger = createLogger(config.logLevel);
    const database = await openDatabase(config, logger);
    mark(rows, `open (${database.created ?? '?'})`);
    // as src/server.ts: a folder copied from the template has every migration
    if (database.created !== 'template') await migrateDatabase(database);
    mark(rows, database.created === 'template' ? 'migrate (skipped: template)' : 'migrate');
    const demo = await startDemoDirectory(config.demoDirectoryPort);
    const directory = createDirectory(demoDirectoryConfig(demo.url));
    mark(rows, 'directory');
    const seeded = await seedDemo(database.db, directory, () => new Date(), config.baseUrl);
    mark(rows, seeded ? 'demo data' : 'demo data (none)');
    const services = buildContainer({
      config,
      db: database.db,
      directory,
      logger,
      clock: () => new Date(),
      demoAccounts: demoAccounts(),
    });
    const { db } = services;
    const mailer = createMailer(config.mail, logger);
    const scheduler = createScheduler({
      db,
      logger,
      clock: services.clock,
      holder: defaultHolder(),
      jobs: [
        outboxJob(db, mailer, { roles: services.roles }),
        deadlineJob(db, config.baseUrl),
        reviewJob(db, config.baseUrl),
        reassessmentJob(db, config.baseUrl),
        directoryCheckJob(db, directory, config.baseUrl),
        maintenanceJob(db, config, logger),
        reportDigestJob(db, config.baseUrl),
        directorySyncJob(db, directory, logger, config.directorySyncMinutes * 60_000),
      ],
    });
    scheduler.start();
    const server = http.createServer(createApp(config, services));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    mark(rows, 'app');
    const code = await get(`http://127.0.0.1:${(server.address() as { port: number }).port}/`);
    if (code !== 200) throw new Error(`GET / answered ${code}`);
    mark(rows, 'first GET /');
    const total = rows.reduce((s, r) => ({ ...s, ms: s.ms + r.ms, cpuMs: s.cpuMs + r.cpuMs, peakMb: r.peakMb }), {
      phase: `${label}: total`,
      ms: 0,
      cpuMs: 0,
      peakMb: 0,
    });
    server.close();
    server.closeAllConnections();
    await scheduler.stop();
    await demo.close();
    await database.close();
    return [...rows.map((r) => ({ ...r, phase: `${label}: ${r.phase}` })), total];
  }

  const runs = Number(opts.runs);
  const all: Row[][] = [];
  for (let i = 0; i < runs; i++) {
    const dir = i === 0 ? dataDir : fs.mkdtempSync(path.join(os.tmpdir(), 'smr-phases-'));
    process.env.DATA_DIR = dir;
    const fresh = await start('fresh');
    const second = await start('second');
    all.push([...(i === 0 ? [boot, ...moduleRows] : []), ...fresh, ...second]);
    if (!opts['data-dir'] || i > 0) fs.rmSync(dir, { recursive: true, force: true });
  }
  const fmt = (n: number) => Math.round(n).toLocaleString('en');
  console.log(
    `node ${process.version}, load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  for (const [i, rows] of all.entries()) {
    console.log(`run ${i + 1}`);
    for (const r of rows)
      console.log(
        `  ${r.phase.padEnd(34)} ${fmt(r.ms).padStart(7)} ms wall ${fmt(r.cpuMs).padStart(7)} ms CPU  peak RSS ${fmt(r.peakMb)} MB`,
      );
  }
  if (opts.markdown) {
    console.log('\n| phase | wall | CPU (user+sys) | peak RSS after |\n|---|---:|---:|---:|');
    for (const r of all[0] ?? [])
      console.log(`| ${r.phase} | ${fmt(r.ms)} ms | ${fmt(r.cpuMs)} ms | ${fmt(r.peakMb)} MB |`);
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
