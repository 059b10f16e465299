import { Router, type Request } from 'express';
import type { Knex } from 'knex';
import type { SessionUser } from '../directory/user';
import { notFound } from '../web/errors';
import { renderPage } from '../web/render';
import { pathId } from '../web/forms';
import { stepsAwaitingEditors, type Instance } from '../workflow/core';
import type { WorkflowDefinition } from '../workflow/definition';
import { headsForUnit, unitByCode } from '../registry/org-units';
import { currentTexts } from '../guidelines/store';
import * as store from './store';
import { RequestError } from './errors';
import type { RequestService } from './service';
import { draftDeleteRefusal, isNeverSubmittedDraft } from '../policy/access';

/** An open step and who decides it, for the "what happens next" panel. */
export interface NextDecider {
  stepId: string;
  stepName: { de: string; en: string };
  /** unit head: the unit ("41 Fachbereich Kultur") and the heads' names; else the deciding role. */
  unit?: string;
  names?: string[];
  role?: string;
}

export interface AwaitingEditors {
  stepId: string;
  stepName: { de: string; en: string };
  names: string[];
  since: Date | undefined;
}

/**
 * What the request page says about the next step: who decides the open steps, which step
 * waits for the editors' confirmation (of whom, since when), and the texts they confirm.
 */
export async function nextStepView(
  db: Knex,
  service: RequestService,
  request: store.RequestRow,
  editors: store.EditorRow[],
  definition: WorkflowDefinition | undefined,
  instance: Instance | undefined,
) {
  const confirmed = await service.editorConfirmations(editors.map((e) => e.uid));
  const texts = await currentTexts(db);
  const deciders: NextDecider[] = [];
  const awaiting: AwaitingEditors[] = [];
  if (definition && instance && instance.status === 'in_review') {
    for (const step of definition.steps) {
      if (instance.steps[step.id]?.state !== 'open') continue;
      if (step.decider.kind === 'unit_head') {
        const unit = await unitByCode(db, instance.unit);
        const heads = await headsForUnit(db, instance.unit);
        deciders.push({
          stepId: step.id,
          stepName: step.name,
          unit: unit ? `${unit.code} ${unit.name}` : instance.unit,
          names: (heads.some((h) => h.kind === 'head') ? heads.filter((h) => h.kind === 'head') : heads).map(
            (h) => h.name,
          ),
        });
      } else {
        deciders.push({ stepId: step.id, stepName: step.name, role: step.decider.role });
      }
    }
    const editorsConfirmed = editors.length >= 2 && editors.every((e) => confirmed.has(e.uid));
    for (const stepId of stepsAwaitingEditors(definition, instance, { editorsConfirmed })) {
      const step = definition.steps.find((s) => s.id === stepId);
      const asked = await db('history')
        .where({ request_id: request.id, action: 'workflow.editor_confirmation_needed' })
        .orderBy('id', 'desc')
        .first('at');
      awaiting.push({
        stepId,
        stepName: step?.name ?? { de: stepId, en: stepId },
        names: editors.filter((e) => !confirmed.has(e.uid)).map((e) => e.name),
        since: asked?.at ? new Date(asked.at) : latestDecision(instance),
      });
    }
  }
  return {
    deciders,
    awaiting,
    texts,
    editorConfirmedAt: Object.fromEntries([...confirmed].map(([uid, at]) => [uid, at])) as Record<string, Date>,
    mayDelete: isNeverSubmittedDraft(request),
  };
}

const latestDecision = (instance: Instance): Date | undefined => {
  const times = Object.values(instance.steps).flatMap((s) => (s.decidedAt ? [new Date(s.decidedAt).getTime()] : []));
  return times.length ? new Date(Math.max(...times)) : undefined;
};

/** Reminding editors to confirm, and deleting a draft that was never submitted. */
export function nextStepRoutes(deps: {
  db: Knex;
  service: RequestService;
  clock: () => Date;
  baseUrl: string;
  /** The "may see this request" check (404 for a request someone may not see, as for a missing one). */
  visible: (req: Request, id: number) => Promise<unknown>;
}) {
  const { db, service, baseUrl } = deps;
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
    await deps.visible(req, id);
    const request = await store.getRequest(db, id);
    if (!request) throw notFound();
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
