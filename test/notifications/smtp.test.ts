import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { backendName } from '../helpers/env';
import { enqueue } from '../../src/notifications/outbox';
import { deliverDue } from '../../src/notifications/delivery';
import { createMailer, type Mailer } from '../../src/notifications/mailer';
import { header, textBody, TestSmtpServer } from './smtp-server';
import { minutes, plus, stepWaiting } from './fixtures';

let database: TestDatabase;
let smtp: TestSmtpServer;
let mailer: Mailer;
const T0 = new Date('2026-03-02T08:00:00Z');
const FROM = 'Social-Media-Register <social-media-register@hannover-stadt.de>';

beforeAll(async () => {
  database = await createTestDatabase();
  smtp = new TestSmtpServer();
  await smtp.start();
  mailer = createMailer({ smtpUrl: `smtp://127.0.0.1:${smtp.port}`, from: FROM }, { info: () => undefined });
});
afterAll(async () => {
  await smtp.stop();
  await database.close();
});

describe(`delivery through a real SMTP conversation (${backendName})`, () => {
  it('hands the rendered mail to the relay as UTF-8 plain text', async () => {
    await enqueue(
      database.db,
      stepWaiting(1, { to: { email: 'maria.muster@hannover-stadt.de', name: 'Maria Müller-Lüdenscheidt' } }),
      T0,
    );
    expect(await deliverDue(database.db, mailer, T0)).toEqual({ sent: 1, failed: 0, retried: 0 });
    expect(smtp.received).toHaveLength(1);
    const mail = smtp.received[0]!;
    expect(mail.from).toBe('social-media-register@hannover-stadt.de');
    expect(mail.to).toEqual(['maria.muster@hannover-stadt.de']);
    expect(header(mail, 'Subject')).toBe('Bitte entscheiden: Datenschutz – Instagram Stadtbibliothek 1');
    expect(header(mail, 'From')).toContain('social-media-register@hannover-stadt.de');
    expect(header(mail, 'Auto-Submitted')).toBe('auto-generated');
    expect(header(mail, 'Content-Type')).toMatch(/^text\/plain; charset=utf-8/i);
    const body = textBody(mail);
    expect(body).toContain('Guten Tag Maria Müller-Lüdenscheidt,');
    expect(body).toContain(
      'zum Antrag „Instagram Stadtbibliothek 1“ wartet der Schritt „Datenschutz“ auf Ihre Entscheidung.',
    );
    expect(body).toContain('http://portal.test/intern/antraege/1');
    const [row] = await database.db('outbox').select('status', 'attempts');
    expect(row).toEqual({ status: 'sent', attempts: 1 });
  });

  it('keeps the message while the relay is down and sends it once the relay is back', async () => {
    await database.db('outbox').del();
    smtp.received.length = 0;
    await smtp.stop();

    await enqueue(database.db, stepWaiting(2), T0);
    expect(await deliverDue(database.db, mailer, T0)).toEqual({ sent: 0, failed: 0, retried: 1 });
    let [row] = await database.db('outbox').select('*');
    expect(row).toMatchObject({ status: 'pending', attempts: 1 });
    expect(row.last_error).toMatch(/ECONNREFUSED/);
    expect(row.next_attempt_at).toEqual(plus(T0, minutes(1)));

    await smtp.start(); // same port
    expect(await deliverDue(database.db, mailer, plus(T0, 30_000))).toEqual({ sent: 0, failed: 0, retried: 0 }); // still backing off
    expect(await deliverDue(database.db, mailer, plus(T0, minutes(1)))).toEqual({ sent: 1, failed: 0, retried: 0 });
    expect(await deliverDue(database.db, mailer, plus(T0, minutes(10)))).toEqual({ sent: 0, failed: 0, retried: 0 });
    expect(smtp.received).toHaveLength(1);
    expect(smtp.received[0]?.to).toEqual(['person2@hannover-stadt.de']);
    [row] = await database.db('outbox').select('*');
    expect(row).toMatchObject({ status: 'sent', attempts: 2, last_error: null });
  });
});
