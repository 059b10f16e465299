/**
 * What one approval costs inside the request service (`npm run bench:approve`), not a test.
 *
 * On a scratch PostgreSQL database (created and dropped here) with the demo data, it prepares
 * requests waiting for the unit head through the real request service, then approves them one
 * after another with `service.act` (no HTTP) and counts, through knex's query event, every SQL
 * statement of each approval (BEGIN and COMMIT included). Prints the statements of one
 * approval in order, statements per approval, and the time per approval (median, p90).
 * Then the same over HTTP, in this process: the app built as the server builds it (createApp,
 * buildContainer), the unit head signed in through the form, and `POST
 * /intern/antraege/:id/entscheidung` with the page's CSRF token — every statement of one HTTP
 * decision counted the same way (session read and write, the route's reads, the service).
 * Afterwards it checks that every approval left exactly one decision row and that the
 * request and its workflow instance agree.
 *
 * Options: --requests N (60, as many again for the HTTP part), --postgres URL (admin URL, default postgres://postgres@127.0.0.1:5432/postgres).
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import pg from 'pg';
import request from 'supertest';
import { demoDirectoryConfig, loadConfig, DEMO_BASE_DN, DEMO_ROLE_GROUPS } from '../src/config';
import { createApp } from '../src/app';
import { buildContainer } from '../src/container';
import { createLogger } from '../src/web/logging';
import { connectPostgres, migrateLatest } from '../src/db/knex';
import { createDirectory } from '../src/directory/directory';
import { startDemoDirectory } from '../src/directory/demo-server';
import { completeRequestData, seedDemo } from '../src/demo/seed';
import { createRequestService } from '../src/requests/service';
import { createNotifier } from '../src/requests/notify';
import type { SessionUser } from '../src/directory/user';

const { values: opts } = parseArgs({
  options: {
    requests: { type: 'string', default: '60' },
    postgres: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/postgres' },
  },
});
const N = Number(opts.requests);
const redaktion: SessionUser = {
  uid: 'redaktion',
  name: 'Robin Schäfer',
  unit: '41',
  roles: ['employee'],
  email: 'robin.schaefer@hannover-stadt.de',
};
const leitung: SessionUser = {
  uid: 'leitung',
  name: 'Dr. Andrea Lange',
  unit: '41',
  roles: ['employee', 'unit_head'],
  email: 'andrea.lange@hannover-stadt.de',
};
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

async function admin(sql: string) {
  const c = new pg.Client({ connectionString: opts.postgres });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

async function main() {
  const dbName = `smr_bench_approve_${process.pid}`;
  const url = new URL(opts.postgres);
  url.pathname = `/${dbName}`;
  console.log(`Social-Media-Register – one approval in the request service (Node ${process.version}, PostgreSQL)`);
  console.log(`Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, load average before: ${load()}`);
  await admin(`CREATE DATABASE ${dbName}`);
  const demo = await startDemoDirectory(0);
  const database = connectPostgres(url.toString(), 5);
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
    const ids: number[] = [];
    const httpIds: number[] = [];
    for (let i = 0; i < 2 * N; i++) {
      const data = completeRequestData(`Freigabeprobe ${i}`, `freigabeprobe.${process.pid}.${i}`);
      const id = await service.create(redaktion, data);
      const r = await service.submit(redaktion, id, data);
      if (!r.ok) throw new Error(`request ${i} invalid: ${JSON.stringify(r.problems)}`);
      (i < N ? ids : httpIds).push(id);
    }

    let statements: string[] = [];
    database.db.on('query', (q: { sql: string }) => statements.push(q.sql));
    const counts: number[] = [];
    const times: number[] = [];
    let example: string[] = [];
    for (const [i, id] of ids.entries()) {
      statements = [];
      const t = performance.now();
      await service.act(leitung, id, { type: 'approve', stepId: 'unit_head' }, undefined);
      times.push(performance.now() - t);
      counts.push(statements.length);
      if (i === Math.floor(N / 2)) example = statements;
    }
    database.db.removeAllListeners('query');

    // ---- the same over HTTP: the app as the server builds it, a signed-in unit head
    const config = loadConfig({
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      BASE_URL: 'http://127.0.0.1',
      DATABASE_URL: url.toString(),
      SESSION_SECRET: 'bench-approve-secret-bench-approve-secret-01',
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
    });
    const app = createApp(
      config,
      buildContainer({
        config,
        db: database.db,
        directory: createDirectory(demoDirectoryConfig(demo.url)),
        logger: createLogger('warn'),
        clock: () => new Date(),
      }),
    );
    const agent = request.agent(app);
    const signInForm = await agent.get('/anmelden');
    const signedIn = await agent
      .post('/anmelden')
      .type('form')
      .send({ username: 'leitung', password: 'demo', _csrf: csrfOf(signInForm.text) });
    if (signedIn.status !== 303) throw new Error(`sign-in failed: ${signedIn.status}`);
    const csrf = csrfOf((await agent.get('/intern/vertretung')).text);
    const httpCounts: number[] = [];
    const httpTimes: number[] = [];
    let httpExample: string[] = [];
    database.db.on('query', (q: { sql: string }) => statements.push(q.sql));
    for (const [i, id] of httpIds.entries()) {
      statements = [];
      const t = performance.now();
      const res = await agent
        .post(`/intern/antraege/${id}/entscheidung`)
        .type('form')
        .send({ _csrf: csrf, schritt: 'unit_head', entscheidung: 'approve', kommentar: 'Freigabeprobe' });
      // the session's touch is written after the response: let it finish before counting
      await new Promise((r) => setTimeout(r, 5));
      httpTimes.push(performance.now() - t);
      if (res.status !== 303) throw new Error(`approval of ${id} over HTTP: ${res.status}`);
      httpCounts.push(statements.length);
      if (i === Math.floor(N / 2)) httpExample = statements;
    }
    database.db.removeAllListeners('query');

    // the guarantees: one decision per approval, request and instance agree
    const all = [...ids, ...httpIds];
    const decided = await database.db('decisions').whereIn('request_id', all).where({ step_id: 'unit_head' });
    const mismatched = await database
      .db('requests as r')
      .join('workflow_instances as w', 'w.request_id', 'r.id')
      .whereIn('r.id', all)
      .whereRaw('r.status <> w.status')
      .count<{ n: number }[]>({ n: '*' });
    const history = await database.db('history').whereIn('request_id', all).where('action', 'like', 'workflow.%');
    const outbox = await database.db('outbox').whereIn('request_id', all);

    const sorted = [...times].sort((a, b) => a - b);
    const q = (p: number) => (sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN).toFixed(1);
    console.log(`\nStatements of one approval (request ${ids[Math.floor(N / 2)]}):`);
    example.forEach((s, i) => console.log(`${String(i + 1).padStart(3)}  ${s.replace(/\s+/g, ' ').slice(0, 150)}`));
    console.log(`\n${N} approvals, sequential, load average after: ${load()}`);
    console.log(`statements per approval: min ${Math.min(...counts)}, max ${Math.max(...counts)}`);
    console.log(`time per approval: median ${q(0.5)} ms, p90 ${q(0.9)} ms`);
    console.log(`\nStatements of one approval over HTTP (request ${httpIds[Math.floor(N / 2)]}):`);
    httpExample.forEach((s, i) => console.log(`${String(i + 1).padStart(3)}  ${s.replace(/\s+/g, ' ').slice(0, 150)}`));
    const httpSorted = [...httpTimes].sort((a, b) => a - b);
    const hq = (p: number) =>
      (httpSorted[Math.min(httpSorted.length - 1, Math.floor(p * httpSorted.length))] ?? NaN).toFixed(1);
    console.log(`\n${N} approvals over HTTP, sequential, load average after: ${load()}`);
    console.log(`statements per HTTP approval: min ${Math.min(...httpCounts)}, max ${Math.max(...httpCounts)}`);
    console.log(`time per HTTP approval: median ${hq(0.5)} ms, p90 ${hq(0.9)} ms`);
    console.log(
      `decision rows ${decided.length} for ${2 * N} approvals; requests whose status differs from their workflow: ${mismatched[0]?.n}; ` +
        `workflow history rows ${history.length}; outbox rows ${outbox.length}`,
    );
    if (decided.length !== 2 * N || Number(mismatched[0]?.n) !== 0) process.exitCode = 1;
  } finally {
    await database.close();
    await demo.close();
    await admin(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
