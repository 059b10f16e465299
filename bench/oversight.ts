/**
 * Process figures page render time (`npm run bench:oversight`), not a test – issue 13's figure:
 * with 10,000 presences and 50,000 history entries the page renders in under 300 ms on PostgreSQL.
 *
 * On a scratch PostgreSQL database (created and dropped here; server from BENCH_DATABASE_URL or
 * TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres) it migrates, seeds the
 * demo units, 10,000 presences over two years (some closed, some overdue), 5,000 requests with
 * 50,000 history entries (submissions, step openings, decisions) and their decisions, 300 requests
 * in review; then signs in as communications through the real app (createApp, demo directory)
 * and times GET /intern/auswertung (default period: twelve months), the council report and one
 * CSV over HTTP on loopback. Prints median and 90th percentile per page.
 *
 * Options: --runs N (15).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { parseArgs } from 'node:util';
import pg from 'pg';
import pino from 'pino';
import { createApp } from '../src/app';
import { buildContainer } from '../src/container';
import { demoDirectoryConfig, loadConfig } from '../src/config';
import { connectPostgres, migrateLatest } from '../src/db/knex';
import { createDirectory } from '../src/directory/directory';
import { startDemoDirectory } from '../src/directory/demo-server';
import { seedDemoUnits } from '../src/demo/org-units';
import { catalogues } from '../src/messages';
import { translator } from '../src/web/i18n';
import { FIGURE_KEYS, createFigureService, resolvePeriod } from '../src/oversight/figures';

const PRESENCES = 10_000;
const REQUESTS = 5_000;
const IN_REVIEW = 300;
const { values: args } = parseArgs({ options: { runs: { type: 'string', default: '15' } } });
const runs = Number(args.runs);

const adminUrl = new URL(
  process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
);
const dbName = `smr_bench_oversight_${process.pid}`;
const url = new URL(adminUrl);
url.pathname = `/${dbName}`;

async function adminRun(sql: string) {
  const c = new pg.Client({ connectionString: adminUrl.toString() });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

const DAY = 86_400_000;
const pct = (sorted: number[], p: number) => {
  const pos = (sorted.length - 1) * p;
  const lo = Math.floor(pos);
  return sorted[lo]! + (sorted[Math.min(lo + 1, sorted.length - 1)]! - sorted[lo]!) * (pos - lo);
};

async function seed(db: ReturnType<typeof connectPostgres>['db'], now: Date) {
  await seedDemoUnits(db, now);
  const units: number[] = (await db('org_units').select('id')).map((u: { id: number }) => u.id);
  const platforms: string[] = (await db('platforms').select('key')).map((p: { key: string }) => p.key);
  const rows = [];
  for (let i = 0; i < PRESENCES; i++) {
    const published = new Date(now.getTime() - ((i * 7919) % 730) * DAY);
    const closed = i % 9 === 0 ? new Date(published.getTime() + ((i * 31) % 200) * DAY) : null;
    rows.push({
      slug: `bench-${i}`,
      platform_key: platforms[i % platforms.length],
      account_id: `bench${i}`,
      url: `https://example.org/bench${i}`,
      name: `Angebot ${i}`,
      org_unit_id: units[i % units.length],
      status: closed && closed < now ? 'closed' : 'active',
      published_at: published,
      closed_at: closed && closed < now ? closed : null,
      review_overdue: i % 13 === 0,
    });
  }
  for (let i = 0; i < rows.length; i += 1000) await db('presences').insert(rows.slice(i, i + 1000));

  const definition = await db('workflow_definitions').where({ key: 'dienstanweisung' }).first<{ id: number }>('id');
  const steps = ['unit_head', 'communications', 'data_protection', 'hannoverde'];
  for (let start = 0; start < REQUESTS; start += 500) {
    const batch = [];
    for (let i = start; i < start + 500; i++) {
      const submitted = new Date(now.getTime() - ((i * 104729) % 700) * DAY - DAY);
      const inReview = i < IN_REVIEW;
      batch.push({
        kind: 'new',
        author_uid: 'redaktion',
        author_name: 'Robin Schäfer',
        status: inReview ? 'in_review' : i % 17 === 0 ? 'rejected' : 'published',
        title: `Antrag ${i}`,
        data: JSON.stringify({ orgUnit: '41' }),
        version: 1,
        submitted_at: submitted,
        finished_at: inReview ? null : new Date(submitted.getTime() + (5 + (i % 20)) * DAY),
      });
    }
    const ids: number[] = (await db('requests').insert(batch).returning('id')).map((r: { id: number }) => r.id);
    const versions = [];
    const history = [];
    const decisions: Array<Record<string, unknown>> = [];
    const instances = [];
    for (const [k, id] of ids.entries()) {
      const b = batch[k]!;
      const t0 = b.submitted_at.getTime();
      versions.push({
        request_id: id,
        version: 1,
        data: '{}',
        submitted_by: 'redaktion',
        submitted_at: b.submitted_at,
      });
      history.push({
        at: b.submitted_at,
        action: 'workflow.submitted',
        entity_type: 'request',
        entity_id: String(id),
        request_id: id,
      });
      // 4 steps × (opened + decided) + submitted + published/rejected = 10 entries
      steps.forEach((step, s) => {
        const opened = new Date(t0 + s * DAY);
        const decided = new Date(opened.getTime() + (1 + ((id + s) % 6)) * DAY * 0.5);
        const outcome =
          s === 1 && b.status === 'rejected' ? 'rejected' : s === 0 && id % 11 === 0 ? 'returned' : 'approved';
        history.push({
          at: opened,
          action: 'workflow.step_opened',
          entity_type: 'request',
          entity_id: String(id),
          request_id: id,
          changes: JSON.stringify({ step: { before: null, after: step } }),
        });
        history.push({
          at: decided,
          action: `workflow.${outcome}`,
          entity_type: 'request',
          entity_id: String(id),
          request_id: id,
          changes: JSON.stringify({ step: { before: null, after: step } }),
        });
        if (b.status !== 'in_review')
          decisions.push({
            request_id: id,
            step_id: step,
            version: 1,
            outcome,
            actor_uid: 'x',
            actor_name: 'X',
            comment: outcome === 'approved' ? null : 'Begründung',
            decided_at: decided,
          });
      });
      history.push({
        at: b.finished_at ?? b.submitted_at,
        action: 'workflow.published',
        entity_type: 'request',
        entity_id: String(id),
        request_id: id,
      });
      if (b.status === 'in_review')
        instances.push({
          request_id: id,
          definition_id: definition.id,
          status: 'in_review',
          state: JSON.stringify({
            status: 'in_review',
            authorUid: 'redaktion',
            editorUids: ['redaktion', 'redaktion2'],
            unit: '41',
            pausedSteps: [],
            submissions: 1,
            steps: {
              unit_head: { state: 'approved' },
              communications: {
                state: 'open',
                openedAt: b.submitted_at.toISOString(),
                ...(id % 3 === 0 ? { remindedAt: b.submitted_at.toISOString() } : {}),
              },
              data_protection: { state: 'open', openedAt: b.submitted_at.toISOString() },
              hannoverde: { state: 'waiting' },
            },
          }),
        });
    }
    await db('request_versions').insert(versions);
    for (let i = 0; i < history.length; i += 1000) await db('history').insert(history.slice(i, i + 1000));
    if (decisions.length) await db('decisions').insert(decisions);
    if (instances.length) await db('workflow_instances').insert(instances);
  }
  await db.raw('ANALYZE');
}

async function main() {
  console.log(`Social-Media-Register – process figures render time (Node ${process.version}, PostgreSQL)`);
  console.log(
    `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, load average: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  await adminRun(`CREATE DATABASE ${dbName}`);
  const demo = await startDemoDirectory(0);
  const database = connectPostgres(url.toString(), 10);
  let server: http.Server | undefined;
  try {
    const now = new Date();
    const t0 = Date.now();
    await migrateLatest(database.db);
    await seed(database.db, now);
    const counts = await database.db.raw<{ rows: unknown[] }>(
      'select (select count(*) from presences) as presences, (select count(*) from history) as history, (select count(*) from decisions) as decisions',
    );
    console.log(`Seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s:`, counts.rows[0]);

    // each figure alone (service and SQL, no HTTP): where the page's time goes
    const service = createFigureService({ db: database.db, clock: () => now });
    const labels = { t: translator('de', catalogues), locale: 'de' as const };
    const period = resolvePeriod({}, now);
    for (const key of FIGURE_KEYS) {
      const times: number[] = [];
      for (let i = 0; i < 7; i++) {
        const start = performance.now();
        await service.figure(key, period, labels);
        if (i >= 2) times.push(performance.now() - start);
      }
      times.sort((a, b) => a - b);
      console.log(`  figure ${key.padEnd(22)} median ${pct(times, 0.5).toFixed(1).padStart(6)} ms`);
    }

    const config = loadConfig({
      // the test profile: views cached as in production, no production-only settings required
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      SESSION_SECRET: 'bench-secret-bench-secret-bench-secret-01',
      BASE_URL: 'http://127.0.0.1',
      COOKIE_SECURE: 'false',
    });
    const app = createApp(
      config,
      buildContainer({
        config,
        db: database.db,
        directory: createDirectory(demoDirectoryConfig(demo.url)),
        logger: pino({ level: 'silent' }),
        clock: () => new Date(),
      }),
    );
    server = http.createServer(app);
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    // sign in as communications through the form
    const form = await fetch(`${base}/anmelden`);
    const cookie0 = form.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const token = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? '';
    const signIn = await fetch(`${base}/anmelden`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookie0 },
      body: new URLSearchParams({ username: 'kommunikation', password: 'demo', _csrf: token }),
    });
    if (signIn.status !== 303) throw new Error(`sign-in failed: ${signIn.status}`);
    const cookie =
      signIn.headers
        .getSetCookie()
        .map((c) => c.split(';')[0])
        .join('; ') || cookie0;

    const year = now.getUTCFullYear();
    for (const [label, path] of [
      ['figures page (12 months)', '/intern/auswertung'],
      ['council report (this year)', `/intern/auswertung/bericht?jahr=${year}`],
      ['CSV, active per Dezernat', '/intern/auswertung/aktiv-dezernat.csv'],
    ] as const) {
      const times: number[] = [];
      let bytes = 0;
      for (let i = 0; i < runs + 2; i++) {
        const start = performance.now();
        const res = await fetch(`${base}${path}`, { headers: { cookie } });
        const body = await res.text();
        const ms = performance.now() - start;
        if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
        bytes = body.length;
        if (i >= 2) times.push(ms); // two warm-up runs
      }
      times.sort((a, b) => a - b);
      console.log(
        `${label.padEnd(30)} median ${pct(times, 0.5).toFixed(0).padStart(5)} ms   p90 ${pct(times, 0.9).toFixed(0).padStart(5)} ms   (${runs} runs, ${(bytes / 1024).toFixed(0)} KiB)`,
      );
    }
    console.log('Goal: figures page median < 300 ms.');
  } finally {
    server?.closeAllConnections();
    server?.close();
    await database.close();
    await demo.close();
    await adminRun(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
