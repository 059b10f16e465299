import { afterAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { openDatabase, type Database } from '../../src/db/knex';

/**
 * The embedded database keeps PostgreSQL's shared memory inside PGlite's WebAssembly memory,
 * which never shrinks: it must start with the small settings of src/db/knex.ts (PGLITE_SETTINGS),
 * on a new data folder and on every later start of the same folder, and still with PGlite's own
 * start parameters (search_path, no worker processes).
 */

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

async function show(database: Database, setting: string): Promise<string> {
  const result = await database.db.raw<{ rows: Array<Record<string, string>> }>(`SHOW ${setting}`);
  return result.rows[0]?.[setting] ?? '';
}

describe('the embedded database (PGlite) settings', () => {
  it('starts with 16MB of shared buffers on a new and on a reopened data folder', { timeout: 120_000 }, async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'smr-pglite-settings-'));
    dirs.push(dataDir);
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: dataDir });
    for (const start of ['new', 'reopened']) {
      const database = await openDatabase(config, undefined, { templateDir: null });
      try {
        expect(database.kind).toBe('pglite');
        expect(database.created, start).toBe(start === 'new' ? 'initdb' : 'existing');
        expect(await show(database, 'shared_buffers'), start).toBe('16MB');
        expect(await show(database, 'wal_buffers'), start).toBe('512kB');
        // PGlite's own start parameters are kept, not replaced
        expect(await show(database, 'search_path'), start).toBe('public');
        expect(await show(database, 'max_worker_processes'), start).toBe('0');
      } finally {
        await database.close();
      }
    }
  });
});
