import type { Response, Router } from 'express';
import { HttpError } from '../../web/errors';
import type { FieldError } from '../../web/forms';
import { renderPage } from '../../web/render';
import type { AdminDeps } from '../deps';
import { parseForm, parseQuery } from '../input';
import { BASE, currentUser, localUrl, pathId } from '../web';
import { stagesOf, toYaml } from './service';
import { newFromQuery, uploadNotice, uploadSchema } from './schemas';

/** Workflow definitions: every version of every key, drawn as steps; upload of a new version. */
export function registerWorkflowRoutes(router: Router, deps: AdminDeps) {
  const service = deps.workflows;

  router.get('/ablaeufe', async (_req, res) => {
    await renderPage(res, 'admin/workflows/list', {
      title: res.locals.t('admin.workflows.title'),
      groups: await service.list(),
    });
  });

  async function showUpload(res: Response, definition: string, errors: FieldError[] = [], status?: number) {
    await renderPage(
      res,
      'admin/workflows/upload',
      { title: res.locals.t('admin.workflows.uploadTitle'), values: { definition }, errors },
      status ?? (errors.length ? 400 : 200),
    );
  }

  router.get('/ablaeufe/neu', async (req, res) => {
    const { von: from } = parseQuery(newFromQuery, req.query);
    if (from === '') return showUpload(res, '');
    const base = await service.get(pathId(from));
    if (!base) throw new HttpError(404);
    await showUpload(res, toYaml(base.definition));
  });

  router.post('/ablaeufe/neu', async (req, res) => {
    const form = parseForm(uploadSchema, req.body);
    if (!form.ok) return showUpload(res, form.values.definition ?? '', form.errors);
    const text = form.data.definition;
    const result = await service.upload(currentUser(req), text);
    if (!result.ok) return showUpload(res, text, result.errors);
    const renumbered = result.givenVersion !== undefined && result.givenVersion !== result.version;
    res.redirect(
      303,
      localUrl(res, `${BASE}/ablaeufe/${result.id}?neu=1${renumbered ? `&angegeben=${result.givenVersion}` : ''}`),
    );
  });

  router.get('/ablaeufe/:id', async (req, res) => {
    const row = await service.get(pathId(req.params.id));
    if (!row) throw new HttpError(404);
    const notice = uploadNotice.parse(req.query);
    await renderPage(res, 'admin/workflows/show', {
      title: res.locals.t('admin.workflows.showTitle', { key: row.key, version: row.version }),
      row,
      definition: row.definition,
      stages: stagesOf(row.definition),
      yaml: toYaml(row.definition),
      created: notice.neu === '1',
      givenVersion: notice.angegeben,
    });
  });
}
