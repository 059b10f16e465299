import type { Knex } from 'knex';
import type { Directory } from '../../src/directory/directory';
import { deliverDue } from '../../src/notifications/delivery';
import { createRoleResolver } from '../../src/people/roles';
import { FakeMailer } from '../notifications/fixtures';

/**
 * Runs delivery as the outbox job does (mails to a role expanded from the directory group)
 * until nothing is due, far in the future so every queued mail is due; returns what went out.
 */
export async function deliverEverything(
  db: Knex,
  directory: Directory,
  mailer = new FakeMailer(),
): Promise<FakeMailer> {
  const roles = createRoleResolver(directory, {});
  const when = new Date('2100-01-01T00:00:00Z');
  for (let i = 0; i < 20; i++) {
    const r = await deliverDue(db, mailer, when, { roles });
    if (r.sent + r.failed + r.retried === 0) break;
  }
  return mailer;
}
