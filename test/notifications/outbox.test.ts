import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { backendName } from '../helpers/env';
import { enqueue, getOutboxMessage, isDeliverableAddress, listOutbox } from '../../src/notifications/outbox';
import { TemplateError } from '../../src/notifications/templates';
import { BASE_URL, secondInstance, stepWaiting } from './fixtures';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());
beforeEach(async () => {
  await database.db('outbox').del();
});

const count = async () => Number((await database.db('outbox').count({ n: '*' }).first())?.n);

describe(`enqueue (${backendName})`, () => {
  it('stores the rendered mail as pending, with its recipient and references', async () => {
    const now = new Date('2026-03-02T09:00:00Z');
    await database.db.transaction((trx) => enqueue(trx, stepWaiting(7, { presenceId: 3 }), now));
    const [row] = await database.db('outbox').select('*');
    expect(row).toMatchObject({
      recipient_uid: 'person7',
      recipient_email: 'person7@hannover-stadt.de',
      template: 'step_waiting',
      locale: 'de',
      request_id: 7,
      presence_id: 3,
      status: 'pending',
      attempts: 0,
      dedupe_key: null,
      sent_at: null,
      last_error: null,
    });
    expect(row.subject).toBe('Bitte entscheiden: Datenschutz – Instagram Stadtbibliothek 7');
    expect(row.body).toContain('Guten Tag Person 7,');
    expect(row.body).toContain(`${BASE_URL}/intern/antraege/7`);
    expect(row.created_at).toEqual(now);
    expect(row.next_attempt_at).toEqual(now);
  });

  it('renders in the recipient’s language', async () => {
    await enqueue(database.db, stepWaiting(1, { locale: 'en' }));
    const { items } = await listOutbox(database.db, { limit: 10, offset: 0 });
    expect(items[0]?.locale).toBe('en');
    expect(items[0]?.subject).toBe('Decision needed: Datenschutz – Instagram Stadtbibliothek 1');
  });

  it('leaves nothing behind when the caller’s transaction rolls back', async () => {
    await expect(
      database.db.transaction(async (trx) => {
        await enqueue(trx, stepWaiting(1));
        await enqueue(trx, stepWaiting(2, { dedupeKey: 'k' }));
        throw new Error('the decision failed');
      }),
    ).rejects.toThrow('the decision failed');
    expect(await count()).toBe(0);
  });

  it('fails the caller’s transaction on a missing parameter, so the decision does not commit without its mails', async () => {
    const broken = { ...stepWaiting(2), params: { requestTitle: 'X', url: `${BASE_URL}/x` } } as never;
    await expect(
      database.db.transaction(async (trx) => {
        await enqueue(trx, stepWaiting(1));
        await enqueue(trx, broken);
      }),
    ).rejects.toThrow(TemplateError);
    expect(await count()).toBe(0);
  });

  it('queues a message with a dedupe key only once', async () => {
    await enqueue(database.db, stepWaiting(1, { dedupeKey: 'reminder:1:ds:person1:1' }));
    await database.db.transaction(async (trx) => {
      await enqueue(trx, stepWaiting(1, { dedupeKey: 'reminder:1:ds:person1:1' }));
      await enqueue(trx, stepWaiting(1, { dedupeKey: 'reminder:1:ds:person1:2' }));
    });
    await enqueue(database.db, stepWaiting(1)); // no key: no deduplication
    expect(await count()).toBe(3);
    expect((await database.db('outbox').whereNotNull('dedupe_key').pluck('dedupe_key')).sort()).toEqual([
      'reminder:1:ds:person1:1',
      'reminder:1:ds:person1:2',
    ]);
  });

  it('keeps one message when two instances queue the same key at the same time', async () => {
    const other = secondInstance(database);
    try {
      const results = await Promise.allSettled(
        [database.db, other.db, database.db, other.db].map((db) =>
          db.transaction((trx) => enqueue(trx, stepWaiting(5, { dedupeKey: 'escalation:5:ds' }))),
        ),
      );
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled']);
      expect(await count()).toBe(1);
    } finally {
      await other.close();
    }
  });

  it.each([
    '',
    'kein-at-zeichen',
    'a@b',
    'zwei@hannover.de, drei@hannover.de',
    'x@hannover.de\r\nBcc: y@evil.example',
    'a b@hannover.de',
  ])('refuses the address %j', async (email) => {
    expect(isDeliverableAddress(email)).toBe(false);
    await expect(enqueue(database.db, stepWaiting(1, { to: { email } }))).rejects.toThrow('Not a deliverable');
    expect(await count()).toBe(0);
  });

  it('refuses an over-long dedupe key instead of failing in the database', async () => {
    await expect(enqueue(database.db, stepWaiting(1, { dedupeKey: 'x'.repeat(201) }))).rejects.toThrow('dedupeKey');
  });

  it('reads one message back', async () => {
    await enqueue(database.db, stepWaiting(9));
    const id = (await database.db('outbox').first('id')).id as number;
    expect(await getOutboxMessage(database.db, id)).toMatchObject({
      id,
      recipientEmail: 'person9@hannover-stadt.de',
      status: 'pending',
    });
    expect(await getOutboxMessage(database.db, id + 1000)).toBeUndefined();
  });
});
