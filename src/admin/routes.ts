import { Router, type NextFunction, type Request, type Response } from 'express';
import type { Knex } from 'knex';
import type { Config } from '../config';
import type { Directory } from '../directory/directory';
import { HttpError } from '../web/errors';

export interface AdminDeps {
  config: Config;
  db: Knex;
  directory: Directory;
  clock: () => Date;
}

/** Administration (role administrator only); mounted at /intern/verwaltung. */
export function adminRoutes(_deps: AdminDeps) {
  const router = Router();
  router.use((req: Request, _res: Response, next: NextFunction) => {
    if (!req.user?.roles.includes('admin')) return next(new HttpError(403));
    next();
  });
  return router;
}
