import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { renderPage } from './render';

/** An error with an HTTP status whose page the user may see. */
export class HttpError extends Error {
  constructor(
    public readonly status: 400 | 403 | 404 | 409 | 413 | 429 | 500 | 503,
    message?: string,
  ) {
    super(message ?? `HTTP ${status}`);
    this.name = 'HttpError';
  }
}
export const notFound = () => new HttpError(404);
export const forbidden = () => new HttpError(403);
export const badRequest = (message?: string) => new HttpError(400, message);

const DB_DOWN_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '08000',
  '08001',
  '08003',
  '08006',
]);

export function isDatabaseUnavailable(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  const e = err as { code?: string; name?: string; message?: string };
  if (e.code && DB_DOWN_CODES.has(e.code)) return true;
  if (e.name === 'KnexTimeoutError') return true;
  // the last one: pg refuses a client after its connection broke (e.g. the ROLLBACK of a cut transaction)
  return /Connection terminated|connection is closed|PGlite is closed|not queryable/i.test(e.message ?? '');
}

function statusOf(err: unknown): number {
  if (err instanceof HttpError) return err.status;
  const e = err as { code?: string; status?: number; statusCode?: number; type?: string };
  if (e?.code === 'EBADCSRFTOKEN') return 403;
  if (isDatabaseUnavailable(err)) return 503;
  if ((err as Error)?.name === 'DirectoryUnavailableError') return 503; // the city directory is down
  const s = e?.status ?? e?.statusCode;
  if (typeof s === 'number' && s >= 400 && s < 600) return s;
  return 500;
}

const KNOWN_PAGES = new Set([400, 403, 404, 413, 429, 500, 503]);

export function notFoundHandler(_req: Request, _res: Response, next: NextFunction) {
  next(notFound());
}

/** One place maps every error to a friendly page; users never see a stack trace. */
export function errorHandler(logger: Logger) {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  return (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    let status = statusOf(err);
    if (!KNOWN_PAGES.has(status)) status = status >= 500 ? 500 : 400;
    const csrf = (err as { code?: string })?.code === 'EBADCSRFTOKEN';
    if (status >= 500) logger.error({ err, reqId: req.requestId }, 'request failed');
    else logger.info({ reqId: req.requestId, status, reason: (err as Error)?.message }, 'request refused');
    if (res.headersSent) {
      res.end();
      return;
    }
    if (status === 503) res.setHeader('Retry-After', '60');
    res.setHeader('Cache-Control', 'no-store');
    const wantsJson = req.path.endsWith('.json') || (req.accepts(['html', 'json']) === 'json' && !req.accepts('html'));
    if (wantsJson) {
      res.status(status).json({ error: { status, requestId: req.requestId } });
      return;
    }
    const key = csrf ? 'csrf' : String(status);
    renderPage(
      res,
      'errors/error',
      {
        title: res.locals.t?.(`error.title.${key}` as 'error.title.404') ?? `Error ${status}`,
        status,
        errorKey: key,
        requestId: req.requestId,
      },
      status,
    ).catch((renderErr) => {
      logger.error({ err: renderErr }, 'error page failed');
      if (!res.headersSent) res.status(status).type('text/plain').send(`Error ${status}`);
    });
  };
}
