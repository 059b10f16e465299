import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { backendName } from '../helpers/env';
import { enqueue, retryMessage, type OutgoingMessage, type Recipient } from '../../src/notifications/outbox';
import type { RoleResolver } from '../../src/people/roles';
import { BACKOFF_MINUTES, CLAIM_MS, deliverDue } from '../../src/notifications/delivery';
import { createMailer, type Mail, type Mailer } from '../../src/notifications/mailer';
import { FakeMailer, minutes, plus, secondInstance, stepWaiting } from './fixtures';

let database: TestDatabase;
const T0 = new Date('2026-03-02T08:00:00Z');

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());
beforeEach(async () => {
  await database.db('outbox').del();
});

async function queue(n: number, now = T0) {
  for (let i = 1; i <= n; i++) await enqueue(database.db, stepWaiting(i), now);
}
const rows = () => database.db('outbox').orderBy('id').select('*');

describe(`outbox delivery (${backendName})`, () => {
  it('sends due messages and marks them sent', async () => {
    await queue(3);
    const mailer = new FakeMailer();
    expect(await deliverDue(database.db, mailer, T0)).toEqual({ sent: 3, failed: 0, retried: 0 });
    expect(mailer.sent.map((m) => m.to)).toEqual([
      'person1@hannover-stadt.de',
      'person2@hannover-stadt.de',
      'person3@hannover-stadt.de',
    ]);
    expect(mailer.sent[0]?.subject).toBe('Bitte entscheiden: Datenschutz – Instagram Stadtbibliothek 1');
    expect(mailer.sent[0]?.text).toContain('http://portal.test/intern/antraege/1');
    for (const row of await rows())
      expect(row).toMatchObject({ status: 'sent', attempts: 1, sent_at: T0, last_error: null });
    // nothing is sent twice
    expect(await deliverDue(database.db, mailer, plus(T0, minutes(60)))).toEqual({ sent: 0, failed: 0, retried: 0 });
    expect(mailer.sent).toHaveLength(3);
  });

  it('leaves messages that are not due yet, and respects the batch size', async () => {
    await enqueue(database.db, stepWaiting(1), plus(T0, minutes(5)));
    await queue(3);
    const mailer = new FakeMailer();
    expect(await deliverDue(database.db, mailer, T0, { batchSize: 2 })).toEqual({ sent: 2, failed: 0, retried: 0 });
    expect(await deliverDue(database.db, mailer, T0, { batchSize: 2 })).toEqual({ sent: 1, failed: 0, retried: 0 });
    expect(await deliverDue(database.db, mailer, T0, { batchSize: 2 })).toEqual({ sent: 0, failed: 0, retried: 0 });
    expect(await deliverDue(database.db, mailer, plus(T0, minutes(5)))).toEqual({ sent: 1, failed: 0, retried: 0 });
    expect(mailer.sent).toHaveLength(4);
  });

  it('keeps a message pending when the relay fails, retries after the backoff and sends it exactly once', async () => {
    await queue(1);
    const mailer = new FakeMailer();
    mailer.fail = new Error('connect ECONNREFUSED 127.0.0.1:25');
    expect(await deliverDue(database.db, mailer, T0)).toEqual({ sent: 0, failed: 0, retried: 1 });
    let [row] = await rows();
    expect(row).toMatchObject({
      status: 'pending',
      attempts: 1,
      last_error: 'connect ECONNREFUSED 127.0.0.1:25',
      sent_at: null,
    });
    expect(row.next_attempt_at).toEqual(plus(T0, minutes(1)));

    mailer.fail = undefined;
    // not before the backoff has passed
    expect(await deliverDue(database.db, mailer, plus(T0, 59_000))).toEqual({ sent: 0, failed: 0, retried: 0 });
    expect(await deliverDue(database.db, mailer, plus(T0, minutes(1)))).toEqual({ sent: 1, failed: 0, retried: 0 });
    [row] = await rows();
    expect(row).toMatchObject({ status: 'sent', attempts: 2, last_error: null });
    expect(await deliverDue(database.db, mailer, plus(T0, minutes(120)))).toEqual({ sent: 0, failed: 0, retried: 0 });
    expect(mailer.sent).toHaveLength(1);
  });

  it('backs off 1, 5, 15, 60 … minutes, gives up after maxAttempts, and an administrator’s retry sends it', async () => {
    await queue(1);
    const mailer = new FakeMailer();
    mailer.fail = new Error('451 try again later');
    let now = T0;
    const delays: number[] = [];
    for (let attempt = 1; attempt <= 7; attempt++) {
      expect(await deliverDue(database.db, mailer, now)).toEqual({ sent: 0, failed: 0, retried: 1 });
      const [row] = await rows();
      expect(row.attempts).toBe(attempt);
      delays.push((row.next_attempt_at.getTime() - now.getTime()) / 60_000);
      now = row.next_attempt_at;
    }
    expect(delays).toEqual([...BACKOFF_MINUTES]);
    expect(delays.slice(0, 4)).toEqual([1, 5, 15, 60]);
    // the 8th failure is the last one
    expect(await deliverDue(database.db, mailer, now)).toEqual({ sent: 0, failed: 1, retried: 0 });
    let [row] = await rows();
    expect(row).toMatchObject({ status: 'failed', attempts: 8, last_error: '451 try again later' });
    expect(await deliverDue(database.db, mailer, plus(now, minutes(24 * 60)))).toEqual({
      sent: 0,
      failed: 0,
      retried: 0,
    });

    const later = plus(now, minutes(30));
    expect(await retryMessage(database.db, row.id, later)).toBe('retried');
    [row] = await rows();
    expect(row).toMatchObject({ status: 'pending', attempts: 0 });
    expect(row.next_attempt_at).toEqual(later);
    expect(await retryMessage(database.db, row.id, later)).toBe('not_failed');
    expect(await retryMessage(database.db, row.id + 1000, later)).toBe('not_found');

    mailer.fail = undefined;
    expect(await deliverDue(database.db, mailer, later)).toEqual({ sent: 1, failed: 0, retried: 0 });
    expect(mailer.sent).toHaveLength(1);
  });

  it('honours a smaller maxAttempts', async () => {
    await queue(1);
    const mailer = new FakeMailer();
    mailer.fail = new Error('down');
    expect(await deliverDue(database.db, mailer, T0, { maxAttempts: 2 })).toEqual({ sent: 0, failed: 0, retried: 1 });
    expect(await deliverDue(database.db, mailer, plus(T0, minutes(1)), { maxAttempts: 2 })).toEqual({
      sent: 0,
      failed: 1,
      retried: 0,
    });
    expect((await rows())[0]).toMatchObject({ status: 'failed', attempts: 2 });
  });

  it('never sends a claimed message twice, and loses none when an instance dies mid-send', async () => {
    await queue(2);
    // instance A claims both, sends the first and hangs on the second (a dead relay connection, a crash…)
    let release: (err: Error) => void = () => undefined;
    const hanging: Mailer = {
      kind: 'smtp',
      send: (mail: Mail) =>
        mail.to.startsWith('person2') ? new Promise<void>((_resolve, reject) => (release = reject)) : Promise.resolve(),
    };
    const runA = deliverDue(database.db, hanging, T0);
    await expect.poll(async () => (await rows()).map((r) => r.status)).toEqual(['sent', 'pending']);

    // instance B, same moment and later within the claim: nothing to send
    const b = new FakeMailer();
    expect(await deliverDue(database.db, b, T0)).toEqual({ sent: 0, failed: 0, retried: 0 });
    expect(await deliverDue(database.db, b, plus(T0, CLAIM_MS - 1000))).toEqual({ sent: 0, failed: 0, retried: 0 });
    // the claim has expired: B takes the message over and sends it
    expect(await deliverDue(database.db, b, plus(T0, CLAIM_MS))).toEqual({ sent: 1, failed: 0, retried: 0 });
    expect(b.sent.map((m) => m.to)).toEqual(['person2@hannover-stadt.de']);

    // A's late failure must not turn the sent message back into a pending one
    release(new Error('socket timeout'));
    expect(await runA).toEqual({ sent: 1, failed: 0, retried: 0 });
    expect((await rows()).map((r) => r.status)).toEqual(['sent', 'sent']);
  });

  it('hands unsent messages back when a slow relay uses up half of the claim', async () => {
    await queue(3);
    const slow = new FakeMailer();
    slow.delayMs = 60;
    // a claim of 100 ms: after the first (60 ms) send, the other two go back, uncounted
    expect(await deliverDue(database.db, slow, T0, { claimMs: 100 })).toEqual({ sent: 1, failed: 0, retried: 0 });
    const [first, ...rest] = await rows();
    expect(first).toMatchObject({ status: 'sent', attempts: 1 });
    for (const row of rest) {
      expect(row).toMatchObject({ status: 'pending', attempts: 0 });
      expect(row.next_attempt_at).toEqual(T0);
    }
    expect(await deliverDue(database.db, new FakeMailer(), T0)).toEqual({ sent: 2, failed: 0, retried: 0 });
  });

  it('sends each message exactly once when two instances deliver at the same time', async () => {
    await queue(60);
    const other = secondInstance(database);
    try {
      // three delivery loops per instance, all at once, small batches: as much contention as possible
      const mailers = Array.from({ length: 6 }, () => new FakeMailer());
      const drain = async (db: typeof database.db, mailer: FakeMailer) => {
        for (;;) if ((await deliverDue(db, mailer, T0, { batchSize: 3 })).sent === 0) return;
      };
      await Promise.all(mailers.map((m, i) => drain(i % 2 ? other.db : database.db, m)));
      const all = mailers.flatMap((m) => m.sent.map((s) => s.to));
      expect(all).toHaveLength(60);
      expect(new Set(all).size).toBe(60);
      expect((await rows()).every((r) => r.status === 'sent' && r.attempts === 1)).toBe(true);
    } finally {
      await other.close();
    }
  });
});

describe(`mails to a role (${backendName})`, () => {
  const toRole = (n: number) => ({ ...stepWaiting(n), to: { role: 'data_protection' } }) as OutgoingMessage;
  const members = (n: number): Recipient[] =>
    Array.from({ length: n }, (_, i) => ({ uid: `m${i}`, email: `member${i}@hannover-stadt.de`, name: `Member ${i}` }));
  const resolver = (list: () => Recipient[] | Promise<Recipient[]>): RoleResolver => ({
    recipients: async () => list(),
  });

  it('wait without a resolver, become one mail per member with one, each greeted by name', async () => {
    await enqueue(database.db, toRole(1), T0);
    const mailer = new FakeMailer();
    expect(await deliverDue(database.db, mailer, T0)).toEqual({ sent: 0, failed: 0, retried: 0 });
    expect((await rows())[0]).toMatchObject({
      status: 'pending',
      attempts: 0,
      recipient_role: 'data_protection',
      recipient_email: null,
    });
    expect(await deliverDue(database.db, mailer, T0, { roles: resolver(() => members(2)) })).toEqual({
      sent: 2,
      failed: 0,
      retried: 0,
    });
    expect(mailer.sent.map((m) => m.to)).toEqual(['member0@hannover-stadt.de', 'member1@hannover-stadt.de']);
    expect(mailer.sent[1]?.text).toContain('Member 1');
    expect((await rows()).map((r) => [r.recipient_role, r.recipient_uid, r.status])).toEqual([
      ['data_protection', null, 'sent'],
      [null, 'm0', 'sent'],
      [null, 'm1', 'sent'],
    ]);
  });

  it('give up after maxAttempts like any mail, and go out once an administrator retries', async () => {
    await enqueue(database.db, toRole(2), T0);
    const mailer = new FakeMailer();
    const down = resolver(() => Promise.reject(new Error('The directory cannot be reached')));
    expect(await deliverDue(database.db, mailer, T0, { roles: down, maxAttempts: 2 })).toEqual({
      sent: 0,
      failed: 0,
      retried: 1,
    });
    expect(await deliverDue(database.db, mailer, plus(T0, minutes(1)), { roles: down, maxAttempts: 2 })).toEqual({
      sent: 0,
      failed: 1,
      retried: 0,
    });
    const [entry] = await rows();
    expect(entry).toMatchObject({ status: 'failed', attempts: 2, last_error: 'The directory cannot be reached' });
    expect(await retryMessage(database.db, entry.id, plus(T0, minutes(2)))).toBe('retried');
    expect(await deliverDue(database.db, mailer, plus(T0, minutes(2)), { roles: resolver(() => members(1)) })).toEqual({
      sent: 1,
      failed: 0,
      retried: 0,
    });
    expect(mailer.sent).toHaveLength(1);
  });

  it('are expanded once when two instances deliver at the same time: each member gets one mail', async () => {
    for (let n = 1; n <= 10; n++) await enqueue(database.db, toRole(n), T0);
    const other = secondInstance(database);
    try {
      const mailers = Array.from({ length: 4 }, () => new FakeMailer());
      const roles = resolver(() => members(3));
      const drain = async (db: typeof database.db, mailer: FakeMailer) => {
        for (;;) if ((await deliverDue(db, mailer, T0, { batchSize: 2, roles })).sent === 0) return;
      };
      await Promise.all(mailers.map((m, i) => drain(i % 2 ? other.db : database.db, m)));
      const all = mailers.flatMap((m) => m.sent.map((s) => `${s.to}|${s.subject}`));
      expect(all).toHaveLength(30);
      expect(new Set(all).size).toBe(30);
      expect((await rows()).every((r) => r.status === 'sent')).toBe(true);
    } finally {
      await other.close();
    }
  });
});

describe('the log mailer', () => {
  it('is used without SMTP_URL and logs recipient and subject, never the body', async () => {
    const lines: Array<{ obj: object; msg: string }> = [];
    const mailer = createMailer(
      { smtpUrl: undefined, from: 'x@y.de' },
      { info: (obj, msg) => lines.push({ obj, msg }) },
    );
    expect(mailer.kind).toBe('log');
    await mailer.send({ to: 'a@hannover-stadt.de', subject: 'Betreff', text: 'geheimer Text' });
    expect(lines).toHaveLength(1);
    expect(lines[0]?.obj).toEqual({ to: 'a@hannover-stadt.de', subject: 'Betreff' });
    expect(JSON.stringify(lines)).not.toContain('geheimer Text');
  });

  it('is an SMTP mailer with SMTP_URL', () => {
    expect(createMailer({ smtpUrl: 'smtp://127.0.0.1:2525', from: 'x@y.de' }, { info: () => undefined }).kind).toBe(
      'smtp',
    );
  });
});
