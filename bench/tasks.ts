/**
 * Task lists with 5,000 requests (`npm run bench:tasks`), not a test – issue 15's figure.
 *
 * Builds the real app (createApp) on a fresh database with 5,000 requests of the directive
 * (most in review at different steps and units, some returned or published; their waiting rows
 * as src/requests/waits.ts writes them), signs in through the form against the demo directory
 * and times whole pages over HTTP (supertest, in process): "Meine Aufgaben" of the unit head of
 * 41 and of the press office, filtered and sorted variants, page 3, the request list of the
 * press office, and its CSV. Prints the median and p90 of each, on PGlite and, with
 * --postgres URL (admin URL; a scratch database is created and dropped), on PostgreSQL.
 *
 * Options: --requests N (5000), --runs R (15), --postgres URL
 */
import { parseArgs } from 'node:util';
import request from 'supertest';
import pg from 'pg';
import { loadConfig, demoDirectoryConfig } from '../src/config';
import { createApp } from '../src/app';
import { buildContainer } from '../src/container';
import { connectPglite, connectPostgres, migrateLatest, newPglite, type Database } from '../src/db/knex';
import { createDirectory } from '../src/directory/directory';
import { startDemoDirectory } from '../src/directory/demo-server';
import { createLogger } from '../src/web/logging';
import { seedDemoUnits } from '../src/demo/org-units';
import { completeRequestData } from '../src/demo/seed';
import { newInstance, type Instance } from '../src/workflow/core';
import type { WorkflowDefinition } from '../src/workflow/definition';
import { waitsOf } from '../src/requests/waits';

const { values: args } = parseArgs({
  options: {
    requests: { type: 'string', default: '5000' },
    runs: { type: 'string', default: '15' },
    postgres: { type: 'string' },
  },
});
const N = Number(args.requests);
const RUNS = Number(args.runs);
const NOW = new Date();
const DAY = 86_400_000;
const UNITS = ['41', '41.2', '41.4', '42', '40', '67', '67.4', '37'];

async function seed(database: Database) {
  const db = database.db;
  await migrateLatest(db);
  await seedDemoUnits(db);
  const defRow = await db('workflow_definitions')
    .where({ key: 'dienstanweisung' })
    .orderBy('version', 'desc')
    .first<{ id: number; definition: WorkflowDefinition }>('id', 'definition');
  const definition = defRow.definition;
  const units = new Map<string, number>(
    (await db('org_units').select('id', 'code')).map((u: { id: number; code: string }) => [u.code, u.id]),
  );
  for (let start = 0; start < N; start += 500) {
    const batch = Array.from({ length: Math.min(500, N - start) }, (_, k) => start + k);
    const rows = batch.map((i) => {
      const unit = UNITS[i % UNITS.length] as string;
      const data = { ...completeRequestData(`Auftritt ${i}`, `auftritt${i}`), orgUnit: unit };
      const kind = i % 10; // 0–5 unit head, 6–7 parallel review, 8 returned, 9 published
      const openedAt = new Date(NOW.getTime() - (i % 90) * DAY).toISOString();
      const state: Instance = {
        ...newInstance(definition, { authorUid: `autor${i % 50}`, editorUids: [`autor${i % 50}`, 'redaktion2'], unit }),
        status: kind === 8 ? 'returned' : kind === 9 ? 'published' : 'in_review',
        submissions: 1,
      };
      if (kind <= 5) state.steps.unit_head = { state: 'open', openedAt };
      else {
        state.steps.unit_head = { state: 'approved', openedAt, decidedAt: openedAt, decidedBy: 'leitung' };
        if (kind <= 7) {
          state.steps.communications = { state: 'open', openedAt };
          state.steps.data_protection = { state: 'open', openedAt };
        }
      }
      return { i, unit, data, state, openedAt };
    });
    const ids: Array<{ id: number }> = await db('requests')
      .insert(
        rows.map((r) => ({
          kind: 'new',
          author_uid: `autor${r.i % 50}`,
          author_name: `Autor*in ${r.i % 50}`,
          org_unit_id: units.get(r.unit) ?? null,
          status: r.state.status,
          title: r.data.name,
          data: JSON.stringify(r.data),
          version: 1,
          submitted_at: r.openedAt,
          updated_at: r.openedAt,
        })),
      )
      .returning('id');
    await db('workflow_instances').insert(
      rows.map((r, k) => ({
        request_id: ids[k]?.id,
        definition_id: defRow.id,
        status: r.state.status,
        state: JSON.stringify(r.state),
        revision: 1,
      })),
    );
    const waits = rows.flatMap((r, k) => waitsOf(ids[k]?.id as number, definition, r.state));
    if (waits.length > 0) await db('request_waits').insert(waits);
  }
  await db.raw('ANALYZE');
}

async function signIn(app: Parameters<typeof request.agent>[0], username: string) {
  const agent = request.agent(app);
  const form = await agent.get('/anmelden');
  const csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)?.[1];
  const res = await agent.post('/anmelden').type('form').send({ username, password: 'demo', _csrf: csrf });
  if (res.status !== 303) throw new Error(`sign-in of ${username}: ${res.status}`);
  return agent;
}

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] as number;
};

async function measure(label: string, database: Database) {
  const t0 = performance.now();
  await seed(database);
  console.log(`${label}: ${N} requests seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const demo = await startDemoDirectory(0);
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    SESSION_SECRET: 'bench-secret-bench-secret-bench-secret-00',
    BASE_URL: 'http://127.0.0.1',
  });
  const app = createApp(
    config,
    buildContainer({
      config,
      db: database.db,
      directory: createDirectory(demoDirectoryConfig(demo.url)),
      logger: createLogger('silent'),
      clock: () => NOW,
    }),
  );
  const head = await signIn(app, 'leitung');
  const comms = await signIn(app, 'kommunikation');
  const pages: Array<[string, ReturnType<typeof request.agent>, string]> = [
    ['Meine Aufgaben, unit head 41', head, '/intern'],
    ['  … overdue, by deadline', head, '/intern?ueberfaellig=ja&sortierung=frist'],
    ['  … unit 41 with sub-units, text', head, '/intern?einheit=41&q=auftritt1'],
    ['  … page 3', head, '/intern?seite=3'],
    ['Meine Aufgaben, press office', comms, '/intern'],
    ['Requests, press office', comms, '/intern/antraege'],
    ['  … step, longest waiting', comms, '/intern/antraege?schritt=data_protection&sortierung=wartezeit'],
    ['  … CSV of one step', comms, '/intern/antraege.csv?schritt=data_protection'],
  ];
  console.log(`${'page'.padEnd(40)} ${'median'.padStart(9)} ${'p90'.padStart(9)}  rows`);
  for (const [name, agent, url] of pages) {
    const times: number[] = [];
    let info = '';
    for (let r = 0; r < RUNS + 2; r++) {
      const s = performance.now();
      const res = await agent.get(url);
      const ms = performance.now() - s;
      if (res.status !== 200) throw new Error(`${url}: ${res.status}`);
      if (r >= 2) times.push(ms); // two warm-up runs
      info =
        /(\d+) Einträge, Seite/.exec(res.text)?.[1] ??
        (url.includes('.csv') ? `${res.text.split('\r\n').length - 2}` : '');
    }
    console.log(
      `${name.padEnd(40)} ${quantile(times, 0.5).toFixed(1).padStart(7)} ms ${quantile(times, 0.9).toFixed(1).padStart(6)} ms  ${info}`,
    );
  }
  await demo.close();
}

async function main() {
  const pglite = newPglite();
  await pglite.waitReady;
  const lite = connectPglite(pglite);
  await measure('PGlite', lite);
  await lite.close();
  if (args.postgres) {
    const name = `smr_bench_tasks_${process.pid}`;
    const admin = new pg.Client({ connectionString: args.postgres });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(args.postgres);
    url.pathname = `/${name}`;
    const database = connectPostgres(url.toString(), 10);
    try {
      await measure('PostgreSQL', database);
    } finally {
      await database.close();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  } else console.log('PostgreSQL: pass --postgres postgres://postgres@127.0.0.1:5432/postgres');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
