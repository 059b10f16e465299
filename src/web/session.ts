import session from 'express-session';
import { ConnectSessionKnexStore } from 'connect-session-knex';
import type { Config } from '../config';
import type { Db } from '../db/knex';

export const SESSION_COOKIE = 'smr.sid';

/**
 * Sessions live in the database, so every app instance sees the same sign-ins. The cookie
 * is only ever set on the staff area and the sign-in page (see app.ts); it expires after
 * the idle timeout, which every request to the staff area renews.
 */
export function createSessionMiddleware(config: Config, db: Db) {
  const store = new ConnectSessionKnexStore({
    knex: db,
    tableName: 'sessions',
    createTable: false,
    // expired rows are deleted by the maintenance job, not by a timer in every instance
    cleanupInterval: 0,
  });
  // The store checks for its table once at construction and keeps that promise forever:
  // a database that is briefly down at start-up would then break every later session and
  // raise an unhandled rejection. The migrations own the table, so skip the check.
  store.ready.catch(() => undefined);
  store.ready = Promise.resolve();
  const middleware = session({
    name: SESSION_COOKIE,
    secret: config.session.secret,
    store,
    resave: false,
    saveUninitialized: false,
    rolling: true,
    proxy: config.trustProxy !== false,
    cookie: {
      httpOnly: true,
      sameSite: 'lax',
      secure: config.session.cookieSecure,
      maxAge: config.session.idleMinutes * 60_000,
      path: '/',
    },
  });
  return { middleware, store };
}
