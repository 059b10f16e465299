import session from 'express-session';
import { ConnectSessionKnexStore } from 'connect-session-knex';
import type { Config } from '../config';
import type { Db } from '../db/knex';

export const SESSION_COOKIE = 'smr.sid';

type Base = ConnectSessionKnexStore;

/**
 * connect-session-knex 5 calls back with a database error and then re-throws it (get, set,
 * destroy), and `touch` never calls back on an error. express-session ignores the returned
 * promises, so a database outage would end the process with an unhandled rejection and
 * leave requests hanging. Here every error reaches the callback exactly once and nothing
 * escapes, so express-session hands it to the error handler (a friendly 503).
 */
export class SafeKnexSessionStore extends ConnectSessionKnexStore {
  override get(sid: string, callback: Parameters<Base['get']>[1]) {
    return super.get(sid, callback).catch(() => null);
  }
  override set(sid: string, sess: session.SessionData, callback?: Parameters<Base['set']>[2]) {
    return super.set(sid, sess, callback).catch(() => undefined);
  }
  override destroy(sid: string, callback?: Parameters<Base['destroy']>[1]) {
    return super.destroy(sid, callback).catch(() => 0);
  }
  override touch(sid: string, sess: session.SessionData, callback?: (err?: unknown) => void) {
    return super
      .touch(sid, sess)
      .then(
        () => callback?.(),
        (err: unknown) => callback?.(err),
      )
      .catch(() => undefined); // nothing thrown by the callback may escape as an unhandled rejection
  }
}

/**
 * Sessions live in the database, so every app instance sees the same sign-ins. The cookie
 * is only ever set on the staff area and the sign-in page (see app.ts); it expires after
 * the idle timeout, which every request to the staff area renews.
 */
export function createSessionMiddleware(config: Config, db: Db) {
  const store = new SafeKnexSessionStore({
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
