import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { csrfSync } from 'csrf-sync';
import type { Config } from '../config';

/** The short-lived cookie that binds the sign-in form's token to one browser. */
export const SIGN_IN_CSRF_COOKIE = 'smr.anmeldung';
/** How long a sign-in form stays valid. */
const SIGN_IN_TOKEN_MS = 2 * 60 * 60_000;
const NONCE = /^[A-Za-z0-9_-]{22,64}$/;

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const csrfError = () => Object.assign(new Error('invalid csrf token'), { status: 403, code: 'EBADCSRFTOKEN' });

function cookieValue(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return part.slice(i + 1).trim();
  }
  return undefined;
}

/**
 * The sign-in form's CSRF protection without a stored session (signed double submit): a
 * random nonce in a short-lived, HttpOnly, SameSite=Strict cookie, and in the form the
 * nonce, its issue time and an HMAC of both keyed by SESSION_SECRET. Another site can
 * neither read the cookie nor forge the HMAC, so it cannot post a sign-in form in the
 * visitor's name — and an anonymous visit writes nothing to the database, so nobody can
 * grow the sessions table by loading the page. Once signed in, every form uses the
 * session-bound synchroniser token (csrf-sync) as before.
 */
export function signInTokens(config: Config, clock: () => Date) {
  const secret = config.session.secret;
  const mac = (nonce: string, issued: string) =>
    createHmac('sha256', secret).update(`smr-sign-in-csrf\u0000${nonce}\u0000${issued}`).digest('base64url');

  return {
    /** The token for the form; sets (or keeps) the binding cookie. */
    issue(req: Request, res: Response): string {
      let nonce = cookieValue(req, SIGN_IN_CSRF_COOKIE);
      if (!nonce || !NONCE.test(nonce)) {
        nonce = randomBytes(18).toString('base64url');
        res.cookie(SIGN_IN_CSRF_COOKIE, nonce, {
          httpOnly: true,
          sameSite: 'strict',
          secure: config.session.cookieSecure === 'auto' ? req.secure : config.session.cookieSecure,
          maxAge: SIGN_IN_TOKEN_MS,
          path: '/',
        });
      }
      const issued = clock().getTime().toString(36);
      return `${nonce}.${issued}.${mac(nonce, issued)}`;
    },
    verify(req: Request): boolean {
      const token = (req.body as Record<string, unknown> | undefined)?._csrf;
      const nonce = cookieValue(req, SIGN_IN_CSRF_COOKIE);
      if (typeof token !== 'string' || token.length > 200 || !nonce) return false;
      const [tokenNonce, issued, signature] = token.split('.');
      if (!tokenNonce || !issued || !signature || token.split('.').length !== 3) return false;
      const expected = Buffer.from(mac(tokenNonce, issued));
      const given = Buffer.from(signature);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return false;
      const age = clock().getTime() - parseInt(issued, 36);
      if (!(age >= -60_000 && age <= SIGN_IN_TOKEN_MS)) return false;
      const a = Buffer.from(tokenNonce);
      const b = Buffer.from(nonce);
      return a.length === b.length && timingSafeEqual(a, b);
    },
    clear(res: Response) {
      res.clearCookie(SIGN_IN_CSRF_COOKIE, { path: '/' });
    },
  };
}
export type SignInTokens = ReturnType<typeof signInTokens>;

/**
 * CSRF protection for the staff area. Signed in: the synchroniser token lives in the
 * server-side session and every form sends it back as `_csrf`. Not signed in: the signed
 * token of the sign-in form (above); an anonymous request never writes the session. Also on
 * in tests.
 */
export function setUpCsrf(signIn: SignInTokens) {
  const { csrfSynchronisedProtection, generateToken } = csrfSync({
    getTokenFromRequest: (req) => {
      const token = (req.body as Record<string, unknown> | undefined)?._csrf;
      return typeof token === 'string' ? token : undefined;
    },
    errorConfig: { statusCode: 403, code: 'EBADCSRFTOKEN', message: 'invalid csrf token' },
  });
  const middleware = [
    (req: Request, res: Response, next: NextFunction) => {
      if (SAFE_METHODS.has(req.method)) return next();
      // Not signed in: the signed token of the sign-in form (nothing else is stored). The
      // sign-in form keeps working when the browser has signed in since (a second tab); a
      // signed-in session otherwise uses its own token, as everywhere else.
      if (!req.user || req.path === '/anmelden') {
        if (signIn.verify(req)) return next();
        if (!req.user) return next(csrfError());
      }
      return csrfSynchronisedProtection(req, res, next);
    },
    (req: Request, res: Response, next: NextFunction) => {
      // only a signed-in session gets (and stores) a token; the sign-in page issues its own
      res.locals.csrfToken = req.user ? generateToken(req) : '';
      next();
    },
  ];
  /** A signed-in session's token, for a page rendered outside the usual chain (a kept form). */
  const tokenFor = (req: Request): string => generateToken(req);
  return { middleware, tokenFor };
}

/** How long a public form (the report of a fake account) may be sent after it was shown. */
export const PUBLIC_FORM_TOKEN_MS = 2 * 60 * 60_000;

/**
 * The token of a PUBLIC form that must work without a cookie (the report of a fake account,
 * issue 12: the public side sets no cookies). There is no session to bind a token to, so the
 * token binds the form to this portal and to a time: the issue time, a random nonce and an
 * HMAC over both and the form's purpose, keyed by SESSION_SECRET; valid for two hours. It
 * proves that the sender loaded the form from this portal recently, so a script must fetch a
 * fresh form first, and another site cannot make a visitor's browser send a report blindly
 * with a stored token after the two hours. It cannot tie a report to a person (nothing can
 * without a cookie), and it does not need to: a report carries no one's authority. Abuse is
 * bounded by the honeypot field, the per-address limit in the database and the body limits.
 */
export function publicFormTokens(secret: string, clock: () => Date, purpose: string) {
  const mac = (nonce: string, issued: string) =>
    createHmac('sha256', secret)
      .update(`smr-public-form\u0000${purpose}\u0000${nonce}\u0000${issued}`)
      .digest('base64url');
  return {
    issue(): string {
      const nonce = randomBytes(12).toString('base64url');
      const issued = clock().getTime().toString(36);
      return `${nonce}.${issued}.${mac(nonce, issued)}`;
    },
    verify(token: unknown): boolean {
      if (typeof token !== 'string' || token.length > 200) return false;
      const parts = token.split('.');
      if (parts.length !== 3) return false;
      const [nonce, issued, signature] = parts as [string, string, string];
      if (!NONCE.test(nonce.padEnd(22, 'x')) || !/^[0-9a-z]{1,12}$/.test(issued)) return false;
      const expected = Buffer.from(mac(nonce, issued));
      const given = Buffer.from(signature);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return false;
      const age = clock().getTime() - parseInt(issued, 36);
      return age >= -60_000 && age <= PUBLIC_FORM_TOKEN_MS;
    },
  };
}
export type PublicFormTokens = ReturnType<typeof publicFormTokens>;
