import { Router } from 'express';
import type { Config } from '../config';
import type { Db } from '../db/knex';
import type { Directory } from '../directory/directory';
import { renderPage } from '../web/render';

/** The staff area's start page. */
export function internRoutes(_deps: { config: Config; db: Db; directory: Directory }) {
  const router = Router();
  router.get('/', async (_req, res) => {
    await renderPage(res, 'intern/home', { title: res.locals.t('intern.title') });
  });
  return router;
}
