import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { connectPostgres } from '../../src/db/knex';
import { createSessionMiddleware } from '../../src/web/session';
import { TEST_ENV } from '../helpers/app';

/** A session store whose database is unreachable (nothing listens on port 1). */
const dead = connectPostgres('postgres://postgres@127.0.0.1:1/none', 1);
afterAll(() => dead.close());

describe('session store while the database is down', () => {
  it('reports every failure to its callback once and lets nothing escape as an unhandled rejection', async () => {
    const { store } = createSessionMiddleware(loadConfig(TEST_ENV), dead.db);
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const sess = {
        cookie: { maxAge: 60_000, expires: new Date(Date.now() + 60_000), originalMaxAge: 60_000 },
      } as never;
      // the callbacks carry the results; the promises the store also returns are left alone on purpose
      const calls = await Promise.all([
        new Promise<unknown[]>((resolve) => {
          void store.get('sid', (...args) => resolve(args));
        }),
        new Promise<unknown[]>((resolve) => {
          void store.set('sid', sess, (...args) => resolve(args));
        }),
        new Promise<unknown[]>((resolve) => {
          void store.destroy('sid', (...args) => resolve(args));
        }),
        new Promise<unknown[]>((resolve) => {
          void store.touch('sid', sess, (...args: unknown[]) => resolve(args));
        }),
      ]);
      for (const args of calls) expect(args[0]).toBeInstanceOf(Error);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  }, 30_000);
});
