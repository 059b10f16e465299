import { loadConfig } from '../config';
import { openDatabase, migrateLatest } from '../db/knex';

/** `npm run migrate`: bring the configured database to the latest schema. */
async function main() {
  const config = loadConfig();
  const database = await openDatabase(config);
  try {
    const applied = await migrateLatest(database.db);
    console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Database is up to date.');
  } finally {
    await database.close();
  }
}
main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
