import type { Knex } from 'knex';
import type { SessionUser } from '../directory/user';
import type { Actor, Person } from '../workflow/core';
import { unitsHeadedBy } from '../registry/org-units';
import { findPeople } from '../people/store';
import { berlinIsoDay } from '../web/dates';

/** Berlin calendar date 'YYYY-MM-DD' of an instant: substitutions are given in days. */
export function berlinDay(d: Date): string {
  return berlinIsoDay(d);
}

async function personOf(
  db: Knex | Knex.Transaction,
  p: { uid: string; roles: string[]; unit?: string | null },
): Promise<Person> {
  return { uid: p.uid, roles: p.roles as Person['roles'], headOfUnits: await unitsHeadedBy(db, p) };
}

/**
 * The signed-in person as the workflow core sees them: roles, units they head, and the
 * people who named them deputy for today.
 */
export async function buildActor(db: Knex | Knex.Transaction, user: SessionUser, now: Date): Promise<Actor> {
  const today = berlinDay(now);
  const subs: Array<{ principal_uid: string }> = await db('substitutions')
    .where({ deputy_uid: user.uid })
    .whereNull('revoked_at')
    .where('starts_on', '<=', today)
    .where('ends_on', '>=', today)
    .select('principal_uid');
  const principals = await findPeople(
    db,
    subs.map((s) => s.principal_uid),
  );
  const actingFor: Person[] = [];
  for (const p of principals.values()) actingFor.push(await personOf(db, p));
  return { ...(await personOf(db, user)), actingFor };
}
