import type { SessionUser } from '../directory/user';
import type { Logger } from 'pino';
import type { Locale, Translate } from './i18n';

/** Typed request, user and session through declaration merging. */
declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    // passport's req.user
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface User extends SessionUser {}
    interface Request {
      locale: Locale;
      requestId: string;
      /** performance.now() when the request arrived (src/web/logging.ts). */
      startedAt: number;
      /** Logger with this request's id (src/web/logging.ts). */
      log: Logger;
    }
    interface Locals {
      /** The request's translator (src/web/i18n.ts); error pages before it is set call it with `?.`. */
      t: Translate;
    }
  }
}
