import type { Request, Response, Router } from 'express';
import { DirectoryUnavailableError } from '../../directory/directory';
import { unitTree, type OrgUnit } from '../../registry/org-units';
import { HttpError } from '../../web/errors';
import type { FieldError } from '../../web/forms';
import { renderPage } from '../../web/render';
import { LIMITS } from '../../limits';
import { csvTextOf } from '../body';
import { readCsv } from '../csv';
import { csvProblemErrors } from '../csv-messages';
import { findUpload, markConsumed, storeUpload, takeUpload } from '../uploads';
import type { AdminDeps } from '../deps';
import { BASE, currentUser, error, field, isUniqueViolation, pathId } from '../web';
import { UNIT_KINDS, createUnitService, descendants, emptyUnitForm, unitToForm, type UnitForm } from './service';
import { UNIT_COLUMNS, UNIT_LIMITS, UNIT_REQUIRED, applyUnitImport, planUnitImport, type UnitRow } from './import';

const U = `${BASE}/organisationseinheiten`;

const readForm = (body: unknown): UnitForm => ({
  code: field(body, 'code'),
  name: field(body, 'name'),
  kurzname: field(body, 'kurzname'),
  art: field(body, 'art'),
  oberhalb: field(body, 'oberhalb'),
  hannoverDe: field(body, 'hannoverDe'),
  reihenfolge: field(body, 'reihenfolge') || '0',
});

/** Organisational units: tree, create, rename, move, retire, heads and deputies, CSV import. */
export function registerUnitRoutes(router: Router, deps: AdminDeps) {
  const { db } = deps;
  const service = createUnitService(deps);

  router.get('/organisationseinheiten', async (req, res) => {
    const units = await service.all();
    const heads = await db('org_unit_heads')
      .select('org_unit_id', 'uid', 'name', 'kind')
      .orderBy([{ column: 'kind', order: 'desc' }, { column: 'name' }]);
    const presences: Array<{ org_unit_id: number; n: number | string }> = await db('presences')
      .where({ status: 'active' })
      .groupBy('org_unit_id')
      .select('org_unit_id')
      .count({ n: '*' });
    await renderPage(res, 'admin/units/list', {
      title: res.locals.t('admin.units.title'),
      nodes: nest(units),
      heads,
      presenceCounts: Object.fromEntries(presences.map((p) => [p.org_unit_id, Number(p.n)])),
      notice: noticeOf(req),
    });
  });

  async function showForm(
    res: Response,
    opts: {
      unit?: OrgUnit;
      values: UnitForm;
      errors?: FieldError[];
      status?: number;
      headValues?: { leitung: string; funktion: string };
      retireReason?: string;
      notice?: string;
    },
  ) {
    const units = await service.all();
    const excluded = new Set(opts.unit ? [opts.unit.id] : []);
    const heads = opts.unit
      ? await db('org_unit_heads')
          .where({ org_unit_id: opts.unit.id })
          .orderBy([{ column: 'kind', order: 'desc' }, { column: 'name' }])
      : [];
    const presenceCount = opts.unit
      ? Number((await db('presences').where({ org_unit_id: opts.unit.id }).count({ n: '*' }))[0]?.n ?? 0)
      : 0;
    await renderPage(
      res,
      'admin/units/form',
      {
        title: opts.unit
          ? res.locals.t('admin.units.editTitle', { name: opts.unit.name })
          : res.locals.t('admin.units.newTitle'),
        unit: opts.unit,
        values: opts.values,
        errors: opts.errors ?? [],
        parents: unitTree(units)
          .filter((n) => !excluded.has(n.unit.id) && (!n.unit.retired_at || n.unit.code === opts.values.oberhalb))
          .map((n) => ({ value: n.unit.code, label: `${'– '.repeat(n.depth)}${n.unit.name} (${n.unit.code})` })),
        kinds: UNIT_KINDS,
        heads,
        headValues: opts.headValues ?? { leitung: '', funktion: 'head' },
        retireReason: opts.retireReason ?? '',
        children: opts.unit ? descendants(units, opts.unit.id).filter((u) => u.parent_id === opts.unit?.id) : [],
        presenceCount,
        notice: opts.notice,
      },
      opts.status ?? (opts.errors?.length ? 400 : 200),
    );
  }

  async function loadUnit(req: Request) {
    const unit = (await service.all()).find((u) => u.id === pathId(req.params.id));
    if (!unit) throw new HttpError(404);
    return unit;
  }

  router.get('/organisationseinheiten/neu', (_req, res) => showForm(res, { values: emptyUnitForm() }));

  router.post('/organisationseinheiten/neu', async (req, res) => {
    const values = readForm(req.body);
    let outcome;
    try {
      outcome = await service.create(currentUser(req), values);
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      outcome = { ok: false as const, errors: [error('code', 'admin.units.error.codeTaken', { code: values.code })] };
    }
    if (!outcome.ok) return showForm(res, { values, errors: outcome.errors });
    res.redirect(303, res.locals.url(`${U}/${outcome.id}?gespeichert=1`));
  });

  registerUnitImportRoutes(router, deps);

  router.get('/organisationseinheiten/:id', async (req, res) => {
    const unit = await loadUnit(req);
    await showForm(res, { unit, values: unitToForm(unit, await service.all()), notice: noticeOf(req) });
  });

  router.post('/organisationseinheiten/:id', async (req, res) => {
    const unit = await loadUnit(req);
    const values = readForm(req.body);
    let outcome;
    try {
      outcome = await service.update(currentUser(req), unit.id, values);
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      outcome = { ok: false as const, errors: [error('code', 'admin.units.error.codeTaken', { code: values.code })] };
    }
    if (!outcome) throw new HttpError(404);
    if (!outcome.ok) return showForm(res, { unit, values, errors: outcome.errors });
    res.redirect(303, res.locals.url(`${U}/${unit.id}?gespeichert=1`));
  });

  router.post('/organisationseinheiten/:id/aufloesen', async (req, res) => {
    const unit = await loadUnit(req);
    const reason = field(req.body, 'grund');
    if (reason.length > LIMITS.retireReason) {
      return showForm(res, {
        unit,
        values: unitToForm(unit, await service.all()),
        errors: [error('grund', 'admin.error.tooLong', { max: LIMITS.retireReason })],
        retireReason: reason,
      });
    }
    const outcome = await service.retire(currentUser(req), unit.id, reason);
    if (!outcome) throw new HttpError(404);
    if (!outcome.ok)
      return showForm(res, {
        unit,
        values: unitToForm(unit, await service.all()),
        errors: outcome.errors,
        status: 409,
        retireReason: reason,
      });
    res.redirect(303, res.locals.url(`${U}/${unit.id}?aufgeloest=1`));
  });

  router.post('/organisationseinheiten/:id/reaktivieren', async (req, res) => {
    const unit = await loadUnit(req);
    const outcome = await service.reactivate(currentUser(req), unit.id);
    if (!outcome) throw new HttpError(404);
    if (!outcome.ok)
      return showForm(res, {
        unit,
        values: unitToForm(unit, await service.all()),
        errors: outcome.errors,
        status: 409,
      });
    res.redirect(303, res.locals.url(`${U}/${unit.id}?reaktiviert=1`));
  });

  router.post('/organisationseinheiten/:id/leitung', async (req, res) => {
    const unit = await loadUnit(req);
    const headValues = { leitung: field(req.body, 'leitung'), funktion: field(req.body, 'funktion') };
    let outcome;
    try {
      outcome = await service.addHead(currentUser(req), unit.id, headValues.leitung, headValues.funktion);
    } catch (err) {
      if (!(err instanceof DirectoryUnavailableError)) throw err;
      outcome = { ok: false as const, errors: [error('leitung', 'admin.error.directoryDown')] };
    }
    if (!outcome) throw new HttpError(404);
    if (!outcome.ok)
      return showForm(res, { unit, values: unitToForm(unit, await service.all()), errors: outcome.errors, headValues });
    res.redirect(303, res.locals.url(`${U}/${unit.id}?leitung=1`));
  });

  router.post('/organisationseinheiten/:id/leitung/entfernen', async (req, res) => {
    const unit = await loadUnit(req);
    const outcome = await service.removeHead(currentUser(req), unit.id, field(req.body, 'uid'));
    if (!outcome) throw new HttpError(404);
    res.redirect(303, res.locals.url(`${U}/${unit.id}?leitung=1`));
  });
}

/** CSV import of the tree: dry run first, then one transaction. Registered before /:id. */
function registerUnitImportRoutes(router: Router, deps: AdminDeps) {
  const { db } = deps;
  router.get('/organisationseinheiten/import', (_req, res) => showImport(res, { csv: '' }));

  async function showImport(
    res: Response,
    opts: { csv: string; errors?: FieldError[]; rows?: UnitRow[]; token?: string; status?: number },
  ) {
    await renderPage(
      res,
      'admin/units/import',
      {
        title: res.locals.t('admin.units.import.title'),
        csv: opts.csv,
        errors: opts.errors ?? [],
        rows: opts.rows,
        token: opts.token,
        columns: UNIT_COLUMNS,
        kinds: UNIT_KINDS,
      },
      opts.status ?? (opts.errors?.length ? 400 : 200),
    );
  }

  /** Checks CSV text; the plan when the file itself could be read. */
  async function check(text: string): Promise<{ errors: FieldError[]; rows?: UnitRow[] }> {
    const table = readCsv(text, { columns: UNIT_COLUMNS, required: UNIT_REQUIRED, limits: UNIT_LIMITS });
    if (!table.ok) return { errors: csvProblemErrors(table.problems) };
    const rows = await planUnitImport(db, table.table.records);
    const bad = rows.filter((r) => r.problems.length > 0).length;
    return { errors: bad ? [error('csv', 'admin.import.error.rows', { count: bad })] : [], rows };
  }

  router.post('/organisationseinheiten/import', async (req, res) => {
    const text = csvTextOf(req);
    if (!text.ok) return showImport(res, { csv: '', errors: csvProblemErrors([text.problem]) });
    const checked = await check(text.text);
    const token =
      checked.errors.length === 0 && checked.rows
        ? await storeUpload(db, 'org_units', currentUser(req).uid, text.text, checked.rows.length, deps.clock())
        : undefined;
    await showImport(res, {
      csv: text.text,
      errors: checked.errors,
      ...(checked.rows ? { rows: checked.rows } : {}),
      ...(token ? { token } : {}),
    });
  });

  router.post('/organisationseinheiten/import/ausfuehren', async (req, res) => {
    const me = currentUser(req);
    const token = field(req.body, 'token');
    const now = deps.clock();
    const outcome = await db.transaction(async (trx) => {
      const upload = await takeUpload(trx, token, 'org_units', me.uid, now);
      if (upload === 'used') return { kind: 'used' as const };
      if (upload === 'expired') return { kind: 'expired' as const };
      if (!upload) return { kind: 'gone' as const };
      const table = readCsv(upload.content, { columns: UNIT_COLUMNS, required: UNIT_REQUIRED, limits: UNIT_LIMITS });
      if (!table.ok)
        return { kind: 'problems' as const, csv: upload.content, errors: csvProblemErrors(table.problems) };
      const rows = await planUnitImport(trx, table.table.records);
      if (rows.some((r) => r.problems.length))
        return {
          kind: 'problems' as const,
          csv: upload.content,
          rows,
          errors: [error('csv', 'admin.import.error.changed')],
        };
      const result = await applyUnitImport(trx, rows, me, now, token);
      await markConsumed(trx, token, result, now);
      return { kind: 'done' as const, result };
    });
    if (outcome.kind === 'gone') throw new HttpError(404);
    if (outcome.kind === 'expired')
      return showImport(res, { csv: '', errors: [error('csv', 'admin.import.error.expired')], status: 409 });
    if (outcome.kind === 'used') return res.redirect(303, res.locals.url(`${U}/import/${token}`));
    if (outcome.kind === 'problems')
      return showImport(res, {
        csv: outcome.csv,
        errors: outcome.errors,
        ...(outcome.rows ? { rows: outcome.rows } : {}),
        status: 409,
      });
    res.redirect(303, res.locals.url(`${U}/import/${token}`));
  });

  router.get('/organisationseinheiten/import/:token', async (req, res) => {
    const upload = await findUpload(db, String(req.params.token), 'org_units', currentUser(req).uid);
    if (!upload?.consumed_at) throw new HttpError(404);
    await renderPage(res, 'admin/units/import-done', {
      title: res.locals.t('admin.units.import.doneTitle'),
      result: upload.result ?? {},
    });
  });
}

interface TreeNode {
  unit: OrgUnit;
  children: TreeNode[];
}

/** The units as a nested tree (siblings in unitTree's order; units of an unknown parent at the top). */
function nest(units: OrgUnit[]): TreeNode[] {
  const nodes = new Map<number, TreeNode>();
  const roots: TreeNode[] = [];
  for (const { unit } of unitTree(units)) nodes.set(unit.id, { unit, children: [] });
  for (const { unit } of unitTree(units)) {
    const node = nodes.get(unit.id) as TreeNode;
    const parent = unit.parent_id ? nodes.get(unit.parent_id) : undefined;
    (parent ? parent.children : roots).push(node);
  }
  return roots;
}

function noticeOf(req: Request): string | undefined {
  if (req.query.gespeichert) return 'admin.notice.saved';
  if (req.query.aufgeloest) return 'admin.units.notice.retired';
  if (req.query.reaktiviert) return 'admin.units.notice.reactivated';
  if (req.query.leitung) return 'admin.units.notice.heads';
  return undefined;
}
