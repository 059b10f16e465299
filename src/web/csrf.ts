import type { NextFunction, Request, Response } from 'express';
import { csrfSync } from 'csrf-sync';

/**
 * Synchroniser-token CSRF protection: the token lives in the server-side session and every
 * form sends it back as `_csrf`. Also on in tests.
 */
export function setUpCsrf() {
  const { csrfSynchronisedProtection, generateToken } = csrfSync({
    getTokenFromRequest: (req) => {
      const token = (req.body as Record<string, unknown> | undefined)?._csrf;
      return typeof token === 'string' ? token : undefined;
    },
    errorConfig: { statusCode: 403, code: 'EBADCSRFTOKEN', message: 'invalid csrf token' },
  });
  return [
    csrfSynchronisedProtection,
    (req: Request, res: Response, next: NextFunction) => {
      res.locals.csrfToken = generateToken(req);
      next();
    },
  ];
}
