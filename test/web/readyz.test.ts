import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { PGlite } from '@electric-sql/pglite';
import { loadConfig } from '../../src/config';
import { createApp } from '../../src/app';
import { buildContainer } from '../../src/container';
import { connectPostgres, type Database } from '../../src/db/knex';
import { createDirectory } from '../../src/directory/directory';
import { createLogger } from '../../src/web/logging';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { startTestDirectory, type TestDirectory } from '../helpers/directory';
import { TEST_ENV } from '../helpers/app';
import { TcpProxy } from '../helpers/tcp-proxy';
import { signIn } from '../helpers/http';

/**
 * The app reaches its database through a TCP relay that the test stops and starts.
 * On PostgreSQL runs the relay leads to this file's own database on the real server; on
 * PGlite runs to a migrated PGlite copy served over the Postgres wire protocol.
 */
describe('readiness follows the database', () => {
  let testDb: TestDatabase;
  let socketServer: PGLiteSocketServer | undefined;
  let directory: TestDirectory;
  let proxy: TcpProxy;
  let appDb: Database;
  let app: ReturnType<typeof createApp>;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    directory = await startTestDirectory();
    let target: URL;
    if (testDb.url) {
      target = new URL(testDb.url);
    } else {
      const pglite = (await testDb.db.client.acquireRawConnection()) as PGlite;
      socketServer = new PGLiteSocketServer({ db: pglite, port: 0, host: '127.0.0.1' });
      await socketServer.start();
      target = new URL(`postgres://postgres@${socketServer.getServerConn()}/postgres`);
    }
    proxy = new TcpProxy(target.hostname, Number(target.port || 5432));
    await proxy.start();
    const viaProxy = new URL(target.toString());
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    appDb = connectPostgres(viaProxy.toString(), 2, createLogger('silent'));
    const config = loadConfig(TEST_ENV);
    app = createApp(
      config,
      buildContainer({
        config,
        db: appDb.db,
        directory: createDirectory(directory.config),
        logger: createLogger('silent'),
        clock: () => new Date(),
      }),
    );
  });

  afterAll(async () => {
    await appDb?.close();
    await proxy?.stop();
    await socketServer?.stop();
    await directory?.close();
    await testDb?.close();
  });

  it('is ready, then 503 while the database is gone, then ready again without a restart', async () => {
    await request(app).get('/readyz').expect(200, { status: 'ok', database: 'ok' });

    await proxy.stop();
    const down = await request(app).get('/readyz');
    expect(down.status).toBe(503);
    expect(down.body.database).toBe('unreachable');
    // the process itself is alive
    await request(app).get('/healthz').expect(200);

    await proxy.start();
    await request(app).get('/readyz').expect(200);
  });

  it('staff pages answer a friendly 503 while the database is gone (no form that could only fail) and work again after', async () => {
    const editor = await signIn(app, 'redaktion');
    await proxy.stop();
    const signInPage = await request(app).get('/anmelden');
    expect(signInPage.status).toBe(503);
    expect(signInPage.text).not.toContain('name="_csrf"');
    const start = await editor.get('/intern');
    expect(start.status).toBe(503);
    expect(start.headers['retry-after']).toBe('60');
    expect(start.text).not.toMatch(/at \w+ \(|node_modules/); // never a stack trace

    await proxy.start();
    await editor.get('/intern').expect(200);
    await request(app).get('/anmelden').expect(200);
  });
});
