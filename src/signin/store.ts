import type { Knex } from 'knex';
import type { SessionUser } from '../directory/user';
import { rememberPerson } from '../people/store';

/** What the sign-in needs of the database, apart from the rate limiter. */
export interface SignInStore {
  /** Resolves when the database answers; rejects while it is down (the page then says so, 503). */
  reachable(): Promise<void>;
  /** Remembers the person signed in (name, e-mail, unit, roles) for mails and names on pages. */
  remember(user: SessionUser, at: Date): Promise<void>;
}

export function createSignInStore(db: Knex): SignInStore {
  return {
    async reachable() {
      await db.raw('select 1');
    },
    remember: (user, at) => rememberPerson(db, user, at),
  };
}
