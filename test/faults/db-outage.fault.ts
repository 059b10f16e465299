import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { loadConfig, demoDirectoryConfig } from '../../src/config';
import { createApp } from '../../src/app';
import { buildContainer } from '../../src/container';
import { connectPostgres, migrateLatest, type Database } from '../../src/db/knex';
import { createDirectory } from '../../src/directory/directory';
import { startDemoDirectory, type DemoDirectory } from '../../src/directory/demo-server';
import { createLogger } from '../../src/web/logging';
import { seedDemo } from '../../src/demo/seed';
import { createRequestService } from '../../src/requests/service';
import { createNotifier } from '../../src/requests/notify';
import { TEST_ENV } from '../helpers/app';
import { PEOPLE, requestData, uniqueAccount } from '../security/context';
import { PgCluster, ServerProcess, freePort, serverEnv, signInAt, sleep, waitFor, type HttpAgent } from './support';
import { consistencyProblems } from './consistency';

/**
 * PostgreSQL goes away while the portal serves (a real PostgreSQL 15 cluster, stopped with
 * pg_ctl), in the middle of a burst of decisions: public and internal pages answer a friendly
 * German 503 with Retry-After, /readyz says 503, nothing half-written remains, and when the
 * database is back the same app process recovers on its own.
 */

let cluster: PgCluster;
let database: Database;
let demo: DemoDirectory;
let server: http.Server;
let base: string;
const N = 30;
let ids: number[] = [];
let slug: string;

beforeAll(async () => {
  cluster = await PgCluster.create();
  const url = await cluster.createDatabase('smr_outage');
  demo = await startDemoDirectory(0);
  const directory = createDirectory(demoDirectoryConfig(demo.url));
  database = connectPostgres(url, 5, createLogger('silent'));
  await migrateLatest(database.db);
  await seedDemo(database.db, directory, () => new Date(), 'http://portal.test');
  const service = createRequestService({
    db: database.db,
    directory,
    clock: () => new Date(),
    notify: createNotifier({ baseUrl: 'http://portal.test', directory }),
  });
  for (let i = 0; i < N; i++) {
    const data = requestData(`Ausfall ${i}`, uniqueAccount('outage'));
    const id = await service.create(PEOPLE.redaktion!, data);
    const r = await service.submit(PEOPLE.redaktion!, id, data);
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    ids.push(id);
  }
  slug = (await database.db('presences').where({ status: 'active' }).first('slug')).slug;
  const config = loadConfig({ ...TEST_ENV, DATABASE_URL: url });
  const app = createApp(
    config,
    buildContainer({
      config,
      db: database.db,
      directory,
      logger: createLogger(process.env.FAULT_LOG ?? 'silent'),
      clock: () => new Date(),
    }),
  );
  server = http.createServer(app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 180_000);

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
  await database?.close().catch(() => undefined);
  await demo?.close();
  await cluster?.destroy();
}, 60_000);

type Res = { status: number; text: string; headers: Record<string, string> };
function friendly503(res: Res, what: string, lang = what.includes('/en') ? 'en' : 'de') {
  expect(res.status, `${what}: ${res.text?.slice(0, 200)}`).toBe(503);
  expect(res.headers['retry-after'], what).toBeTruthy();
  expect(res.text).not.toMatch(/\n\s+at .+:\d+:\d+|ECONNREFUSED|knex|node_modules|Connection terminated/);
  if (/html/.test(res.headers['content-type'] ?? '')) {
    expect(res.text).toContain(`<html lang="${lang}"`);
    expect(res.text).toContain(lang === 'de' ? 'vorübergehend nicht verfügbar' : 'temporarily unavailable');
  }
}

describe('PostgreSQL stops while the portal serves', () => {
  let head: HttpAgent;
  let headCsrf: string;
  let editor: HttpAgent;
  const outcomes = new Map<number, number>();

  it('serves normally first', async () => {
    ({ agent: head, csrf: headCsrf } = await signInAt(base, 'leitung'));
    ({ agent: editor } = await signInAt(base, 'redaktion'));
    await request(base).get('/').expect(200);
    await request(base).get('/readyz').expect(200);
  });

  it('a burst of decisions is cut by a crash of the database (pg_ctl stop -m immediate); every answer is a decision or a friendly 503', async () => {
    const queue = [...ids];
    let done = 0;
    let stopping: Promise<void> | undefined;
    const hung: number[] = [];
    const worker = async () => {
      for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
        const started = Date.now();
        let res: Res;
        try {
          res = await head
            .post(`/intern/antraege/${id}/entscheidung`)
            .timeout({ response: 20_000, deadline: 25_000 })
            .type('form')
            .send({
              _csrf: headCsrf,
              schritt: 'unit_head',
              entscheidung: 'approve',
              kommentar: `Burst ${id}`,
            });
        } catch {
          // no answer within 20 s: the request hangs (recorded, asserted below)
          hung.push(id);
          outcomes.set(id, 0);
          continue;
        }
        outcomes.set(id, res.status);
        expect([303, 503], `decision on ${id}: ${res.status} ${res.text.slice(0, 300)}`).toContain(res.status);
        if (res.status === 503) friendly503(res, `decision on ${id}`);
        expect(Date.now() - started, 'no request hangs').toBeLessThan(15_000);
        if (++done === 8) stopping = cluster.stop('immediate');
      }
    };
    await Promise.all(Array.from({ length: 6 }, worker));
    await stopping;
    const counts = [...outcomes.values()].reduce(
      (m, s) => ({ ...m, [s]: (m[s] ?? 0) + 1 }),
      {} as Record<number, number>,
    );
    console.info(`[faults] decisions during the crash (0 = no answer in 20 s): ${JSON.stringify(counts)}`);
    expect(hung, 'requests that never got an answer').toEqual([]);
    expect(counts[303] ?? 0).toBeGreaterThanOrEqual(8);
    expect(counts[503] ?? 0, 'some decisions met the dead database').toBeGreaterThan(0);
  }, 120_000);

  it('while it is down: public and internal pages answer a friendly German 503 with Retry-After; /readyz 503, /healthz 200', async () => {
    for (const url of [
      '/',
      '/?q=museum',
      `/angebote/${slug}`,
      '/pruefen?url=https%3A%2F%2Fwww.facebook.com%2Fhannover.de',
      '/einbetten',
      '/en/',
    ]) {
      friendly503(await request(base).get(url), `public ${url}`);
    }
    const json = (await request(base).get('/angebote.json')) as unknown as Res;
    expect(json.status).toBe(503);
    expect(JSON.parse(json.text).error.status).toBe(503);
    for (const url of ['/intern', '/intern/antraege', `/intern/antraege/${ids[0]}`]) {
      friendly503(await editor.get(url), `internal ${url}`);
    }
    const decision = (await head
      .post(`/intern/antraege/${ids[0]}/entscheidung`)
      .type('form')
      .send({ _csrf: headCsrf, schritt: 'unit_head', entscheidung: 'approve' })) as unknown as Res;
    friendly503(decision, 'a decision');
    const ready = await request(base).get('/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body).toEqual({ status: 'unavailable', database: 'unreachable' });
    await request(base).get('/healthz').expect(200);
    // static assets need no database
    await request(base).get('/assets/app.js').expect(200);
  }, 120_000);

  it('while it is down: the sign-in page says 503 instead of offering a form whose CSRF token could not be stored', async () => {
    const page = (await request(base).get('/anmelden').timeout({ deadline: 20_000 })) as unknown as Res;
    friendly503(page, 'sign-in page');
  });

  it('started again, the same process recovers without a restart; sessions survive', async () => {
    await cluster.start();
    await waitFor('readyz 200', async () => (await request(base).get('/readyz')).status === 200, 30_000);
    // a few requests in a row, all fine (stale pool connections are replaced, not reused)
    for (let i = 0; i < 5; i++) {
      await request(base).get('/').expect(200);
      await request(base).get(`/angebote/${slug}`).expect(200);
    }
    await waitFor('signed-in page', async () => (await editor.get('/intern')).status === 200, 20_000);
    expect((await head.get('/intern')).status).toBe(200);
  }, 120_000);

  it('nothing is half-written: each decision happened fully or not at all, acknowledged ones are durable; the rest can be made now', async () => {
    const db = database.db;
    expect(await consistencyProblems(db)).toEqual([]);
    for (const id of ids) {
      const approved = Boolean(
        await db('decisions').where({ request_id: id, step_id: 'unit_head', outcome: 'approved' }).first('id'),
      );
      const hist = Number(
        (await db('history').where({ request_id: id, action: 'workflow.approved' }).count({ n: '*' }).first())?.n,
      );
      // the decision queues the next steps' mails to their roles (delivery expands them later)
      const mails = Number(
        (
          await db('outbox')
            .where({ request_id: id, template: 'step_waiting' })
            .whereIn('recipient_role', ['communications', 'data_protection'])
            .count({ n: '*' })
            .first()
        )?.n,
      );
      const state = (await db('workflow_instances').where({ request_id: id }).first('state')).state.steps.unit_head
        .state;
      if (outcomes.get(id) === 303) expect(approved, `acknowledged decision on ${id} lost`).toBe(true);
      // all four effects together, or none of them
      expect({ id, approved, hist: hist > 0, mails: mails === 2, state: state === 'approved' }).toEqual({
        id,
        approved,
        hist: approved,
        mails: approved,
        state: approved,
      });
    }
    // the ones that met the dead database: deciding again works (or says it was already decided)
    for (const id of ids.filter((i) => outcomes.get(i) !== 303)) {
      const res = await head
        .post(`/intern/antraege/${id}/entscheidung`)
        .type('form')
        .send({ _csrf: headCsrf, schritt: 'unit_head', entscheidung: 'approve' });
      expect([303, 409], `${id}: ${res.status}`).toContain(res.status);
    }
    for (const id of ids) expect((await db('requests').where({ id }).first('status')).status).toBe('in_review');
    expect(await consistencyProblems(db)).toEqual([]);
    const approvedNow = Number(
      (await db('decisions').whereIn('request_id', ids).where({ step_id: 'unit_head' }).count({ n: '*' }).first())?.n,
    );
    expect(approvedNow).toBe(N);
  }, 120_000);

  it('a clean stop (pg_ctl stop -m fast) and start again: same picture', async () => {
    await cluster.stop('fast');
    friendly503(await request(base).get('/'), 'public after a clean stop');
    friendly503(await editor.get('/intern'), 'internal after a clean stop');
    await cluster.start();
    await waitFor('public page back', async () => (await request(base).get('/')).status === 200, 30_000);
    expect((await editor.get('/intern')).status).toBe(200);
  }, 120_000);
});

describe('the real server process (node src/server.ts) through a database outage', () => {
  let srv: ServerProcess | undefined;
  afterAll(async () => {
    await srv?.stop();
  });

  it('stays alive while PostgreSQL is down, answers 503, and serves again when it is back — without a restart', async () => {
    if (!cluster.running()) await cluster.start();
    const url = await cluster.createDatabase('smr_outage_process');
    srv = new ServerProcess('portal', serverEnv({ databaseUrl: url, ldapUrl: demo.url, port: await freePort() }));
    await srv.start();
    const { agent } = await signInAt(srv.url, 'redaktion');
    await request(srv.url).get('/').expect(200);

    await cluster.stop('fast');
    const answers: Record<string, number | string> = {};
    for (const [who, path] of [
      ['anonymous', '/'],
      ['anonymous', '/readyz'],
      ['anonymous', '/anmelden'],
      ['redaktion', '/intern'],
      ['redaktion', '/intern/antraege'],
    ] as const) {
      const client = who === 'anonymous' ? request(srv.url) : agent;
      try {
        answers[`${who} ${path}`] = (await client.get(path).timeout({ response: 20_000, deadline: 25_000 })).status;
      } catch (err) {
        answers[`${who} ${path}`] = `no answer (${(err as Error).message})`;
      }
    }
    await sleep(1000);
    const alive = srv.child?.exitCode === null && srv.child?.signalCode === null;
    const crash = alive
      ? ''
      : srv.lines
          .filter((l) => !l.startsWith('{'))
          .slice(-12)
          .join('\n');
    await cluster.start();
    expect({ alive, crash }).toEqual({ alive: true, crash: '' });
    expect(answers).toEqual({
      'anonymous /': 503,
      'anonymous /readyz': 503,
      'anonymous /anmelden': 503,
      'redaktion /intern': 503,
      'redaktion /intern/antraege': 503,
    });
    await waitFor(
      'the same process serves again',
      async () => (await request(srv!.url).get('/')).status === 200,
      30_000,
    );
    expect((await agent.get('/intern')).status).toBe(200);
  }, 180_000);
});
