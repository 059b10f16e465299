import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoDirectoryConfig } from '../../src/config';
import { connectPostgres, migrateLatest, type Database } from '../../src/db/knex';
import { createDirectory } from '../../src/directory/directory';
import { startDemoDirectory, type DemoDirectory } from '../../src/directory/demo-server';
import { seedDemo } from '../../src/demo/seed';
import { createMailer, type Mailer } from '../../src/notifications/mailer';
import { deliverDue, expandRoleMails, BACKOFF_MINUTES } from '../../src/notifications/delivery';
import { createRoleResolver } from '../../src/people/roles';
import { TestSmtpServer, header } from '../notifications/smtp-server';
import { PgCluster } from './support';

/**
 * The mail relay is unreachable: messages stay in the outbox (pending, with backoff), and go
 * out when it is back — none lost, none sent twice — also when the relay dies in the middle
 * of a batch and when two instances deliver at the same time (separate connection pools on
 * one PostgreSQL).
 */

let cluster: PgCluster;
let database: Database;
let second: Database;
let demo: DemoDirectory;
const smtp = new TestSmtpServer();
const quiet = { info: () => undefined };

beforeAll(async () => {
  cluster = await PgCluster.create();
  const url = await cluster.createDatabase('smr_smtp');
  database = connectPostgres(url, 5);
  second = connectPostgres(url, 5);
  await migrateLatest(database.db);
  demo = await startDemoDirectory(0);
  const directory = createDirectory(demoDirectoryConfig(demo.url));
  await seedDemo(database.db, directory, () => new Date(), 'http://portal.test');
  // mails to a role become one mail per member of the directory group (the directory is up)
  await expandRoleMails(database.db, createRoleResolver(directory, {}), new Date(Date.now() + 60_000));
  await smtp.start(); // to learn a port; stopped again below
  await smtp.stop();
}, 180_000);

afterAll(async () => {
  await smtp.stop();
  await second?.close();
  await database?.close();
  await demo?.close();
  await cluster?.destroy();
}, 60_000);

const mailer = (): Mailer =>
  createMailer({ smtpUrl: `smtp://127.0.0.1:${smtp.port}`, from: 'Register <register@hannover-stadt.de>' }, quiet);
const key = (to: string, subject: string) => `${to.toLowerCase()}|${subject}`;
async function outboxKeys(status?: string) {
  const q = database.db('outbox').whereNull('recipient_role').select('recipient_email', 'subject');
  if (status) q.where({ status });
  return (await q).map((r) => key(r.recipient_email, r.subject)).sort();
}
const receivedKeys = () => smtp.received.map((m) => key(m.to[0] ?? '', header(m, 'Subject') ?? '')).sort();

describe('SMTP unreachable, then back', () => {
  let t = new Date();
  const later = (minutes: number) => (t = new Date(t.getTime() + minutes * 60_000));

  it('while the relay is down nothing is lost: every message stays pending and is scheduled again', async () => {
    t = new Date(Date.now() + 60_000);
    const pending = await outboxKeys('pending');
    expect(pending.length, 'seedDemo queued mails').toBeGreaterThan(5);
    const r1 = await deliverDue(database.db, mailer(), t);
    expect(r1).toEqual({ sent: 0, failed: 0, retried: pending.length });
    const rows = await database
      .db('outbox')
      .whereNull('recipient_role')
      .select('status', 'attempts', 'last_error', 'next_attempt_at');
    for (const row of rows) {
      expect(row.status).toBe('pending');
      expect(row.attempts).toBe(1);
      expect(row.last_error).toMatch(/ECONNREFUSED|connect/i);
      expect(new Date(row.next_attempt_at).getTime()).toBe(t.getTime() + BACKOFF_MINUTES[0] * 60_000);
    }
    // a second round before the backoff has passed touches nothing
    expect(await deliverDue(database.db, mailer(), new Date(t.getTime() + 30_000))).toEqual({
      sent: 0,
      failed: 0,
      retried: 0,
    });
    // still down at the next attempt: attempts 2, the next backoff
    expect((await deliverDue(database.db, mailer(), later(2))).retried).toBe(pending.length);
    expect(await outboxKeys('pending')).toEqual(pending);
  });

  it('the relay comes back and dies again in the middle of a batch: what went out is marked sent, the rest waits', async () => {
    await smtp.start();
    let sends = 0;
    const real = mailer();
    const dying: Mailer = {
      kind: 'smtp',
      send: async (mail) => {
        await real.send(mail);
        if (++sends === 3) await smtp.stop(); // the relay goes away right after the third message
      },
    };
    const r = await deliverDue(database.db, dying, later(10));
    expect(r.sent).toBe(3);
    expect(smtp.received).toHaveLength(3);
    expect((await outboxKeys('sent')).length).toBe(3);
    expect(r.retried).toBe((await outboxKeys('pending')).length);
  });

  it('back for good, two instances deliver at once: every message exactly once, none lost', async () => {
    await smtp.start();
    const when = later(60 * 24);
    const [a, b] = await Promise.all([deliverDue(database.db, mailer(), when), deliverDue(second.db, mailer(), when)]);
    expect(a.failed + b.failed).toBe(0);
    expect(await outboxKeys('pending')).toEqual([]);
    expect(receivedKeys()).toEqual(await outboxKeys());
    // later runs send nothing again
    expect(await deliverDue(database.db, mailer(), later(60 * 24))).toEqual({ sent: 0, failed: 0, retried: 0 });
    expect(await deliverDue(second.db, mailer(), later(60 * 24))).toEqual({ sent: 0, failed: 0, retried: 0 });
    expect(receivedKeys()).toEqual(await outboxKeys());
  });
});
