import type { Request, Response, Router } from 'express';
import { DirectoryUnavailableError } from '../../directory/directory';
import { unitTree, type OrgUnit } from '../../registry/org-units';
import { HttpError } from '../../web/errors';
import type { FieldError } from '../../web/forms';
import { renderPage } from '../../web/render';
import type { MessageKey } from '../../i18n/keys';
import { csvTextOf } from '../body';
import { csvProblemErrors } from '../csv-messages';
import type { AdminDeps } from '../deps';
import { importRunSchema, parseControls, parseForm, readNotices, tokenParam } from '../input';
import { BASE, currentUser, error, isUniqueViolation, localUrl, pathId } from '../web';
import { UNIT_KINDS, descendants, emptyUnitForm, unitToForm, type UnitForm } from './service';
import { UNIT_COLUMNS, type UnitRow } from './import';
import { UNIT_NOTICES, headSchema, removeHeadSchema, retireSchema, unitFormSchema } from './schemas';

const U = `${BASE}/organisationseinheiten`;

/** The unit form as typed (a repeated field is a 400); the service checks it with unitFormSchema. */
function readForm(body: unknown): UnitForm {
  const { values } = parseForm(unitFormSchema, body);
  return {
    code: values.code ?? '',
    name: values.name ?? '',
    kurzname: values.kurzname ?? '',
    art: values.art ?? '',
    oberhalb: values.oberhalb ?? '',
    hannoverDe: values.hannoverDe ?? '',
    reihenfolge: values.reihenfolge || '0',
  };
}

/** Organisational units: tree, create, rename, move, retire, heads and deputies, CSV import. */
export function registerUnitRoutes(router: Router, deps: AdminDeps) {
  const service = deps.units;

  router.get('/organisationseinheiten', async (req, res) => {
    const { units, heads, activePresences } = await service.overview();
    await renderPage(res, 'admin/units/list', {
      title: res.locals.t('admin.units.title'),
      nodes: nest(units),
      heads,
      presenceCounts: Object.fromEntries(activePresences),
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
    const { heads, presenceCount } = opts.unit ? await service.details(opts.unit.id) : { heads: [], presenceCount: 0 };
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
    const unit = await service.get(pathId(req.params.id));
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
    res.redirect(303, localUrl(res, `${U}/${outcome.id}?gespeichert=1`));
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
    res.redirect(303, localUrl(res, `${U}/${unit.id}?gespeichert=1`));
  });

  router.post('/organisationseinheiten/:id/aufloesen', async (req, res) => {
    const unit = await loadUnit(req);
    const form = parseForm(retireSchema, req.body);
    const reason = form.values.grund ?? '';
    if (!form.ok) {
      return showForm(res, {
        unit,
        values: unitToForm(unit, await service.all()),
        errors: form.errors,
        retireReason: reason,
      });
    }
    const outcome = await service.retire(currentUser(req), unit.id, form.data.grund);
    if (!outcome) throw new HttpError(404);
    if (!outcome.ok)
      return showForm(res, {
        unit,
        values: unitToForm(unit, await service.all()),
        errors: outcome.errors,
        status: 409,
        retireReason: reason,
      });
    res.redirect(303, localUrl(res, `${U}/${unit.id}?aufgeloest=1`));
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
    res.redirect(303, localUrl(res, `${U}/${unit.id}?reaktiviert=1`));
  });

  router.post('/organisationseinheiten/:id/leitung', async (req, res) => {
    const unit = await loadUnit(req);
    const form = parseForm(headSchema, req.body);
    const headValues = { leitung: form.values.leitung ?? '', funktion: form.values.funktion ?? '' };
    if (!form.ok)
      return showForm(res, { unit, values: unitToForm(unit, await service.all()), errors: form.errors, headValues });
    let outcome;
    try {
      outcome = await service.addHead(currentUser(req), unit.id, form.data.leitung, form.data.funktion);
    } catch (err) {
      if (!(err instanceof DirectoryUnavailableError)) throw err;
      outcome = { ok: false as const, errors: [error('leitung', 'admin.error.directoryDown')] };
    }
    if (!outcome) throw new HttpError(404);
    if (!outcome.ok)
      return showForm(res, { unit, values: unitToForm(unit, await service.all()), errors: outcome.errors, headValues });
    res.redirect(303, localUrl(res, `${U}/${unit.id}?leitung=1`));
  });

  router.post('/organisationseinheiten/:id/leitung/entfernen', async (req, res) => {
    const unit = await loadUnit(req);
    const { uid } = parseControls(removeHeadSchema, req.body);
    const outcome = await service.removeHead(currentUser(req), unit.id, uid);
    if (!outcome) throw new HttpError(404);
    res.redirect(303, localUrl(res, `${U}/${unit.id}?leitung=1`));
  });
}

/** CSV import of the tree: dry run first, then one transaction. Registered before /:id. */
function registerUnitImportRoutes(router: Router, deps: AdminDeps) {
  const imports = deps.unitImport;
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

  router.post('/organisationseinheiten/import', async (req, res) => {
    const text = csvTextOf(req);
    if (!text.ok) return showImport(res, { csv: '', errors: csvProblemErrors([text.problem]) });
    const checked = await imports.check(currentUser(req), text.text);
    await showImport(res, {
      csv: text.text,
      errors: checked.errors,
      ...(checked.rows ? { rows: checked.rows } : {}),
      ...(checked.token ? { token: checked.token } : {}),
    });
  });

  router.post('/organisationseinheiten/import/ausfuehren', async (req, res) => {
    const { token } = parseControls(importRunSchema, req.body);
    const outcome = await imports.run(currentUser(req), token);
    if (outcome.kind === 'gone') throw new HttpError(404);
    if (outcome.kind === 'expired')
      return showImport(res, { csv: '', errors: [error('csv', 'admin.import.error.expired')], status: 409 });
    if (outcome.kind === 'used') return res.redirect(303, localUrl(res, `${U}/import/${token}`));
    if (outcome.kind === 'problems')
      return showImport(res, {
        csv: outcome.csv,
        errors: outcome.errors,
        ...(outcome.rows ? { rows: outcome.rows } : {}),
        status: 409,
      });
    res.redirect(303, localUrl(res, `${U}/import/${token}`));
  });

  router.get('/organisationseinheiten/import/:token', async (req, res) => {
    const token = tokenParam(req.params.token);
    const result = token ? await imports.result(currentUser(req), token) : undefined;
    if (!result) throw new HttpError(404);
    await renderPage(res, 'admin/units/import-done', {
      title: res.locals.t('admin.units.import.doneTitle'),
      result,
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

function noticeOf(req: Request): MessageKey | undefined {
  const notices = readNotices(req.query, UNIT_NOTICES);
  if (notices.has('gespeichert')) return 'admin.notice.saved';
  if (notices.has('aufgeloest')) return 'admin.units.notice.retired';
  if (notices.has('reaktiviert')) return 'admin.units.notice.reactivated';
  if (notices.has('leitung')) return 'admin.units.notice.heads';
  return undefined;
}
