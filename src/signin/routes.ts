import { Router, type ErrorRequestHandler, type NextFunction, type Request, type Response } from 'express';
import type { Passport } from 'passport';
import { z } from 'zod';
import type { Config } from '../config';
import type { RateLimiter } from '../web/rate-limit';
import { renderPage } from '../web/render';
import { fieldErrors, type FieldError } from '../web/forms';
import type { LdapEntry, SessionUser } from '../directory/user';
import { toSessionUser } from '../directory/user';
import type { Directory } from '../directory/directory';
import type { DemoAccount } from '../directory/demo-accounts';
import { localePath } from '../web/i18n';
import { noticeFlags, parseQuery } from '../web/input';
import type { SignInStore } from './store';
import type { SignInTokens } from '../web/csrf';
import { startSignedInSession } from '../web/session';
import { keptFormOf, openForm, sealForm, type KeptForm } from '../web/form-keeper';

// Arrays, objects and missing values all fail here, before anything reaches the directory.
const signInSchema = z.object({
  username: z
    .string({ error: 'signIn.error.usernameMissing' })
    .trim()
    .min(1, 'signIn.error.usernameMissing')
    .max(64, 'signIn.error.usernameInvalid')
    .regex(/^[A-Za-z0-9._-]+$/, 'signIn.error.usernameInvalid'),
  password: z
    .string({ error: 'signIn.error.passwordMissing' })
    .min(1, 'signIn.error.passwordMissing')
    .max(256, 'signIn.error.passwordMissing'),
});

/** Only paths inside the staff area are allowed as the return target: no open redirect. */
const returnPath = z
  .string()
  .max(500)
  .regex(/^\/(en\/)?intern(\/[A-Za-z0-9\-._~%/]*)?(\?[A-Za-z0-9\-._~%=&+]*)?$/)
  .refine((v) => !v.includes('//'));

/** The return target if it is a safe one; anything else (another site, a repeated field) is no target. */
export function safeReturnPath(value: unknown): string | undefined {
  const parsed = returnPath.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/**
 * What the sign-in form carries besides the credentials: the name as typed (shown again,
 * untrimmed, when refused), the entries kept from a form whose session had ended (sealed,
 * src/web/form-keeper.ts, opened and checked there) and the return target.
 */
const carriedSchema = z.object({
  username: z.string().catch(''),
  gesichert: z.string().optional().catch(undefined),
  zurueck: z.unknown().optional().transform(safeReturnPath),
});
const pageQuery = z
  .object({ zurueck: z.unknown().optional().transform(safeReturnPath) })
  .and(noticeFlags('abgemeldet'));

export type { DemoAccount } from '../directory/demo-accounts';

export function signInRoutes(deps: {
  passport: InstanceType<typeof Passport>;
  config: Config;
  store: SignInStore;
  clock: () => Date;
  directory: Directory;
  limiter: RateLimiter;
  signInCsrf: SignInTokens;
  /** The signed-in session's CSRF token (for the page that offers a kept form again). */
  csrfTokenFor: (req: Request) => string;
  demoAccounts: DemoAccount[] | undefined;
}) {
  const { config, directory, limiter } = deps;
  const router = Router();

  const show = async (
    req: Request,
    res: Response,
    opts: { errors?: FieldError[]; alert?: string; username?: string; status?: number; notice?: string; kept?: string },
  ) => {
    // Nothing is stored for an anonymous visitor (the form's CSRF token is a signed cookie
    // pair, src/web/csrf.ts). One read checks the database, though: while it is down the
    // visitor gets the honest 503 page instead of a form that could only fail.
    await deps.store.reachable();
    res.locals.csrfToken = deps.signInCsrf.issue(req, res);
    res.locals.staffPage = true;
    res.setHeader('Cache-Control', 'no-store');
    return renderPage(
      res,
      'auth/sign-in',
      {
        title: res.locals.t('signIn.title'),
        errors: opts.errors ?? [],
        alert: opts.alert,
        notice: opts.notice,
        values: { username: opts.username ?? '' },
        returnTo: carriedSchema.parse(req.body ?? {}).zurueck ?? parseQuery(pageQuery, req.query).zurueck ?? '',
        demoAccounts: deps.demoAccounts,
        kept: opts.kept ?? '',
      },
      opts.status ?? 200,
    );
  };

  /** The page that offers kept entries again, with the signed-in session's own token. */
  const offerKept = (req: Request, res: Response, form: KeptForm, status: number) => {
    res.locals.csrfToken = deps.csrfTokenFor(req);
    res.locals.user = req.user;
    res.locals.staffPage = true;
    res.setHeader('Cache-Control', 'no-store');
    const action = form.fields.find(([name]) => name === 'aktion')?.[1];
    const isRequestForm = /^\/intern\/antraege\/(neu|\d+\/bearbeiten)$/.test(form.path);
    return renderPage(
      res,
      'auth/form-kept',
      {
        title: res.locals.t('formKept.title'),
        action: res.locals.url(form.path),
        sentAt: new Date(form.at),
        hidden: form.fields.filter(([name]) => name !== 'aktion'),
        // the button the person pressed is pressed again; a request form may also just be saved
        actionValue: action,
        offerDraft: isRequestForm && action !== 'entwurf',
        typed: form.fields.filter(
          ([name, value]) =>
            name !== 'aktion' && name !== 'uebernehmen' && value.trim().length > 0 && !/^\d+$/.test(value),
        ),
      },
      status,
    );
  };

  /**
   * A staff form that arrived after its session ended, or with a token no longer valid, is not
   * processed — and not lost either (src/web/form-keeper.ts): signed in, the entries come back
   * with a fresh token to send again; signed out, the sign-in page carries them, sealed, and
   * offers them again after the sign-in. Anything else goes on to the error page as before.
   */
  const keepForms: ErrorRequestHandler = async (err, req, res, next) => {
    const code = (err as { code?: string } | undefined)?.code;
    if (code !== 'EBADCSRFTOKEN' && code !== 'ESESSIONENDED') return next(err);
    try {
      // (the locals of the staff area are set only where a page is rendered here; anything
      // passed on renders the error page exactly as before)
      const now = deps.clock();
      if (req.method === 'POST' && req.path === '/anmelden') {
        // the sign-in form itself expired while it carried kept entries: keep carrying them
        const kept = carriedSchema.parse(req.body ?? {}).gesichert;
        if (!openForm(config.session.secret, kept, now)) return next(err);
        return await show(req, res, { kept, notice: res.locals.t('formKept.signInAgain'), status: 403 });
      }
      const form = keptFormOf(req, now);
      if (!form) {
        if (code === 'ESESSIONENDED') return res.redirect(303, localePath(req.locale, '/anmelden'));
        return next(err);
      }
      req.log?.info(
        { path: form.path, fields: form.fields.length, signedIn: Boolean(req.user) },
        'form kept: session or token expired',
      );
      if (req.user) return await offerKept(req, res, form, 403);
      return await show(req, res, {
        kept: sealForm(config.session.secret, form),
        notice: res.locals.t('formKept.signInNotice'),
        status: code === 'ESESSIONENDED' ? 401 : 403,
      });
    } catch (e) {
      next(e);
    }
  };

  router.get('/anmelden', async (req, res) => {
    const query = parseQuery(pageQuery, req.query);
    if (req.user) {
      res.redirect(query.zurueck ?? localePath(req.locale, '/intern'));
      return;
    }
    const notice = query.abgemeldet === '1' ? res.locals.t('signIn.signedOut') : undefined;
    const required = query.zurueck ? res.locals.t('signIn.sessionRequired') : undefined;
    await show(req, res, { notice: notice ?? required });
  });

  router.post('/anmelden', async (req: Request, res: Response, next: NextFunction) => {
    const t = res.locals.t;
    const parsed = signInSchema.safeParse(req.body ?? {});
    const carried = carriedSchema.parse(req.body ?? {});
    // a refused name comes back whole, as typed (the form shows what is wrong with it)
    const typedName = carried.username;
    // entries kept from a form whose session had ended (see keepForms): carried until the sign-in works
    const keptForm = openForm(config.session.secret, carried.gesichert, deps.clock());
    const kept = keptForm ? carried.gesichert : undefined;
    if (!parsed.success) {
      await show(req, res, { errors: fieldErrors(parsed.error), username: typedName, status: 400, kept });
      return;
    }
    const { username, password } = parsed.data;
    const accountKey = `signin:account:${username.toLowerCase()}`;
    const addressKey = `signin:address:${req.ip ?? 'unknown'}`;
    // Counted before the password reaches the directory, atomically (src/web/rate-limit.ts):
    // parallel attempts cannot all slip through between a check and a later count.
    const account = await limiter.consume(accountKey, config.login.maxPerAccount);
    const address = await limiter.consume(addressKey, config.login.maxPerAddress);
    if (!account.allowed || !address.allowed) {
      const blocked = Math.max(account.allowed ? 0 : account.retryMs, address.allowed ? 0 : address.retryMs);
      req.log?.warn({ account: !account.allowed, address: !address.allowed }, 'sign-in refused: rate limit');
      res.setHeader('Retry-After', String(Math.max(1, Math.ceil(blocked / 1000))));
      await show(req, res, {
        alert: t('signIn.error.rateLimited', { minutes: Math.max(1, Math.ceil(blocked / 60_000)) }),
        username,
        status: 429,
        kept,
      });
      return;
    }

    req.credentials = { username, password };
    let answered = false; // passport-ldapauth may report a connection error twice
    deps.passport.authenticate('ldapauth', { session: false }, async (err: unknown, entry: LdapEntry | false) => {
      if (answered) return;
      answered = true;
      try {
        delete req.credentials;
        if (err) {
          // not the person's fault: the attempt does not count
          await limiter.refund(accountKey);
          await limiter.refund(addressKey);
          req.log?.warn({ err: (err as Error)?.message }, 'directory unavailable during sign-in');
          await show(req, res, { alert: t('signIn.error.directoryDown'), username, status: 503, kept });
          return;
        }
        if (!entry) {
          // the failure was counted before the bind
          await show(req, res, { alert: t('signIn.error.invalid'), username, status: 401, kept });
          return;
        }
        const user: SessionUser = toSessionUser(entry, directory.config);
        // a successful sign-in is not an attempt to guess: the account starts afresh, and the
        // address gets this attempt back (colleagues behind one proxy share it)
        await limiter.clear(accountKey);
        await limiter.refund(addressKey);
        await deps.store.remember(user, deps.clock());
        const returnTo = carried.zurueck ?? localePath(req.locale, '/intern');
        // passport 0.7 regenerates the session on login: a fixed session id never survives
        req.login(user, (loginErr) => {
          if (loginErr) return next(loginErr);
          startSignedInSession(req, deps.clock());
          deps.signInCsrf.clear(res);
          req.log?.info({ uid: user.uid }, 'signed in');
          if (keptForm) {
            // never sent by itself: the person sees the entries and sends them with a click
            offerKept(req, res, keptForm, 200).catch(next);
            return;
          }
          res.redirect(303, returnTo);
        });
      } catch (e) {
        next(e);
      }
    })(req, res, next);
  });

  router.post('/abmelden', (req, res, next) => {
    const locale = req.locale;
    req.logout((err) => {
      if (err) return next(err);
      req.session.destroy((destroyErr) => {
        if (destroyErr) return next(destroyErr);
        res.clearCookie('smr.sid', { path: '/' });
        res.redirect(303, `${localePath(locale, '/anmelden')}?abgemeldet=1`);
      });
    });
  });

  // JavaScript's "stay signed in" (public/app.js): any request to the staff area renews the
  // idle timeout (rolling session); this one does nothing else
  router.post('/intern/sitzung', requireUser, (_req, res) => {
    res.status(204).end();
  });

  return { router, keepForms };
}

/** Staff-area guard: anonymous visitors go to the sign-in page and come back afterwards. */
export function requireUser(req: Request, res: Response, next: NextFunction) {
  if (req.user) return next();
  const back = req.originalUrl; // still carries the /en prefix, if any
  res.redirect(`${localePath(req.locale, '/anmelden')}?zurueck=${encodeURIComponent(back)}`);
}
