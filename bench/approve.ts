/**
 * What one approval costs inside the request service (`npm run bench:approve`), not a test.
 *
 * On a scratch PostgreSQL database (created and dropped here) with the demo data, it prepares
 * requests waiting for the unit head through the real request service, then approves them one
 * after another with `service.act` (no HTTP) and counts, through knex's query event, every SQL
 * statement of each approval (BEGIN and COMMIT included). Prints the statements of one
 * approval in order, statements per approval, and the time per approval (median, p90).
 * Afterwards it checks that every approval left exactly one decision row and that the
 * request and its workflow instance agree.
 *
 * Options: --requests N (60), --postgres URL (admin URL, default postgres://postgres@127.0.0.1:5432/postgres).
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { demoDirectoryConfig } from '../src/config';
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
  const dbName = `bench_approve_${process.pid}`;
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
    for (let i = 0; i < N; i++) {
      const data = completeRequestData(`Freigabeprobe ${i}`, `freigabeprobe.${process.pid}.${i}`);
      const id = await service.create(redaktion, data);
      const r = await service.submit(redaktion, id, data);
      if (!r.ok) throw new Error(`request ${i} invalid: ${JSON.stringify(r.problems)}`);
      ids.push(id);
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

    // the guarantees: one decision per approval, request and instance agree
    const decided = await database.db('decisions').whereIn('request_id', ids).where({ step_id: 'unit_head' });
    const mismatched = await database
      .db('requests as r')
      .join('workflow_instances as w', 'w.request_id', 'r.id')
      .whereIn('r.id', ids)
      .whereRaw('r.status <> w.status')
      .count<{ n: number }[]>({ n: '*' });
    const history = await database.db('history').whereIn('request_id', ids).where('action', 'like', 'workflow.%');
    const outbox = await database.db('outbox').whereIn('request_id', ids);

    const sorted = [...times].sort((a, b) => a - b);
    const q = (p: number) => (sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN).toFixed(1);
    console.log(`\nStatements of one approval (request ${ids[Math.floor(N / 2)]}):`);
    example.forEach((s, i) => console.log(`${String(i + 1).padStart(3)}  ${s.replace(/\s+/g, ' ').slice(0, 150)}`));
    console.log(`\n${N} approvals, sequential, load average after: ${load()}`);
    console.log(`statements per approval: min ${Math.min(...counts)}, max ${Math.max(...counts)}`);
    console.log(`time per approval: median ${q(0.5)} ms, p90 ${q(0.9)} ms`);
    console.log(
      `decision rows ${decided.length} for ${N} approvals; requests whose status differs from their workflow: ${mismatched[0]?.n}; ` +
        `workflow history rows ${history.length}; outbox rows ${outbox.length}`,
    );
    if (decided.length !== N || Number(mismatched[0]?.n) !== 0) process.exitCode = 1;
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
