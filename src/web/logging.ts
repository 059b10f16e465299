import { randomUUID } from 'node:crypto';
import pino, { type Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import type { Request, Response } from 'express';

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

/** One log line per request with a request id; no headers, bodies or cookies are logged. */
export function setUpRequestLogging(logger: Logger) {
  return pinoHttp({
    logger,
    genReqId: (req, res) => {
      const incoming = req.headers['x-request-id'];
      const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
      (req as unknown as Request).requestId = id;
      res.setHeader('X-Request-Id', id);
      return id;
    },
    serializers: {
      req: (req: { id: string; method: string; url: string }) => ({
        id: req.id,
        method: req.method,
        // the query may hold a pasted URL, never secrets; cut it to keep lines short
        url: req.url.length > 300 ? `${req.url.slice(0, 300)}…` : req.url,
      }),
      res: (res: Response) => ({ statusCode: res.statusCode }),
    },
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'info'),
    autoLogging: { ignore: (req) => req.url === '/healthz' },
  });
}
