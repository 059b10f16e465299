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
 * by status) for a fraction of that: no closures per request, and `req.log` (a child logger
 * with the request id) is only made when a handler logs something.
 */
export function setUpRequestLogging(logger: Logger) {
  const installed = new WeakSet<object>();

  function line(res: Response, aborted: boolean) {
    const status = res.statusCode;
    const level = aborted ? 'warn' : status >= 500 ? 'error' : 'info';
    if (!logger.isLevelEnabled(level)) return;
    const req = res.req;
    // the query may hold a pasted URL, never secrets; cut it to keep lines short
    const url = req.originalUrl.length > MAX_URL ? `${req.originalUrl.slice(0, MAX_URL)}…` : req.originalUrl;
    logger[level](
      { reqId: req.requestId, req: { method: req.method, url }, res: { statusCode: status }, responseTime: Math.round(performance.now() - req.startedAt) },
      aborted ? 'request aborted' : 'request completed',
    );
  }
  function onFinish(this: Response) {
    line(this, false);
  }
  function onClose(this: Response) {
    if (!this.writableFinished) line(this, true);
  }

  return (req: Request, res: Response, next: NextFunction) => {
    req.startedAt = performance.now();
    const incoming = req.headers['x-request-id'];
    const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    req.requestId = id;
    res.setHeader('X-Request-Id', id);
    // req.log: a getter on this app's request prototype (every app has its own), defined once
    const proto = Object.getPrototypeOf(req) as object;
    if (!installed.has(proto)) {
      installed.add(proto);
      Object.defineProperty(proto, 'log', {
        configurable: true,
        get(this: Request & { childLogger?: Logger }) {
          return (this.childLogger ??= logger.child({ reqId: this.requestId }));
        },
      });
    }
    if (req.url === '/healthz') return next();
    res.once('finish', onFinish);
    res.once('close', onClose);
    next();
  };
}
