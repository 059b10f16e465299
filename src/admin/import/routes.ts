import type { Request, Response, Router } from 'express';
import { DirectoryUnavailableError } from '../../directory/directory';
import { createNotifier } from '../../requests/notify';
import { HttpError } from '../../web/errors';
import type { FieldError } from '../../web/forms';
import { renderPage } from '../../web/render';
import { csvTextOf } from '../body';
import { readCsv } from '../csv';
import { csvProblemErrors } from '../csv-messages';
import type { AdminDeps } from '../deps';
import { findUpload, markConsumed, storeUpload, takeUpload } from '../uploads';
import { BASE, currentUser, error, field, sendCsv } from '../web';
import { checkImport, type CheckedRow } from './check';
import { IMPORT_COLUMNS, IMPORT_LIMITS, IMPORT_REQUIRED, MAX_EDITORS, MIN_EDITORS, importTemplate } from './columns';
import { memoDirectory } from './people';
import { importRows } from './run';

/** Where the dry run is posted: the only admin route that needs a large form body. */
export const IMPORT_CHECK_PATH = `${BASE}/import/pruefen`;

/**
 * Bulk import of the existing inventory. A dry run checks every row and shows what would
 * happen; a clean upload is kept under a token (in the database), and "import now" checks it
 * again and imports it in one transaction, all or nothing. Without JavaScript there is no
 * live progress: the result page comes when the import is done and shows the counts.
 */
export function registerImportRoutes(router: Router, deps: AdminDeps) {
  const { db, config, clock } = deps;

  async function show(
    res: Response,
    opts: { csv: string; errors?: FieldError[]; rows?: CheckedRow[]; token?: string; status?: number },
  ) {
    const rows = opts.rows ?? [];
    await renderPage(
      res,
      'admin/import/form',
      {
        title: res.locals.t('admin.import.title'),
        csv: opts.csv,
        errors: opts.errors ?? [],
        checked: opts.rows !== undefined,
        rows,
        badRows: rows.filter((r) => r.problems.length > 0),
        goodRows: rows.filter((r) => r.problems.length === 0),
        token: opts.token,
        columns: IMPORT_COLUMNS,
        required: IMPORT_REQUIRED,
        limits: { maxMb: Math.round(IMPORT_LIMITS.maxBytes / 1_048_576), maxRows: IMPORT_LIMITS.maxRows },
        editors: { min: MIN_EDITORS, max: MAX_EDITORS },
      },
      opts.status ?? (opts.errors?.length ? 400 : 200),
    );
  }

  /** Reads and checks a CSV; rows are present when the file itself could be read. */
  async function dryRun(
    text: string,
    q = db as Parameters<typeof checkImport>[0],
  ): Promise<{ errors: FieldError[]; rows?: CheckedRow[] }> {
    const table = readCsv(text, { columns: IMPORT_COLUMNS, required: IMPORT_REQUIRED, limits: IMPORT_LIMITS });
    if (!table.ok) return { errors: csvProblemErrors(table.problems) };
    let rows: CheckedRow[];
    try {
      rows = await checkImport(q, memoDirectory(deps.directory), table.table.records, clock());
    } catch (err) {
      if (err instanceof DirectoryUnavailableError) return { errors: [error('csv', 'admin.error.directoryDown')] };
      throw err;
    }
    const bad = rows.filter((r) => r.problems.length > 0).length;
    return { errors: bad ? [error('csv', 'admin.import.error.rows', { count: bad })] : [], rows };
  }

  router.get('/import', (_req, res) => show(res, { csv: '' }));

  router.get('/import/vorlage.csv', (_req, res) => sendCsv(res, 'vorlage-bestand.csv', importTemplate()));

  router.post('/import/pruefen', async (req, res) => {
    const text = csvTextOf(req);
    if (!text.ok) return show(res, { csv: '', errors: csvProblemErrors([text.problem]) });
    const checked = await dryRun(text.text);
    let token: string | undefined;
    if (checked.errors.length === 0 && checked.rows) {
      token = await storeUpload(db, 'presences', currentUser(req).uid, text.text, checked.rows.length, clock());
    }
    await show(res, {
      csv: text.text,
      errors: checked.errors,
      ...(checked.rows ? { rows: checked.rows } : {}),
      ...(token ? { token } : {}),
    });
  });

  router.post('/import/ausfuehren', async (req, res) => {
    const me = currentUser(req);
    const token = field(req.body, 'token');
    const now = clock();
    const directory = memoDirectory(deps.directory);
    const notify = createNotifier({ baseUrl: config.baseUrl, directory });
    let outcome:
      | { kind: 'gone' | 'used' | 'expired' }
      | { kind: 'problems'; csv: string; errors: FieldError[]; rows?: CheckedRow[] }
      | { kind: 'done' };
    try {
      outcome = await db.transaction(async (trx) => {
        // one import at a time: two imports of overlapping files must not both pass the check
        await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', ['admin_import_presences']);
        const upload = await takeUpload(trx, token, 'presences', me.uid, now);
        if (upload === 'used' || upload === 'expired') return { kind: upload };
        if (!upload) return { kind: 'gone' as const };
        const checked = await dryRun(upload.content, trx);
        if (checked.errors.length > 0 || !checked.rows) {
          // the register changed since the dry run: nothing is imported
          const errors = checked.rows
            ? [error('csv', 'admin.import.error.changed'), ...checked.errors]
            : checked.errors;
          return {
            kind: 'problems' as const,
            csv: upload.content,
            errors,
            ...(checked.rows ? { rows: checked.rows } : {}),
          };
        }
        const result = await importRows(trx, checked.rows, {
          admin: { uid: me.uid, name: me.name, email: me.email ?? null },
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
        return { kind: 'done' as const };
      });
    } catch (err) {
      // all or nothing: the transaction is rolled back; say so instead of a bare error page
      req.log?.error({ err }, 'bulk import failed');
      const upload = await findUpload(db, token, 'presences', me.uid);
      return show(res, {
        csv: upload?.content ?? '',
        errors: [error('csv', 'admin.import.error.failed')],
        status: 500,
      });
    }
    if (outcome.kind === 'gone') throw new HttpError(404);
    if (outcome.kind === 'expired')
      return show(res, { csv: '', errors: [error('csv', 'admin.import.error.expired')], status: 409 });
    if (outcome.kind === 'problems')
      return show(res, {
        csv: outcome.csv,
        errors: outcome.errors,
        ...(outcome.rows ? { rows: outcome.rows } : {}),
        status: 409,
      });
    res.redirect(303, res.locals.url(`${BASE}/import/ergebnis/${token}`));
  });

  router.get('/import/ergebnis/:token', async (req: Request, res) => {
    const upload = await findUpload(db, String(req.params.token), 'presences', currentUser(req).uid);
    if (!upload?.consumed_at) throw new HttpError(404);
    await renderPage(res, 'admin/import/done', {
      title: res.locals.t('admin.import.doneTitle'),
      result: upload.result ?? {},
      rowCount: upload.row_count,
    });
  });
}
