import path from 'node:path';
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import type { Config } from '../config';
import { fromProjectRoot } from '../paths';

const kernDist = path.join(path.dirname(require.resolve('@kern-ux/native/package.json')), 'dist');

/** KERN UX and the portal's own CSS/JS, served from this host: nothing loads from elsewhere. */
export function setUpStaticAssets(config: Config) {
  const router = Router();
  const options = { maxAge: config.env === 'production' ? '7d' : 0, index: false, fallthrough: false };
  router.use('/assets/kern', express.static(kernDist, options));
  router.use('/assets', express.static(fromProjectRoot('public'), options));
  // every other request passes by without going through a router
  return (req: Request, res: Response, next: NextFunction) =>
    req.url.startsWith('/assets/') ? router(req, res, next) : next();
}
