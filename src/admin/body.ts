import express, { type NextFunction, type Request, type Response } from 'express';
import { BASE } from './web';

/**
 * The two admin forms that carry a whole CSV file (bulk import of presences, import of the
 * unit tree). A CSV of 5,000 presences is a few MB as a form body, far above the app's
 * 200 kB default. These paths get a larger parser, and only for a signed-in administrator:
 * nobody else can make the server read a large body.
 */
export const LARGE_FORM_PATHS: readonly string[] = [`${BASE}/import/pruefen`, `${BASE}/organisationseinheiten/import`];
export const LARGE_FORM_LIMIT = '16mb';

/** Is this request one of the large admin forms (path without the /en prefix)? */
export const isLargeAdminForm = (req: Request) => req.method === 'POST' && LARGE_FORM_PATHS.includes(req.path);

/**
 * Parses the large admin forms; goes in the staff router after the session (so req.user is
 * known) and before the CSRF check (which reads the body). Everything else passes untouched.
 */
export function largeAdminForms(smallLimit: string) {
  const large = express.urlencoded({ extended: false, limit: LARGE_FORM_LIMIT, parameterLimit: 20 });
  // anyone else gets the app's usual limit here too: the form is then refused as for any other route
  const small = express.urlencoded({ extended: false, limit: smallLimit, parameterLimit: 20 });
  return (req: Request, res: Response, next: NextFunction) => {
    if (!isLargeAdminForm(req)) return next();
    (req.user?.roles.includes('admin') ? large : small)(req, res, next);
  };
}
