import { loadConfig, demoDirectoryConfig } from '../config';
import { openDatabase, migrateLatest } from '../db/knex';
import { createDirectory } from '../directory/directory';
import { startDemoDirectory } from '../directory/demo-server';
import { seedDemo } from '../demo/seed';

/**
 * `npm run seed:demo`: demo organisation, presences and requests in the configured database
 * (for a staging system on PostgreSQL). Uses the configured directory, or the demo one.
 */
async function main() {
  const config = loadConfig();
  if (config.env === 'production') throw new Error('Demo data is never written to a production database.');
  const database = await openDatabase(config);
  const demo = config.directory ? undefined : await startDemoDirectory(0);
  try {
    await migrateLatest(database.db);
    const directory = createDirectory(config.directory ?? demoDirectoryConfig((demo as { url: string }).url));
    const created = await seedDemo(database.db, directory, () => new Date(), config.baseUrl);
    console.log(created ? 'Demo data created.' : 'The database already has requests; nothing was changed.');
  } finally {
    await demo?.close();
    await database.close();
  }
}
main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
