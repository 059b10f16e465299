import { Router, type Response } from 'express';
import type { Logger } from 'pino';
import type { Config } from '../config';
import type { Db } from '../db/knex';
import { renderPage } from '../web/render';

/** Public pages: no session, no cookie, cacheable by a reverse proxy. */
export function publicRoutes(deps: { config: Config; db: Db; clock: () => Date; logger: Logger }) {
  const router = Router();
  const cachePublic = (res: Response) => res.setHeader('Cache-Control', 'public, max-age=300');

  router.get('/', async (_req, res) => {
    cachePublic(res);
    await renderPage(res, 'public/home', { title: res.locals.t('home.title') });
  });

  const legal: Array<[string, string, 'legal.imprint.title' | 'legal.privacy.title' | 'legal.accessibility.title']> = [
    ['/impressum', 'legal/imprint', 'legal.imprint.title'],
    ['/datenschutz', 'legal/privacy', 'legal.privacy.title'],
    ['/barrierefreiheit', 'legal/accessibility', 'legal.accessibility.title'],
  ];
  for (const [path, view, titleKey] of legal) {
    router.get(path, async (_req, res) => {
      cachePublic(res);
      await renderPage(res, view, { title: res.locals.t(titleKey), operator: deps.config.operator });
    });
  }
  return router;
}
