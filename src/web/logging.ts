import { randomUUID } from 'node:crypto';
import pino, { type Logger } from 'pino';
import type { NextFunction, Request, Response } from 'express';

export function createLogger(level: string): Logger {
  return pino({
    level,
    // belt and braces: even if someone logs a request or body, secrets are masked
    redact: {
      paths: ['req.headers.cookie', 'req.headers.authorization', 'password', '*.password', 'sess', 'sid', '*.sid'],
      censor: '[redacted]',
    },
  });
}

const REQUEST_ID = /^[A-Za-z0-9._-]{8,100}$/;
const MAX_URL = 300;

/**
 * One log line per request with a request id; no headers, bodies or cookies are logged.
 * Hand-written instead of pino-http: the overview is read far more than anything else and
 * pino-http alone cost about 40 % of a bare request's CPU (bench/RESULTS.md); this does the
 * same job (id from X-Request-Id or new, echoed in the response, one line at the end, level
 * by status) for a third of that. `req.log` is a child logger with the request id, made only
 * when a handler logs something.
 */
export function setUpRequestLogging(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction) => {
    const started = performance.now();
    const incoming = req.headers['x-request-id'];
    const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    req.requestId = id;
    res.setHeader('X-Request-Id', id);
    let child: Logger | undefined;
    Object.defineProperty(req, 'log', { get: () => (child ??= logger.child({ reqId: id })), configurable: true });
    if (req.url === '/healthz') return next();
    const line = (aborted: boolean) => {
      const status = res.statusCode;
      const level = aborted ? 'warn' : status >= 500 ? 'error' : 'info';
      if (!logger.isLevelEnabled(level)) return;
      // the query may hold a pasted URL, never secrets; cut it to keep lines short
      const url = req.originalUrl.length > MAX_URL ? `${req.originalUrl.slice(0, MAX_URL)}…` : req.originalUrl;
      logger[level](
        { reqId: id, req: { method: req.method, url }, res: { statusCode: status }, responseTime: Math.round(performance.now() - started) },
        aborted ? 'request aborted' : 'request completed',
      );
    };
    let done = false;
    res.once('finish', () => {
      done = true;
      line(false);
    });
    res.once('close', () => {
      if (!done) line(true);
    });
    next();
  };
}
