import path from 'node:path';
import { loadConfig, demoDirectoryConfig } from '../config';
import { openDatabase, migrateLatest } from '../db/knex';
import { createDirectory } from '../directory/directory';
import { createLogger } from '../web/logging';
import { createApp } from '../app';
import { buildContainer } from '../container';
import { exportStatic } from '../public/export';

/**
 * `npm run export:static -- <folder>`: writes the overview, the presence pages, the data
 * files and the embeddable fragment (with CSS and fonts) for upload to the Hannover.de
 * CMS. Links to dynamic pages (search, verification) go to BASE_URL.
 */
async function main() {
  const outArg = process.argv.slice(2).find((a) => !a.startsWith('-'));
  if (!outArg) {
    console.error('Usage: npm run export:static -- <folder>');
    process.exit(64); // EX_USAGE
  }
  const config = loadConfig();
  const logger = createLogger('warn');
  const database = await openDatabase(config, logger);
  try {
    await migrateLatest(database.db);
    // public pages never talk to the directory; the app only needs one to be built
    const directory = createDirectory(config.directory ?? demoDirectoryConfig('ldap://127.0.0.1:1'));
    const app = createApp(
      config,
      buildContainer({ config, db: database.db, directory, logger, clock: () => new Date() }),
    );
    const result = await exportStatic({ app, db: database.db, outDir: path.resolve(outArg), baseUrl: config.baseUrl });
    console.log(
      `Exported ${result.files.length} files to ${result.outDir} (links to dynamic pages go to ${config.baseUrl}).`,
    );
  } finally {
    await database.close();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
