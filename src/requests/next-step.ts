import { Router, type Request } from 'express';
import type { SessionUser } from '../directory/user';
import { renderPage } from '../web/render';
import { pathId } from '../web/forms';
import { RequestError } from './errors';
import type { RequestService } from './service';
import type { RequestRow } from './store';
import { draftDeleteRefusal } from '../policy/access';

/** Reminding editors to confirm, and deleting a draft that was never submitted. */
export function nextStepRoutes(deps: {
  service: RequestService;
  baseUrl: string;
  /** The "may see this request" check (404 for a request someone may not see, as for a missing one). */
  visible: (req: Request, id: number) => Promise<{ request: RequestRow }>;
}) {
  const { service, baseUrl } = deps;
  const router = Router();
  const user = (req: Request) => req.user as SessionUser;

  router.post('/antraege/:id/erinnern', async (req, res) => {
    const id = pathId(req.params.id);
    await deps.visible(req, id);
    const me = user(req);
    const result = await service.remindEditors(me, id, `${baseUrl}/intern/antraege/${id}`);
    res.redirect(303, res.locals.url(`/intern/antraege/${id}?erinnert=${result.sent.length > 0 ? '1' : '0'}`));
  });

  /** The draft's author only; anything else is refused before a page is shown. */
  async function deletableDraft(req: Request, id: number) {
    const { request } = await deps.visible(req, id);
    const refusal = draftDeleteRefusal(user(req), request);
    if (refusal) throw new RequestError(refusal);
    return request;
  }

  router.get('/antraege/:id/loeschen', async (req, res) => {
    const request = await deletableDraft(req, pathId(req.params.id));
    const name = request.title || res.locals.t('requests.untitled', { id: request.id });
    await renderPage(res, 'requests/delete', { title: res.locals.t('requests.delete.title', { name }), request, name });
  });

  router.post('/antraege/:id/loeschen', async (req, res) => {
    const id = pathId(req.params.id);
    await deletableDraft(req, id);
    await service.deleteDraft(user(req), id);
    res.redirect(303, res.locals.url('/intern?geloescht=1'));
  });

  return router;
}
