import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { demoDirectoryConfig } from '../../src/config';
import { connectPostgres, migrateLatest, type Database } from '../../src/db/knex';
import { createDirectory } from '../../src/directory/directory';
import { startDemoDirectory, type DemoDirectory } from '../../src/directory/demo-server';
import { seedDemo } from '../../src/demo/seed';
import { createRequestService } from '../../src/requests/service';
import { createNotifier } from '../../src/requests/notify';
import { createMailer } from '../../src/notifications/mailer';
import { outboxJob } from '../../src/notifications/delivery';
import { createRoleResolver } from '../../src/people/roles';
import { deadlineJob } from '../../src/jobs/deadlines';
import { createScheduler } from '../../src/jobs/scheduler';
import { rememberPerson } from '../../src/people/store';
import { TestSmtpServer, header } from '../notifications/smtp-server';
import { csrfFrom } from '../helpers/http';
import { PEOPLE, requestData, uniqueAccount } from '../security/data';
import { PgCluster, ServerProcess, freePort, serverEnv, signInAt, waitFor } from '../faults/support';

/**
 * Two app processes (node --import tsx src/server.ts, twice) on one PostgreSQL 15, no sticky
 * sessions — every step alternates between them: a person signed in on one is signed in on
 * the other; a decision on one shows on the other; the overview of both shows a new
 * publication at once; scheduled reminders go out once.
 *
 * Reminders are checked twice: with the two processes (their schedulers race at start-up on
 * the wall clock, with overdue steps prepared before they start), and in-process with two
 * schedulers on separate connection pools and a fake clock, over many periods — the child
 * processes' clocks cannot be moved, so repeated periods are only testable that way.
 */

let cluster: PgCluster;
let database: Database;
let demo: DemoDirectory;
const smtp = new TestSmtpServer();
let a: ServerProcess;
let b: ServerProcess;
let stepOne: number;
let readyToPublish: number;
let overdue: number[] = [];
const publishName = `Zwei Instanzen ${Date.now().toString(36)}`;

beforeAll(async () => {
  cluster = await PgCluster.create();
  const url = await cluster.createDatabase('smr_two');
  database = connectPostgres(url, 5);
  await migrateLatest(database.db);
  demo = await startDemoDirectory(0);
  await smtp.start();
  const directory = createDirectory(demoDirectoryConfig(demo.url));
  await seedDemo(database.db, directory, () => new Date(), 'http://portal.test');
  for (const uid of ['redaktion2', 'hannoverde']) {
    const p = await directory.findByUid(uid);
    if (p) await rememberPerson(database.db, p, new Date());
  }
  const service = createRequestService({
    db: database.db,
    directory,
    clock: () => new Date(),
    notify: createNotifier({ baseUrl: 'http://portal.test', directory }),
  });
  const submit = async (name: string) => {
    const data = requestData(name, uniqueAccount('two'));
    const id = await service.create(PEOPLE.redaktion!, data);
    const r = await service.submit(PEOPLE.redaktion!, id, data);
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    return id;
  };
  stepOne = await submit('Zwei Instanzen: Schritt 1');
  readyToPublish = await submit(publishName);
  await service.act(PEOPLE.leitung!, readyToPublish, { type: 'approve', stepId: 'unit_head' }, undefined);
  await service.act(PEOPLE.kommunikation!, readyToPublish, { type: 'approve', stepId: 'communications' }, undefined);
  await service.act(PEOPLE.datenschutz!, readyToPublish, { type: 'approve', stepId: 'data_protection' }, undefined);
  await service.confirmEditor(PEOPLE.redaktion!, readyToPublish);
  await service.confirmEditor(PEOPLE.redaktion2!, readyToPublish);
  // steps waiting for a month: reminders and escalations are due as soon as a scheduler looks
  for (let i = 0; i < 3; i++) overdue.push(await submit(`Überfällig ${i}`));
  const longAgo = new Date(Date.now() - 30 * 86_400_000).toISOString();
  for (const id of overdue) {
    const row = await database.db('workflow_instances').where({ request_id: id }).first('state');
    row.state.steps.unit_head.openedAt = longAgo;
    await database
      .db('workflow_instances')
      .where({ request_id: id })
      .update({ state: JSON.stringify(row.state) });
  }
  // every mail queued so far is delivered by the instances: the SMTP server receives them
  const [pa, pb] = [await freePort(), await freePort()];
  const env = (port: number) =>
    serverEnv({ databaseUrl: url, ldapUrl: demo.url, port, smtpUrl: `smtp://127.0.0.1:${smtp.port}` });
  a = new ServerProcess('A', env(pa));
  b = new ServerProcess('B', env(pb));
  await Promise.all([a.start(), b.start()]);
}, 300_000);

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await smtp.stop();
  await database?.close();
  await demo?.close();
  await cluster?.destroy();
}, 60_000);

describe('two app processes on one PostgreSQL, no sticky sessions', () => {
  it('signed in on A is signed in on B, with the same cookie; a form from A is accepted by B', async () => {
    const { cookie } = await signInAt(a.url, 'redaktion');
    const onB = await request(b.url).get('/intern').set('Cookie', cookie);
    expect(onB.status).toBe(200);
    expect(onB.text).toContain('Robin Schäfer');
    // the CSRF token lives in the shared session: a page from A, posted to B
    const page = await request(a.url).get('/intern/vertretung').set('Cookie', cookie);
    const res = await request(b.url)
      .post('/intern/vertretung')
      .set('Cookie', cookie)
      .type('form')
      .send({ vertretung: 'redaktion2', von: '2099-05-01', bis: '2099-05-02', _csrf: csrfFrom(page.text) });
    expect(res.status).toBe(303);
    // signed out on B, signed out on A
    const page2 = await request(b.url).get('/intern').set('Cookie', cookie);
    await request(b.url)
      .post('/abmelden')
      .set('Cookie', cookie)
      .type('form')
      .send({ _csrf: csrfFrom(page2.text) })
      .expect(303);
    expect((await request(a.url).get('/intern').set('Cookie', cookie)).status).toBe(302);
  });

  it('a decision on A shows on B at once', async () => {
    const { cookie } = await signInAt(b.url, 'leitung');
    const page = await request(a.url).get(`/intern/antraege/${stepOne}`).set('Cookie', cookie);
    expect(page.text).toContain('data-step="unit_head" data-state="open"');
    const res = await request(a.url)
      .post(`/intern/antraege/${stepOne}/entscheidung`)
      .set('Cookie', cookie)
      .type('form')
      .send({
        _csrf: csrfFrom(page.text),
        schritt: 'unit_head',
        entscheidung: 'approve',
        kommentar: 'auf A entschieden',
      });
    expect(res.status).toBe(303);
    const onB = await request(b.url).get(`/intern/antraege/${stepOne}`).set('Cookie', cookie);
    expect(onB.text).toContain('data-step="unit_head" data-state="approved"');
    expect(onB.text).toContain('auf A entschieden');
    // the task has left the head's list on both
    for (const s of [a, b])
      expect((await request(s.url).get('/intern').set('Cookie', cookie)).text).not.toContain(
        `data-request="${stepOne}" data-step="unit_head"`,
      );
  });

  it('a publication on B appears on the overview of both at once (their caches were warm)', async () => {
    for (const s of [a, b]) {
      const before = await request(s.url).get('/');
      expect(before.status).toBe(200);
      expect(before.text).not.toContain(publishName);
      await request(s.url).get('/angebote.json').expect(200);
    }
    const { cookie } = await signInAt(a.url, 'hannoverde');
    const page = await request(b.url).get(`/intern/antraege/${readyToPublish}`).set('Cookie', cookie);
    const res = await request(b.url)
      .post(`/intern/antraege/${readyToPublish}/entscheidung`)
      .set('Cookie', cookie)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), schritt: 'hannoverde', entscheidung: 'approve' });
    expect(res.status).toBe(303);
    for (const s of [a, b]) {
      const overview = await request(s.url).get('/');
      expect(overview.text, `overview of ${s.name}`).toContain(publishName);
      expect((await request(s.url).get('/angebote.json')).text, `JSON of ${s.name}`).toContain(publishName);
      expect((await request(s.url).get('/einbetten')).text).toContain(publishName);
    }
  });

  it('the reminders the two schedulers found at start-up went out once, each mail delivered once', async () => {
    const db = database.db;
    await waitFor(
      'both instances emptied the outbox',
      async () => Number((await db('outbox').where({ status: 'pending' }).count({ n: '*' }).first())?.n) === 0,
      90_000,
      500,
    );
    for (const id of overdue) {
      const reminders = await db('history')
        .where({ request_id: id, action: 'workflow.reminder_sent' })
        .count({ n: '*' })
        .first();
      const escalations = await db('history')
        .where({ request_id: id, action: 'workflow.escalated' })
        .count({ n: '*' })
        .first();
      expect(Number(reminders?.n), `reminder history of ${id}`).toBe(1);
      expect(Number(escalations?.n), `escalation history of ${id}`).toBe(1);
      // mails to a role count once delivery made them one mail per member of the group
      const mails = await db('outbox')
        .where({ request_id: id })
        .whereNull('recipient_role')
        .whereIn('template', ['reminder', 'escalation'])
        .select('template', 'recipient_uid');
      expect(mails.filter((m) => m.template === 'reminder').length, `reminder mails of ${id}`).toBe(1); // the unit head
      expect(
        mails.filter((m) => m.template === 'escalation').length,
        `escalation mails of ${id}`,
      ).toBeGreaterThanOrEqual(1);
      expect(new Set(mails.map((m) => `${m.template}:${m.recipient_uid}`)).size).toBe(mails.length);
    }
    const sent = (
      await db('outbox').where({ status: 'sent' }).whereNull('recipient_role').select('recipient_email', 'subject')
    )
      .map((r) => `${r.recipient_email}|${r.subject}`)
      .sort();
    await waitFor('the relay got every mail', async () => smtp.received.length >= sent.length, 10_000);
    const received = smtp.received.map((m) => `${m.to[0]}|${header(m, 'Subject')}`).sort();
    expect(received).toEqual(sent);
    // neither process logged an error
    expect([...a.errors(), ...b.errors()]).toEqual([]);
  }, 120_000);
});

describe('scheduled reminders with two schedulers on separate pools and a fake clock (in-process)', () => {
  it('over 16 daily periods each due reminder and escalation is made once and each mail delivered once; each period one scheduler runs each job', async () => {
    const url = await cluster.createDatabase('smr_two_sched');
    const one = connectPostgres(url, 3);
    const two = connectPostgres(url, 3);
    const relay = new TestSmtpServer();
    await relay.start();
    try {
      await migrateLatest(one.db);
      const directory = createDirectory(demoDirectoryConfig(demo.url));
      let now = new Date('2027-03-01T08:00:00Z'); // a Monday
      await seedDemo(one.db, directory, () => now, 'http://portal.test');
      const service = createRequestService({
        db: one.db,
        directory,
        clock: () => now,
        notify: createNotifier({ baseUrl: 'http://portal.test', directory }),
      });
      const ids: number[] = [];
      for (let i = 0; i < 4; i++) {
        const data = requestData(`Fristen ${i}`, uniqueAccount('sched'));
        const id = await service.create(PEOPLE.redaktion!, data);
        await service.submit(PEOPLE.redaktion!, id, data);
        ids.push(id);
      }
      const mailer = createMailer(
        { smtpUrl: `smtp://127.0.0.1:${relay.port}`, from: 'x@hannover-stadt.de' },
        { info: () => undefined },
      );
      const quiet = { error: (o: object, m: string) => console.error(m, o), debug: () => undefined };
      const roles = createRoleResolver(directory, {});
      const jobsOf = (db: Database) => [deadlineJob(db.db, 'http://portal.test'), outboxJob(db.db, mailer, { roles })];
      const s1 = createScheduler({
        db: one.db,
        logger: quiet,
        clock: () => now,
        holder: 'instance-1',
        jobs: jobsOf(one),
      });
      const s2 = createScheduler({
        db: two.db,
        logger: quiet,
        clock: () => now,
        holder: 'instance-2',
        jobs: jobsOf(two),
      });
      const runs: Record<string, number> = {};
      // 16 periods of 1 day (working days pass: reminder after 5, escalation after 10)
      for (let period = 0; period < 16; period++) {
        now = new Date(now.getTime() + 86_400_000);
        const [r1, r2] = await Promise.all([s1.runDue(), s2.runDue()]);
        for (const job of ['workflow-deadlines', 'outbox-delivery']) {
          const count = [...r1, ...r2].filter((j) => j === job).length;
          expect(count, `${job} in period ${period}`).toBeLessThanOrEqual(1);
          runs[job] = (runs[job] ?? 0) + count;
        }
      }
      expect(runs['workflow-deadlines']).toBe(16);
      for (const id of ids) {
        expect(
          Number(
            (
              await one
                .db('history')
                .where({ request_id: id, action: 'workflow.reminder_sent' })
                .count({ n: '*' })
                .first()
            )?.n,
          ),
          `reminder ${id}`,
        ).toBe(1);
        expect(
          Number(
            (await one.db('history').where({ request_id: id, action: 'workflow.escalated' }).count({ n: '*' }).first())
              ?.n,
          ),
          `escalation ${id}`,
        ).toBe(1);
      }
      expect(Number((await one.db('outbox').where({ status: 'pending' }).count({ n: '*' }).first())?.n)).toBe(0);
      const sent = (await one.db('outbox').whereNull('recipient_role').select('recipient_email', 'subject'))
        .map((r) => `${r.recipient_email}|${r.subject}`)
        .sort();
      expect(relay.received.map((m) => `${m.to[0]}|${header(m, 'Subject')}`).sort()).toEqual(sent);
      expect(sent.filter((s) => /Erinnerung|erinner/i.test(s)).length).toBeGreaterThanOrEqual(ids.length);
    } finally {
      await relay.stop();
      await one.close();
      await two.close();
    }
  }, 180_000);
});
