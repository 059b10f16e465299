import type { Knex } from 'knex';
import { DirectoryUnavailableError, type Directory } from '../../directory/directory';
import type { SessionUser } from '../../directory/user';
import { createNotifier } from '../../requests/notify';
import type { FieldError } from '../../web/forms';
import { readCsv } from '../csv';
import { csvProblemErrors } from '../csv-messages';
import { findUpload, markConsumed, storeUpload, takeUpload } from '../uploads';
import { error } from '../web';
import { checkImport, type CheckedRow } from './check';
import { IMPORT_COLUMNS, IMPORT_LIMITS, IMPORT_REQUIRED } from './columns';
import { memoDirectory } from './people';
import { importRows } from './run';

/** A dry run: `rows` when the file itself could be read, `token` when every row is clean and the file staged. */
export interface ImportCheck {
  errors: FieldError[];
  rows?: CheckedRow[];
  token?: string;
}

export type ImportOutcome =
  | { kind: 'gone' | 'used' | 'expired' | 'done' }
  | { kind: 'problems'; csv: string; errors: FieldError[]; rows?: CheckedRow[] }
  /** The transaction failed and was rolled back: nothing was imported. */
  | { kind: 'failed'; csv: string; err: unknown };

/**
 * Bulk import of the existing inventory. A dry run checks every row and shows what would
 * happen; a clean upload is kept under a token (in the database), and the run checks it
 * again and imports it in one transaction, all or nothing.
 */
export function createImportService(deps: { db: Knex; directory: Directory; baseUrl: string; clock: () => Date }) {
  const { db, clock } = deps;

  /** Reads and checks a CSV against the register as `q` sees it. */
  async function dryRun(
    text: string,
    directory: ReturnType<typeof memoDirectory>,
    q: Knex | Knex.Transaction,
  ): Promise<{ errors: FieldError[]; rows?: CheckedRow[] }> {
    const table = readCsv(text, { columns: IMPORT_COLUMNS, required: IMPORT_REQUIRED, limits: IMPORT_LIMITS });
    if (!table.ok) return { errors: csvProblemErrors(table.problems) };
    let rows: CheckedRow[];
    try {
      rows = await checkImport(q, directory, table.table.records, clock());
    } catch (err) {
      if (err instanceof DirectoryUnavailableError) return { errors: [error('csv', 'admin.error.directoryDown')] };
      throw err;
    }
    const bad = rows.filter((r) => r.problems.length > 0).length;
    return { errors: bad ? [error('csv', 'admin.import.error.rows', { count: bad })] : [], rows };
  }

  return {
    async check(actor: SessionUser, text: string): Promise<ImportCheck> {
      const checked = await dryRun(text, memoDirectory(deps.directory), db);
      if (checked.errors.length > 0 || !checked.rows) return checked;
      const token = await storeUpload(db, 'presences', actor.uid, text, checked.rows.length, clock());
      return { ...checked, token };
    },

    async run(actor: SessionUser, token: string): Promise<ImportOutcome> {
      const now = clock();
      const directory = memoDirectory(deps.directory);
      const notify = createNotifier({ baseUrl: deps.baseUrl, directory });
      try {
        return await db.transaction(async (trx): Promise<ImportOutcome> => {
          // one import at a time: two imports of overlapping files must not both pass the check
          await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', ['admin_import_presences']);
          const upload = await takeUpload(trx, token, 'presences', actor.uid, now);
          if (upload === 'used' || upload === 'expired') return { kind: upload };
          if (!upload) return { kind: 'gone' };
          const checked = await dryRun(upload.content, directory, trx);
          if (checked.errors.length > 0 || !checked.rows) {
            // the register changed since the dry run: nothing is imported
            const errors = checked.rows
              ? [error('csv', 'admin.import.error.changed'), ...checked.errors]
              : checked.errors;
            return { kind: 'problems', csv: upload.content, errors, ...(checked.rows ? { rows: checked.rows } : {}) };
          }
          const result = await importRows(trx, checked.rows, {
            admin: { uid: actor.uid, name: actor.name, email: actor.email ?? null },
            notify,
            now,
            token,
          });
          await markConsumed(
            trx,
            token,
            {
              created: result.created,
              firstId: result.firstId,
              lastId: result.lastId,
              definitionVersion: result.definitionVersion,
            },
            now,
          );
          return { kind: 'done' };
        });
      } catch (err) {
        // all or nothing: the transaction is rolled back; the page says so and shows the file again
        const upload = await findUpload(db, token, 'presences', actor.uid);
        return { kind: 'failed', csv: upload?.content ?? '', err };
      }
    },

    /** A finished import's counts, for the administrator who ran it. */
    async result(actor: SessionUser, token: string) {
      const upload = await findUpload(db, token, 'presences', actor.uid);
      return upload?.consumed_at ? { result: upload.result ?? {}, rowCount: upload.row_count } : undefined;
    },
  };
}

export type ImportService = ReturnType<typeof createImportService>;
