import { parseArgs } from 'node:util';
import { loadConfig } from '../config';
import { openDatabase, migrateLatest } from '../db/knex';
import { removeSynthetic, seedSynthetic } from '../public/synthetic';

/**
 * `npm run seed:synthetic -- --count N` adds N active synthetic presences (slugs "syn-…",
 * units "SYN.…") to the configured database, for benchmarks and load tests.
 * `npm run seed:synthetic -- --remove` takes them out again. With NODE_ENV=production it
 * refuses unless --force is given (a staging copy of the production setup).
 */
async function main() {
  const { values } = parseArgs({
    options: {
      count: { type: 'string' },
      remove: { type: 'boolean', default: false },
      force: { type: 'boolean', default: false },
    },
    allowPositionals: false,
  });
  const count = Number(values.count ?? (values.remove ? '0' : ''));
  if (!values.remove && (!Number.isInteger(count) || count < 1 || count > 1_000_000)) {
    console.error(
      'Usage: npm run seed:synthetic -- --count N   (1 ≤ N ≤ 1000000)\n       npm run seed:synthetic -- --remove',
    );
    process.exit(64); // EX_USAGE
  }
  const config = loadConfig();
  if (config.env === 'production' && !values.force) {
    console.error('Refusing to touch a production register (NODE_ENV=production). For a staging copy add --force.');
    process.exit(78);
  }
  const database = await openDatabase(config);
  try {
    await migrateLatest(database.db);
    if (values.remove) {
      console.log(`Removed ${await removeSynthetic(database.db)} synthetic presences.`);
      return;
    }
    const started = Date.now();
    const added = await seedSynthetic(database.db, count);
    const total = (await database.db('presences').where({ status: 'active' }).count({ n: '*' }).first()) as {
      n: number | string;
    };
    console.log(
      `Added ${added} synthetic presences in ${Date.now() - started} ms; ${total.n} active presences in total.`,
    );
  } finally {
    await database.close();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
