import type { Knex } from 'knex';
import type { Role } from '../config';
import type { SessionUser } from '../directory/user';

export interface PersonRow {
  uid: string;
  name: string;
  email: string | null;
  unit: string | null;
  roles: Role[];
}

/** Remembers a person as the directory described them just now. */
export async function rememberPerson(db: Knex | Knex.Transaction, user: SessionUser, now: Date): Promise<void> {
  await db('people')
    .insert({
      uid: user.uid,
      name: user.name,
      email: user.email ?? null,
      unit: user.unit ?? null,
      roles: JSON.stringify(user.roles),
      seen_at: now,
      missing_since: null,
    })
    .onConflict('uid')
    .merge();
}

export async function findPeople(db: Knex | Knex.Transaction, uids: string[]): Promise<Map<string, PersonRow>> {
  if (uids.length === 0) return new Map();
  const rows: PersonRow[] = await db('people').whereIn('uid', uids).select('uid', 'name', 'email', 'unit', 'roles');
  return new Map(rows.map((r) => [r.uid, r]));
}
