import type { Request, Response, Router } from 'express';
import { HttpError } from '../../web/errors';
import type { FieldError } from '../../web/forms';
import { renderPage } from '../../web/render';
import { csvTextOf } from '../body';
import { csvProblemErrors } from '../csv-messages';
import type { AdminDeps } from '../deps';
import { importRunSchema, parseControls, tokenParam } from '../input';
import { BASE, currentUser, error, localUrl, sendCsv } from '../web';
import type { CheckedRow } from './check';
import { IMPORT_COLUMNS, IMPORT_LIMITS, IMPORT_REQUIRED, MAX_EDITORS, MIN_EDITORS, importTemplate } from './columns';

/** Where the dry run is posted: the only admin route that needs a large form body. */
export const IMPORT_CHECK_PATH = `${BASE}/import/pruefen`;

/**
 * Bulk import of the existing inventory. A dry run checks every row and shows what would
 * happen; a clean upload is kept under a token (in the database), and "import now" checks it
 * again and imports it in one transaction, all or nothing. Without JavaScript there is no
 * live progress: the result page comes when the import is done and shows the counts.
 */
export function registerImportRoutes(router: Router, deps: AdminDeps) {
  const imports = deps.imports;

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

  router.get('/import', (_req, res) => show(res, { csv: '' }));

  router.get('/import/vorlage.csv', (_req, res) => sendCsv(res, 'vorlage-bestand.csv', importTemplate()));

  router.post('/import/pruefen', async (req, res) => {
    const text = csvTextOf(req);
    if (!text.ok) return show(res, { csv: '', errors: csvProblemErrors([text.problem]) });
    const checked = await imports.check(currentUser(req), text.text);
    await show(res, {
      csv: text.text,
      errors: checked.errors,
      ...(checked.rows ? { rows: checked.rows } : {}),
      ...(checked.token ? { token: checked.token } : {}),
    });
  });

  router.post('/import/ausfuehren', async (req, res) => {
    const { token } = parseControls(importRunSchema, req.body);
    const outcome = await imports.run(currentUser(req), token);
    if (outcome.kind === 'failed') {
      // all or nothing: the transaction was rolled back; say so instead of a bare error page
      req.log?.error({ err: outcome.err }, 'bulk import failed');
      return show(res, { csv: outcome.csv, errors: [error('csv', 'admin.import.error.failed')], status: 500 });
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
    res.redirect(303, localUrl(res, `${BASE}/import/ergebnis/${token}`));
  });

  router.get('/import/ergebnis/:token', async (req: Request, res) => {
    const token = tokenParam(req.params.token);
    const done = token ? await imports.result(currentUser(req), token) : undefined;
    if (!done) throw new HttpError(404);
    await renderPage(res, 'admin/import/done', {
      title: res.locals.t('admin.import.doneTitle'),
      result: done.result,
      rowCount: done.rowCount,
    });
  });
}
