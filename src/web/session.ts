import session from 'express-session';
import type { NextFunction, Request, Response } from 'express';
import type { SessionUser } from '../directory/user';
import { localePath } from './i18n';
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

declare module 'express-session' {
  interface SessionData {
    /** When the person signed in (ms since epoch): the absolute lifetime counts from here. */
    signedInAt?: number;
    /** When the roles were last read from the directory (ms since epoch). */
    rolesCheckedAt?: number;
  }
}

/** A form arrived after its session ended: the sign-in follows, and the form is kept (src/signin/routes.ts). */
export class SessionEndedError extends Error {
  readonly code = 'ESESSIONENDED';
  readonly status = 401;
  constructor() {
    super('session ended');
    this.name = 'SessionEndedError';
  }
}

/** After a failed re-read, how long an instance keeps the roles it has before it asks the directory again. */
export const DIRECTORY_RETRY_MS = 60_000;

/** Marks a freshly signed-in session (call right after req.login). */
export function startSignedInSession(req: Request, now: Date): void {
  req.session.signedInAt = now.getTime();
  req.session.rolesCheckedAt = now.getTime();
}

/**
 * After passport.session(): ends a session older than SESSION_MAX_HOURS however active it was
 * (the idle timeout alone would let a busy session live for ever), and re-reads the person's
 * roles from the directory once SESSION_ROLE_REFRESH_MINUTES have passed, so that someone
 * removed from a group loses the role within that time, and someone removed from the
 * directory is signed out: the stored session is deleted and the person is sent to the
 * sign-in page, with the way back.
 */
export function sessionLifetime(deps: {
  config: Config;
  clock: () => Date;
  findByUid: (uid: string) => Promise<SessionUser | undefined>;
}) {
  const maxMs = deps.config.session.maxHours * 3_600_000;
  const refreshMs = deps.config.session.roleRefreshMinutes * 60_000;
  let directoryDownUntil = 0;
  const end = (req: Request, res: Response, reason: string, next: NextFunction) => {
    const uid = req.user?.uid;
    // Delete the stored row and send the person to the sign-in page straight away. (passport's
    // logout would regenerate the session, and express-session would then store the new,
    // empty one: a row for nobody.) A GET in the staff area comes back after the sign-in.
    req.session.destroy((err) => {
      if (err) return next(err);
      req.log?.info({ uid, reason }, 'session ended');
      res.clearCookie(SESSION_COOKIE, { path: '/' });
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        // a form sent just after the end: not processed, but kept (src/web/form-keeper.ts)
        req.user = undefined;
        return next(new SessionEndedError());
      }
      const signInPath = localePath(req.locale, '/anmelden');
      const back =
        req.method === 'GET' && /^\/intern(\/|$)/.test(req.path)
          ? `?zurueck=${encodeURIComponent(req.originalUrl)}`
          : '';
      res.redirect(req.method === 'GET' ? 302 : 303, `${signInPath}${back}`);
    });
  };

  return async (req: Request, res: Response, next: NextFunction) => {
    const user = req.user;
    if (!user) return next();
    try {
      const now = deps.clock().getTime();
      // sessions from before this check carry no sign-in time: their lifetime starts now
      req.session.signedInAt ??= now;
      req.session.rolesCheckedAt ??= now;
      if (now - req.session.signedInAt >= maxMs) return end(req, res, 'maximum lifetime', next);
      if (now - req.session.rolesCheckedAt < refreshMs || now < directoryDownUntil) return next();

      let fresh: SessionUser | undefined;
      try {
        fresh = await deps.findByUid(user.uid);
      } catch (err) {
        // Directory unreachable: keep the session with the roles it has and ask again on a
        // later request (rolesCheckedAt stays old). Signing everybody out, or stripping their
        // roles, whenever the directory hiccups would stop all work in the portal for an
        // outage that has nothing to do with them; the staleness stays bounded by the
        // absolute lifetime, and the first re-read after the directory is back applies any
        // change. This instance waits DIRECTORY_RETRY_MS before it asks again, so that a
        // directory that swallows packets does not add LDAP_TIMEOUT_MS to every page.
        directoryDownUntil = now + DIRECTORY_RETRY_MS;
        req.log?.warn(
          { uid: user.uid, err: (err as Error)?.message },
          'directory unavailable: roles not re-read, session kept',
        );
        return next();
      }
      if (!fresh || fresh.uid.toLowerCase() !== user.uid.toLowerCase())
        return end(req, res, 'no longer in the directory', next);
      const changed = JSON.stringify(fresh.roles) !== JSON.stringify(user.roles);
      const passport = (req.session as unknown as { passport?: { user?: unknown } }).passport;
      if (passport) passport.user = fresh;
      req.user = fresh;
      req.session.rolesCheckedAt = now;
      if (changed)
        req.log?.info({ uid: user.uid, from: user.roles, to: fresh.roles }, 'roles changed in the directory');
      next();
    } catch (err) {
      next(err);
    }
  };
}
