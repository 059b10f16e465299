import { randomUUID } from 'node:crypto';
import pino, { type Logger } from 'pino';
import type { NextFunction, Request, Response } from 'express';

/**
 * What of a database error is kept: enough to find the statement's table and the rule it
 * broke. Everything else goes (params/bindings, detail with the failing row, where, query, stack).
 */
const KEPT_KEYS = ['code', 'severity', 'schema', 'table', 'column', 'constraint', 'dataType', 'routine'] as const;

const isDatabaseError = (err: Record<string, unknown>) =>
  typeof err.code === 'string' &&
  /^[0-9A-Z]{5}$/.test(err.code) &&
  ('severity' in err || 'routine' in err || 'params' in err || 'query' in err);

/**
 * The `err` serializer: a database error (pg, PGlite, through knex) is logged without its
 * bound parameters, the failing row (`detail`) or the statement text that knex puts in front
 * of the message (on some drivers with the values filled in) — code, table, column and
 * constraint say what broke. Messages of data exceptions (class 22) quote the bad value:
 * the quotes are kept, the value is not.
 */
export function serializeError(err: unknown): unknown {
  const plain = pino.stdSerializers.err(err as Error) as unknown;
  if (!err || typeof err !== 'object' || !isDatabaseError(err as Record<string, unknown>)) return plain;
  const e = err as Record<string, unknown>;
  const out: Record<string, unknown> = { type: (plain as { type?: string }).type ?? 'DatabaseError' };
  // knex: "<sql> - <message>"; the original message is the part after the last " - "
  let message = typeof e.message === 'string' ? e.message : '';
  const cut = message.lastIndexOf(' - ');
  if (cut >= 0) message = message.slice(cut + 3);
  if (String(e.code).startsWith('22')) message = message.replace(/"[^"]*"/g, '"…"');
  out.message = message;
  for (const key of KEPT_KEYS) if (typeof e[key] === 'string') out[key] = e[key];
  return out;
}

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    serializers: { err: serializeError },
    // belt and braces: even if someone logs a request or body, secrets are masked
    redact: {
      paths: ['req.headers.cookie', 'req.headers.authorization', 'password', '*.password', 'sess', 'sid', '*.sid'],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

const REQUEST_ID = /^[A-Za-z0-9._-]{8,100}$/;
const MAX_URL = 300;

/**
 * One log line per request with a request id; no headers, bodies or cookies are logged.
 * Hand-written instead of pino-http: the overview is read far more than anything else and
 * pino-http alone cost about 40 % of a bare request's CPU (bench/RESULTS.md); this does the
 * same job (id from X-Request-Id or new, echoed in the response, one line at the end, level
 * by status) for a fraction of that: no closures per request. `req.log` (a child logger with
 * the request id) is a plain property made for every request, no longer a lazy getter on
 * Express's request prototype: a child of this logger costs 0.4 µs (1,000,000 in a loop,
 * garbage collection included; 1 December 2026, 2 vCPU) against about 160 µs of server CPU
 * per overview request. `npm run bench:overview -- --rounds 4 --seconds 3` (PGlite, load
 * average 6.5–8) could not tell the two apart: shared middleware +44/+53 µs per request with
 * the getter, +60/+55 µs with the property (two runs each; scatter about ±8 µs), throughput
 * ratio app/bare 0.80–1.18 in all four runs (target ≥ 0.8).
 */
export function setUpRequestLogging(logger: Logger) {
  function line(res: Response, aborted: boolean) {
    const status = res.statusCode;
    const level = aborted ? 'warn' : status >= 500 ? 'error' : 'info';
    if (!logger.isLevelEnabled(level)) return;
    const req = res.req;
    // the query may hold a pasted URL, never secrets; cut it to keep lines short
    const url = req.originalUrl.length > MAX_URL ? `${req.originalUrl.slice(0, MAX_URL)}…` : req.originalUrl;
    logger[level](
      {
        reqId: req.requestId,
        req: { method: req.method, url },
        res: { statusCode: status },
        responseTime: Math.round(performance.now() - req.startedAt),
      },
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
    // a plain property (0.4 µs a request, see above), no getter on Express's request prototype
    req.log = logger.child({ reqId: id });
    if (req.url === '/healthz') return next();
    res.once('finish', onFinish);
    res.once('close', onClose);
    next();
  };
}
