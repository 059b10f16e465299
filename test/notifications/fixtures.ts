import type { Knex } from 'knex';
import { connectPostgres, type Database } from '../../src/db/knex';
import type { OutgoingMessage } from '../../src/notifications/outbox';
import type { Mail, Mailer } from '../../src/notifications/mailer';
import type { TestDatabase } from '../helpers/db';

export const BASE_URL = 'http://portal.test';

/** A typical "your decision, please" mail to person number `n`. */
export function stepWaiting(n: number, extra: Partial<OutgoingMessage> = {}): OutgoingMessage {
  return {
    template: 'step_waiting',
    to: { uid: `person${n}`, email: `person${n}@hannover-stadt.de`, name: `Person ${n}` },
    params: {
      requestTitle: `Instagram Stadtbibliothek ${n}`,
      stepName: 'Datenschutz',
      url: `${BASE_URL}/intern/antraege/${n}`,
    },
    requestId: n,
    ...extra,
  } as OutgoingMessage;
}

/** A mailer that records what it sends; `fail` makes the next sends throw. */
export class FakeMailer implements Mailer {
  readonly kind = 'log' as const;
  readonly sent: Mail[] = [];
  fail: Error | undefined;
  delayMs = 0;
  async send(mail: Mail): Promise<void> {
    if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
    if (this.fail) throw this.fail;
    this.sent.push(mail);
  }
}

/**
 * A second, independent connection to the same database, as a second app instance has:
 * its own pool on PostgreSQL. PGlite has one connection per database, so there the
 * "second instance" shares it (and the single connection serialises the two).
 */
export function secondInstance(database: TestDatabase): { db: Knex; close(): Promise<void> } {
  if (!database.url) return { db: database.db, close: async () => undefined };
  const other: Database = connectPostgres(database.url, 5);
  return { db: other.db, close: () => other.close() };
}

export const minutes = (n: number) => n * 60_000;
export const plus = (d: Date, ms: number) => new Date(d.getTime() + ms);
