import { Router, type NextFunction, type Request, type Response } from 'express';
import type { Db } from '../db/knex';

/** Liveness says the process runs; readiness says it can reach its database. */
export function healthRoutes(db: Db, timeoutMs = 2000) {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    res.set('Cache-Control', 'no-store');
    try {
      await Promise.race([
        db.raw('select 1'),
        new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), timeoutMs).unref()),
      ]);
      res.json({ status: 'ok', database: 'ok' });
    } catch {
      res.status(503).json({ status: 'unavailable', database: 'unreachable' });
    }
  });
  // every other request passes by without going through a router
  return (req: Request, res: Response, next: NextFunction) =>
    /^\/(healthz|readyz)(\?|$)/.test(req.url) ? router(req, res, next) : next();
}
