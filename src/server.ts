import http from 'node:http';
import { loadConfig, ConfigError, demoDirectoryConfig, type Config } from './config';
import { openDatabase, migrateDatabase, type Database } from './db/knex';
import { DataDirLockedError } from './db/lock';
import { createDirectory } from './directory/directory';
import { startDemoDirectory, type DemoDirectory } from './directory/demo-server';
import { demoAccounts } from './directory/demo-accounts';
import { createLogger } from './web/logging';
import { createApp } from './app';
import { buildContainer } from './container';
import { createMailer } from './notifications/mailer';
import { outboxJob } from './notifications/delivery';
import { createScheduler, defaultHolder } from './jobs/scheduler';
import { maintenanceJob } from './jobs/maintenance';
import { reportDigestJob } from './jobs/report-digest';
import { deadlineJob } from './jobs/deadlines';
import { reviewJob, directoryCheckJob } from './presences/lifecycle';
import { reassessmentJob } from './reassessments/job';
import { directorySyncJob } from './people/sync';
import { seedDemo } from './demo/seed';

async function main() {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`The Social-Media-Register cannot start.\n${err.message}`);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
  const logger = createLogger(config.logLevel);
  const started = Date.now();

  let database: Database;
  try {
    database = await openDatabase(config, logger);
  } catch (err) {
    if (err instanceof DataDirLockedError) {
      console.error(err.message);
      process.exit(75); // EX_TEMPFAIL
    }
    throw err;
  }
  if (database.created === 'template') {
    // the template is named after every migration (templateKey): a folder made from it has them
    // all, so asking knex again is 0.15–0.4 s of a fresh start for nothing
    logger.info({ template: database.templateFile }, 'new database loaded from the migrated template');
  } else {
    const applied = await migrateDatabase(database);
    if (applied.length) logger.info({ applied }, 'migrations applied');
  }

  let demo: DemoDirectory | undefined;
  let directoryConfig = config.directory;
  if (!directoryConfig) {
    // loadConfig already refuses production without LDAP_URL; this guards the guard
    if (config.env === 'production') throw new Error('The demo directory never runs in production');
    demo = await startDemoDirectory(config.demoDirectoryPort);
    directoryConfig = demoDirectoryConfig(demo.url);
    logger.warn({ url: demo.url }, 'demo directory active: test accounts with password "demo"');
  }

  const directory = createDirectory(directoryConfig);
  if (demo && config.database.kind === 'pglite') {
    // the embedded default comes with demo data so that every demo user finds something to do
    if (await seedDemo(database.db, directory, () => new Date(), config.baseUrl)) logger.info('demo data created');
  }
  // every service once: the app's routers and the jobs share them
  const services = buildContainer({
    config,
    db: database.db,
    directory,
    logger,
    clock: () => new Date(),
    demoAccounts: demo ? demoAccounts() : undefined,
  });
  const { db } = services;
  const mailer = createMailer(config.mail, logger);
  const scheduler = createScheduler({
    db,
    logger,
    clock: services.clock,
    holder: defaultHolder(),
    jobs: [
      outboxJob(db, mailer, { roles: services.roles }),
      deadlineJob(db, config.baseUrl),
      reviewJob(db, config.baseUrl),
      reassessmentJob(db, config.baseUrl),
      directoryCheckJob(db, directory, config.baseUrl),
      maintenanceJob(db, config, logger),
      reportDigestJob(db, config.baseUrl),
      directorySyncJob(db, directory, logger, config.directorySyncMinutes * 60_000),
    ],
  });
  scheduler.start();

  const app = createApp(config, services);
  const server = http.createServer(app);
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
  logger.info(
    {
      url: `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}`,
      database: database.kind,
      directory: demo ? 'demo' : 'ldap',
      startupMs: Date.now() - started,
      rssMb: Math.round(process.memoryUsage().rss / 1e6),
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    },
    'Social-Media-Register ready',
  );

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    server.close();
    server.closeIdleConnections();
    await scheduler.stop();
    await demo?.close();
    await database.close();
    clearTimeout(force);
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err) => {
  console.error('The Social-Media-Register failed to start:', err);
  process.exit(1);
});
