import type { Express } from 'express';
import { loadConfig, type Config, type Env } from '../../src/config';
import { createApp, type Services } from '../../src/app';
import { buildContainer } from '../../src/container';
import { createDirectory } from '../../src/directory/directory';
import { demoAccounts } from '../../src/directory/demo-accounts';
import { createLogger } from '../../src/web/logging';
import { createTestDatabase, type TestDatabase } from './db';
import { startTestDirectory, type TestDirectory } from './directory';

export interface TestContext {
  app: Express;
  config: Config;
  database: TestDatabase;
  directory: TestDirectory;
  services: Services;
  /** A settable clock: tests move time instead of waiting. */
  clock: { now: Date; set(d: Date): void; advance(ms: number): void };
  close(): Promise<void>;
}

export const TEST_ENV: Env = {
  NODE_ENV: 'test',
  LOG_LEVEL: 'silent',
  SESSION_SECRET: 'test-secret-test-secret-test-secret-0123',
  BASE_URL: 'http://portal.test',
};

/** Builds the real application with createApp, on a fresh database and a real directory. */
export async function createTestContext(env: Env = {}): Promise<TestContext> {
  const config = loadConfig({ ...TEST_ENV, ...env });
  const [database, directory] = await Promise.all([createTestDatabase(), startTestDirectory()]);
  const clock = {
    now: new Date(),
    set(d: Date) {
      clock.now = d;
    },
    advance(ms: number) {
      clock.now = new Date(clock.now.getTime() + ms);
    },
  };
  // the same wiring as the server (src/server.ts): every service built once by buildContainer
  const services: Services = buildContainer({
    config,
    db: database.db,
    directory: createDirectory(directory.config),
    logger: createLogger('silent'),
    clock: () => clock.now,
    demoAccounts: directory.kind === 'demo' ? demoAccounts() : undefined,
  });
  const app = createApp(config, services);
  return {
    app,
    config,
    database,
    directory,
    services,
    clock,
    close: async () => {
      await Promise.all([database.close(), directory.close()]);
    },
  };
}
