import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Knex } from 'knex';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { backendName } from '../helpers/env';
import { createScheduler } from '../../src/jobs/scheduler';
import { maintenanceJob } from '../../src/jobs/maintenance';
import { loadConfig } from '../../src/config';
import { secondInstance } from '../notifications/fixtures';

/**
 * The maintenance job deletes expired sessions, expired rate-limit windows, used or stale
 * upload tokens and delivered mails older than OUTBOX_KEEP_DAYS — and nothing else; it runs
 * once across instances and logs the counts.
 */

let database: TestDatabase;
let other: { db: Knex; close(): Promise<void> };
beforeAll(async () => {
  database = await createTestDatabase();
  other = secondInstance(database);
});
afterAll(async () => {
  await other.close();
  await database.close();
});

const NOW = new Date('2026-03-02T08:00:00Z');
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const at = (ms: number) => new Date(NOW.getTime() + ms);

async function seed(db: Knex) {
  await db('sessions').insert([
    { sid: 'expired-1', sess: JSON.stringify({ cookie: {} }), expired: at(-MINUTE) },
    { sid: 'expired-2', sess: JSON.stringify({ cookie: {} }), expired: at(-3 * DAY) },
    { sid: 'alive', sess: JSON.stringify({ cookie: {} }), expired: at(5 * MINUTE) },
  ]);
  await db('rate_limits').insert([
    { key: 'signin:account:old', hits: 3, reset_at: at(-MINUTE) },
    { key: 'signin:account:current', hits: 3, reset_at: at(10 * MINUTE) },
  ]);
  const upload = (token: string, createdAt: Date, consumedAt: Date | null) => ({
    token: token.padEnd(24, 'x'),
    kind: 'presences',
    created_by: 'admin',
    created_at: createdAt,
    content: 'a;b',
    row_count: 1,
    consumed_at: consumedAt,
  });
  await db('admin_uploads').insert([
    upload('stale', at(-DAY - MINUTE), null), // can no longer be confirmed
    upload('usedlongago', at(-5 * 60 * MINUTE), at(-2 * 60 * MINUTE)),
    upload('waiting', at(-2 * 60 * MINUTE), null), // still good for the rest of the day
    upload('justused', at(-20 * MINUTE), at(-10 * MINUTE)), // its result page is still shown
  ]);
  const mail = (subject: string, status: string, sentAt: Date | null, createdAt: Date) => ({
    recipient_email: 'a@example.org',
    template: 'test',
    subject,
    body: 'text',
    status,
    sent_at: sentAt,
    created_at: createdAt,
  });
  await db('outbox').insert([
    mail('sent-old', 'sent', at(-31 * DAY), at(-31 * DAY)),
    mail('sent-recent', 'sent', at(-29 * DAY), at(-29 * DAY)),
    mail('pending-old', 'pending', null, at(-60 * DAY)),
    mail('failed-old', 'failed', null, at(-60 * DAY)),
  ]);
}

describe(`maintenance job (${backendName})`, () => {
  it('deletes only the old rows of each kind, once across two instances, and logs the counts', async () => {
    const db = database.db;
    await seed(db);
    const config = loadConfig({ NODE_ENV: 'test', OUTBOX_KEEP_DAYS: '30', MAINTENANCE_INTERVAL_MINUTES: '60' });
    const logs: Array<{ obj: Record<string, unknown>; msg: string }> = [];
    const logger = {
      info: (obj: object, msg: string) => logs.push({ obj: obj as Record<string, unknown>, msg }),
      error: () => undefined,
      debug: () => undefined,
    };
    let now = NOW;
    const make = (dbOf: Knex, holder: string) =>
      createScheduler({ db: dbOf, logger, clock: () => now, holder, jobs: [maintenanceJob(dbOf, config, logger)] });
    const a = make(db, 'instance-a');
    const b = make(other.db, 'instance-b');

    const ran = [...(await a.runDue()), ...(await b.runDue())];
    expect(ran).toEqual(['maintenance']);

    expect((await db('sessions').pluck('sid')).sort()).toEqual(['alive']);
    expect(await db('rate_limits').pluck('key')).toEqual(['signin:account:current']);
    expect((await db('admin_uploads').pluck('token')).map((t: string) => t.replace(/x+$/, '')).sort()).toEqual([
      'justused',
      'waiting',
    ]);
    expect((await db('outbox').pluck('subject')).sort()).toEqual(['failed-old', 'pending-old', 'sent-recent']);
    const entry = logs.find((l) => l.msg.startsWith('maintenance'));
    expect(entry?.obj.removed).toEqual({ sessions: 2, rateLimits: 1, uploads: 2, outbox: 1, reporterData: 0 });

    // not due again before the interval; due after it, and then the next rows have aged
    now = at(30 * MINUTE);
    expect([...(await a.runDue()), ...(await b.runDue())]).toEqual([]);
    now = at(61 * MINUTE);
    expect([...(await b.runDue()), ...(await a.runDue())]).toEqual(['maintenance']);
    expect(await db('sessions').pluck('sid')).toEqual([]);
    expect(await db('rate_limits').pluck('key')).toEqual([]);
    expect((await db('admin_uploads').pluck('token')).map((t: string) => t.replace(/x+$/, ''))).toEqual(['waiting']);
    expect((await db('outbox').pluck('subject')).sort()).toEqual(['failed-old', 'pending-old', 'sent-recent']);
  });
});
