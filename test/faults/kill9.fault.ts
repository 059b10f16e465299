import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { demoDirectoryConfig } from '../../src/config';
import { connectPostgres, migrateLatest, type Database } from '../../src/db/knex';
import { createDirectory } from '../../src/directory/directory';
import { startDemoDirectory, type DemoDirectory } from '../../src/directory/demo-server';
import { seedDemo } from '../../src/demo/seed';
import { createRequestService } from '../../src/requests/service';
import { createNotifier } from '../../src/requests/notify';
import { PEOPLE, requestData, uniqueAccount } from '../security/data';
import { PgCluster, ServerProcess, freePort, serverEnv, signInAt, sleep, type HttpAgent } from './support';
import { consistencyProblems } from './consistency';

/**
 * `kill -9` of the real server (node --import tsx src/server.ts, against a throwaway
 * PostgreSQL 15 and a demo directory started here) in the middle of a burst of decisions from
 * three deciders — including the two parallel steps racing on the same requests. After a
 * restart every request is consistent, the history matches the decisions, no step was decided
 * twice, every acknowledged decision is there, and the rest can be decided.
 */

let cluster: PgCluster;
let database: Database;
let demo: DemoDirectory;
let url: string;
let port: number;
let server: ServerProcess | undefined;
const STEP1 = 40;
const STEP2 = 20;
const step1: number[] = [];
const step2: number[] = [];

beforeAll(async () => {
  cluster = await PgCluster.create();
  url = await cluster.createDatabase('smr_kill');
  database = connectPostgres(url, 5);
  await migrateLatest(database.db);
  demo = await startDemoDirectory(0);
  const directory = createDirectory(demoDirectoryConfig(demo.url));
  await seedDemo(database.db, directory, () => new Date(), 'http://portal.test');
  const service = createRequestService({
    db: database.db,
    directory,
    clock: () => new Date(),
    notify: createNotifier({ baseUrl: 'http://portal.test', directory }),
  });
  for (let i = 0; i < STEP1 + STEP2; i++) {
    const data = requestData(`Kill ${i}`, uniqueAccount('kill'));
    const id = await service.create(PEOPLE.redaktion!, data);
    const r = await service.submit(PEOPLE.redaktion!, id, data);
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    if (i < STEP1) step1.push(id);
    else {
      await service.act(PEOPLE.leitung!, id, { type: 'approve', stepId: 'unit_head' }, undefined);
      step2.push(id);
    }
  }
  port = await freePort();
}, 300_000);

afterAll(async () => {
  await server?.stop();
  await database?.close();
  await demo?.close();
  await cluster?.destroy();
}, 60_000);

const start = async () => {
  server = new ServerProcess('portal', serverEnv({ databaseUrl: url, ldapUrl: demo.url, port }));
  await server.start();
};

interface Job {
  who: 'leitung' | 'kommunikation' | 'datenschutz';
  id: number;
  step: string;
}

describe('kill -9 in the middle of a burst of decisions', () => {
  const agents = new Map<string, { agent: HttpAgent; csrf: string }>();
  const acknowledged: Job[] = [];
  const unanswered: Job[] = [];

  it('the real server starts and the deciders sign in', async () => {
    await start();
    for (const who of ['leitung', 'kommunikation', 'datenschutz'] as const)
      agents.set(who, await signInAt(server!.url, who));
    await request(server!.url).get('/readyz').expect(200);
  });

  it('SIGKILL after a third of the decisions were answered', async () => {
    const jobs: Job[] = [
      ...step1.map((id) => ({ who: 'leitung' as const, id, step: 'unit_head' })),
      // the parallel steps of one request race each other
      ...step2.flatMap((id) => [
        { who: 'kommunikation' as const, id, step: 'communications' },
        { who: 'datenschutz' as const, id, step: 'data_protection' },
      ]),
    ].sort((a, b) => ((a.id * 7919) % 101) - ((b.id * 7919) % 101));
    const total = jobs.length;
    let answered = 0;
    let killed: Promise<unknown> | undefined;
    const worker = async () => {
      for (let job = jobs.shift(); job; job = jobs.shift()) {
        const { agent, csrf } = agents.get(job.who)!;
        try {
          const res = await agent
            .post(`/intern/antraege/${job.id}/entscheidung`)
            .timeout({ response: 15_000, deadline: 20_000 })
            .type('form')
            .send({ _csrf: csrf, schritt: job.step, entscheidung: 'approve', kommentar: `kill9 ${job.id}` });
          expect(res.status, `${job.who} ${job.id}: ${res.text.slice(0, 200)}`).toBe(303);
          acknowledged.push(job);
          if (++answered === Math.floor(total / 3)) killed = server!.kill9();
        } catch (err) {
          if ((err as { status?: number }).status) throw err;
          unanswered.push(job); // connection reset or refused: the process is gone
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    await killed;
    expect(server!.child?.signalCode).toBe('SIGKILL');
    console.info(
      `[faults] kill -9: ${acknowledged.length} decisions answered before the kill, ${unanswered.length} unanswered`,
    );
    expect(acknowledged.length).toBeGreaterThanOrEqual(Math.floor(total / 3));
    expect(unanswered.length).toBeGreaterThan(0);
  }, 120_000);

  it('after a restart: every request consistent, history equals decisions, nothing decided twice, nothing acknowledged lost', async () => {
    await sleep(500);
    await start();
    const db = database.db;
    expect(await consistencyProblems(db, { requestIds: [...step1, ...step2] })).toEqual([]);
    for (const job of acknowledged) {
      const d = await db('decisions').where({ request_id: job.id, step_id: job.step, outcome: 'approved' }).first('id');
      expect(d, `acknowledged ${job.step} on ${job.id} lost`).toBeTruthy();
    }
    // the sessions survived the kill (they live in the database), so the deciders just go on
    for (const [who, { agent }] of agents) expect((await agent.get('/intern')).status, who).toBe(200);
  }, 120_000);

  it('the decisions that got no answer can be made now; the end state is complete and consistent', async () => {
    for (const job of unanswered) {
      const { agent, csrf } = agents.get(job.who)!;
      const res = await agent
        .post(`/intern/antraege/${job.id}/entscheidung`)
        .type('form')
        .send({ _csrf: csrf, schritt: job.step, entscheidung: 'approve' });
      // 409: it had been committed just before the kill (the answer was lost, not the decision)
      expect([303, 409], `${job.who} ${job.id}: ${res.status}`).toContain(res.status);
    }
    const db = database.db;
    expect(await consistencyProblems(db, { requestIds: [...step1, ...step2] })).toEqual([]);
    const approved = async (ids: number[], step: string) =>
      Number(
        (
          await db('decisions')
            .whereIn('request_id', ids)
            .where({ step_id: step, outcome: 'approved' })
            .count({ n: '*' })
            .first()
        )?.n,
      );
    expect(await approved(step1, 'unit_head')).toBe(STEP1);
    expect(await approved(step2, 'communications')).toBe(STEP2);
    expect(await approved(step2, 'data_protection')).toBe(STEP2);
    // both parallel steps approved → step 3 open for every one of them
    for (const id of step2) {
      const state = (await db('workflow_instances').where({ request_id: id }).first('state')).state;
      expect(state.steps.hannoverde.state, `request ${id}`).toMatch(/^(open|waiting)$/);
      expect(state.steps.communications.state).toBe('approved');
      expect(state.steps.data_protection.state).toBe('approved');
    }
    expect(server!.errors().filter((l) => !l.includes('"statusCode":409'))).toEqual([]);
  }, 120_000);
});
