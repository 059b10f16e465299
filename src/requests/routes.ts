import { Router, type NextFunction, type Request, type Response } from 'express';
import type { Knex } from 'knex';
import { DirectoryUnavailableError, type Directory } from '../directory/directory';
import type { SessionUser } from '../directory/user';
import { HttpError, notFound } from '../web/errors';
import { renderPage } from '../web/render';
import { datesFor } from '../web/dates';
import { pathId, type FieldError } from '../web/forms';
import type { MessageKey } from '../i18n/keys';
import { listUnits, unitTree, unitById } from '../registry/org-units';
import { historyOfRequest, diffRecords } from '../audit/history';
import { decidableSteps } from '../workflow/core';
import { LIMITS } from '../limits';
import {
  REQUEST_SECTIONS,
  sectionKey,
  emptyRequestData,
  readForm,
  lengthProblems,
  EDITOR_SLOTS,
  TEXT_FIELDS,
  CHECK_FIELDS,
  type RequestData,
  type FormProblem,
} from './form';
import * as store from './store';
import { RequestError } from './errors';
import type { RequestService } from './service';
import { maySeeRequest, mayRemindEditors, mayConfirmAsEditor, requestEditRefusal } from '../policy/access';
import { requestViewer } from '../policy/viewer';
import { nextStepRoutes, nextStepView } from './next-step';
import { readReview, storedSections, type Review } from './review';
import { deskView } from './desk';

const toFieldErrors = (problems: FormProblem[]): FieldError[] =>
  problems.map((p) => ({
    field: p.field,
    message: p.message as MessageKey,
    ...(p.params ? { params: p.params } : {}),
  }));

export interface RequestRouteDeps {
  db: Knex;
  directory: Directory;
  service: RequestService;
  clock: () => Date;
  baseUrl: string;
}

export function requestRoutes(deps: RequestRouteDeps) {
  const { db, directory, service, clock, baseUrl } = deps;
  const router = Router();
  router.use(nextStepRoutes({ db, service, clock, baseUrl, visible: visibleRequest }));
  const user = (req: Request) => req.user as SessionUser;

  async function formChoices() {
    const units = unitTree(await listUnits(db)).filter((u) => u.unit.code !== 'HDE');
    const platforms = await db('platforms').where({ enabled: true }).orderBy('sort_order').select('key', 'name');
    return { units, platforms };
  }

  async function showForm(
    res: Response,
    opts: {
      data: RequestData;
      requestId?: number;
      errors?: FieldError[];
      status?: number;
      search?: { q: string; results: SessionUser[] | undefined };
      returnedComment?: string | null;
      resubmit?: boolean;
      flaggedSections?: number[];
    },
  ) {
    const t = res.locals.t;
    await renderPage(
      res,
      'requests/form',
      {
        title: opts.requestId ? t('requests.form.editTitle') : t('requests.form.newTitle'),
        values: opts.data,
        errors: opts.errors ?? [],
        action: opts.requestId ? `/intern/antraege/${opts.requestId}/bearbeiten` : '/intern/antraege/neu',
        search: opts.search,
        editorSlots: EDITOR_SLOTS,
        returnedComment: opts.returnedComment,
        resubmit: opts.resubmit ?? false,
        flaggedSections: opts.flaggedSections ?? [],
        sections: REQUEST_SECTIONS,
        ...(await formChoices()),
      },
      opts.status ?? (opts.errors?.length ? 400 : 200),
    );
  }

  /**
   * The request if the signed-in person may see it. One they may not see is answered exactly
   * like one that does not exist (404, the same page): no answer of any route, read or
   * state-changing, tells whether an id exists, its state or who decided what. Every route on
   * a request calls this first, before it reads the form or asks the workflow.
   */
  async function visibleRequest(req: Request, id: number) {
    const me = user(req);
    const request = await store.getRequest(db, id);
    if (!request) throw notFound();
    const editors = await store.getEditors(db, id);
    // a deputy sees what their principal may see
    const { viewer, actor } = await requestViewer(db, me, clock());
    if (
      !maySeeRequest(viewer, {
        author_uid: request.author_uid,
        status: request.status,
        unitCode: request.data.orgUnit,
        editorUids: editors.map((e) => e.uid),
      })
    )
      throw notFound();
    return { request, editors, actor, viewer };
  }

  /** A request the signed-in person may edit now: their own, a draft or returned (404/403/409 otherwise). */
  async function editableRequest(req: Request, id: number) {
    const { request } = await visibleRequest(req, id);
    const refusal = requestEditRefusal(user(req), request);
    if (refusal === 'forbidden') throw new HttpError(403);
    if (refusal) throw new RequestError(refusal);
    return request;
  }

  /** The form's buttons: save a draft, submit, search the directory, or add a found person. */
  async function handleForm(req: Request, res: Response, requestId: number | undefined) {
    const data = readForm(req.body ?? {});
    const take = typeof req.body?.uebernehmen === 'string' ? req.body.uebernehmen.trim().toLowerCase() : undefined;
    const aktion = typeof req.body?.aktion === 'string' ? req.body.aktion : 'entwurf';
    // every button of the edit form, the directory search included, is the author's alone
    const existing = requestId ? await editableRequest(req, requestId) : undefined;
    const resubmit = existing?.status === 'returned';
    const q = typeof req.body?.editorSuche === 'string' ? req.body.editorSuche.trim() : '';
    // a refused form keeps the search box's text, too
    const keptSearch = { q, results: undefined };

    if (take !== undefined || aktion === 'suchen') {
      if (take && !data.editors.includes(take) && data.editors.length < EDITOR_SLOTS) data.editors.push(take);
      try {
        const results = aktion === 'suchen' && q ? await directory.search(q.slice(0, LIMITS.search), 10) : undefined;
        await showForm(res, { data, requestId, search: { q: take ? '' : q, results }, resubmit });
      } catch (err) {
        if (!(err instanceof DirectoryUnavailableError)) throw err;
        // the directory is down: the form comes back with everything typed and says so
        await showForm(res, {
          data,
          requestId,
          search: { q, results: undefined },
          resubmit,
          status: 503,
          errors: [{ field: 'editorSuche', message: 'requests.error.directoryDown' }],
        });
      }
      return;
    }
    if (aktion !== 'entwurf' && aktion !== 'einreichen') throw new HttpError(400);
    // nothing over-long is stored, not even as a draft: the form comes back with every entry
    const tooLong = lengthProblems(data);
    if (tooLong.length > 0)
      return showForm(res, { data, requestId, errors: toFieldErrors(tooLong), resubmit, search: keptSearch });

    const id = requestId ?? (await service.create(user(req), data, data.kind === 'existing' ? 'existing' : 'new'));
    if (aktion === 'entwurf') {
      if (requestId) await service.saveDraft(user(req), id, data);
      res.redirect(303, res.locals.url(`/intern/antraege/${id}?gespeichert=1`));
      return;
    }
    const result = await service.submit(user(req), id, data);
    if (!result.ok) {
      const directoryDown = result.problems.some((p) => p.message === 'requests.error.directoryDown');
      await showForm(res, {
        data,
        requestId: id,
        errors: toFieldErrors(result.problems),
        resubmit,
        search: keptSearch,
        ...(directoryDown ? { status: 503 } : {}),
      });
      return;
    }
    res.redirect(303, res.locals.url(`/intern/antraege/${id}?eingereicht=1`));
  }

  router.get('/antraege/neu', async (req, res) => {
    const data = emptyRequestData();
    data.orgUnit = user(req).unit ?? '';
    data.editors = [user(req).uid];
    await showForm(res, { data });
  });
  router.post('/antraege/neu', (req, res) => handleForm(req, res, undefined));

  router.get('/antraege/:id/bearbeiten', async (req, res) => {
    const id = pathId(req.params.id);
    const request = await editableRequest(req, id);
    const returned =
      request.status === 'returned'
        ? await db('decisions')
            .where({ request_id: id, outcome: 'returned' })
            .orderBy('id', 'desc')
            .first('comment', 'sections')
        : undefined;
    await showForm(res, {
      data: request.data,
      requestId: id,
      returnedComment: returned?.comment ?? null,
      flaggedSections: storedSections(returned?.sections),
      resubmit: request.status === 'returned',
    });
  });
  router.post('/antraege/:id/bearbeiten', (req, res) => handleForm(req, res, pathId(req.params.id)));

  router.get('/antraege/:id', (req, res) => showRequest(req, res, pathId(req.params.id)));

  /** The request page; after a failed decision or confirmation it comes back with the errors. */
  async function showRequest(
    req: Request,
    res: Response,
    id: number,
    form: {
      decisionErrors?: FieldError[];
      decisionValues?: Record<string, string | string[]>;
      confirmErrors?: FieldError[];
      withdrawErrors?: FieldError[];
      withdrawValue?: string;
    } = {},
    status = 200,
  ) {
    const me = user(req);
    const now = clock();
    const { request, editors, actor, viewer } = await visibleRequest(req, id);

    const instance = await store.getInstance(db, id);
    const definition = instance ? await store.getDefinition(db, instance.definition_id) : undefined;
    // one person decides at most one step of a request: offer the first they may decide
    const decidable = (definition && instance ? decidableSteps(definition, instance.state, actor) : []).slice(0, 1);
    const history = await historyOfRequest(db, id);
    const decisions = await db('decisions').where({ request_id: id }).orderBy('id');
    const unit = request.org_unit_id ? await unitById(db, request.org_unit_id) : undefined;

    // what changed since this person last looked (deciders see it; everybody's view is recorded)
    let changes: { from: number; to: number; fields: ReturnType<typeof diffRecords> } | undefined;
    if (request.version > 0) {
      const seen = await store.markSeen(db, id, me.uid, request.version, now);
      if (seen !== undefined && seen < request.version) {
        const before = await store.getVersion(db, id, seen);
        const after = await store.getVersion(db, id, request.version);
        if (before && after)
          changes = {
            from: seen,
            to: request.version,
            fields: diffRecords(
              before as unknown as Record<string, unknown>,
              after as unknown as Record<string, unknown>,
            ),
          };
      }
    }
    const names = new Map<string, string>();
    for (const d of decisions) names.set(d.actor_uid, d.actor_name);
    for (const h of history) if (h.actor_uid && h.actor_name) names.set(h.actor_uid, h.actor_name);
    const people = await db('people').select('uid', 'name');
    for (const p of people) if (!names.has(p.uid)) names.set(p.uid, p.name);

    const notice = req.query.gespeichert
      ? 'requests.page.saved'
      : req.query.eingereicht
        ? 'requests.page.submitted'
        : req.query.entschieden
          ? 'requests.page.decided'
          : req.query.bestaetigt
            ? 'requests.page.confirmed'
            : req.query.zurueckgezogen
              ? 'requests.page.withdrawnDone'
              : req.query.erinnert === '0'
                ? 'requests.page.remindedAlready'
                : undefined;
    const next = await nextStepView(db, service, request, editors, definition, instance?.state);
    const mayRemind =
      next.awaiting.length > 0 &&
      mayRemindEditors(viewer, { author_uid: request.author_uid, unitCode: request.data.orgUnit });

    const platform = await db('platforms').where({ key: request.data.platform }).first('name');
    await renderPage(
      res,
      'requests/show',
      {
        platformName: platform?.name,
        title: res.locals.t('requests.page.title', {
          id,
          name: request.title || res.locals.t('requests.untitled', { id }),
        }),
        request,
        editors,
        unit,
        definition,
        instance: instance?.state,
        decidable,
        history,
        decisions,
        changes,
        names: Object.fromEntries(names),
        notice,
        textFields: TEXT_FIELDS,
        checkFields: CHECK_FIELDS,
        isAuthor: request.author_uid === me.uid,
        pendingConfirmation:
          mayConfirmAsEditor(
            me,
            editors.map((e) => e.uid),
          ) &&
          !next.editorConfirmedAt[me.uid] &&
          ['in_review', 'returned'].includes(request.status),
        next,
        mayRemind,
        submittedNow: Boolean(req.query.eingereicht),
        reminded:
          req.query.erinnert === '1'
            ? (
                await db('history')
                  .where({ request_id: id, action: 'request.editors_reminded' })
                  .orderBy('id', 'desc')
                  .first('comment')
              )?.comment
            : undefined,
        errors: [...(form.decisionErrors ?? []), ...(form.confirmErrors ?? []), ...(form.withdrawErrors ?? [])],
        withdrawValue: form.withdrawValue ?? '',
        decisionErrors: form.decisionErrors ?? [],
        confirmErrors: form.confirmErrors ?? [],
        decisionValues: form.decisionValues ?? {},
        desk: deskView({ request, definition, decidable, decisions, changes }),
        sections: REQUEST_SECTIONS,
      },
      status,
    );
  }

  router.post('/antraege/:id/entscheidung', async (req, res) => {
    const id = pathId(req.params.id);
    await visibleRequest(req, id);
    const stepId = typeof req.body?.schritt === 'string' ? req.body.schritt : '';
    const outcome = req.body?.entscheidung;
    const comment = typeof req.body?.kommentar === 'string' ? req.body.kommentar.trim() : '';
    const version =
      typeof req.body?.fassung === 'string' && /^\d+$/.test(req.body.fassung) ? Number(req.body.fassung) : undefined;
    const errors: FieldError[] = [];
    if (!['approve', 'return', 'reject'].includes(outcome))
      errors.push({ field: 'entscheidung', message: 'requests.error.outcome' });
    else if (outcome !== 'approve' && !comment)
      errors.push({ field: 'kommentar', message: 'requests.error.commentRequired' });
    if (comment.length > LIMITS.comment)
      errors.push({ field: 'kommentar', message: 'requests.error.tooLong', params: { max: LIMITS.comment } });
    if (stepId.length > LIMITS.stepId || !/^[a-z][a-z0-9_]*$/.test(stepId)) throw new HttpError(400);
    // the checklist ticks and the sections a return points to, checked against the step
    const instance = await store.getInstance(db, id);
    const definition = instance ? await store.getDefinition(db, instance.definition_id) : undefined;
    const { review, problems } = readReview(
      req.body ?? {},
      definition?.steps.find((s) => s.id === stepId),
      typeof outcome === 'string' ? outcome : '',
    );
    errors.push(...problems);
    if (errors.length > 0) {
      const values = {
        entscheidung: typeof outcome === 'string' ? outcome : '',
        kommentar: comment,
        pruefung: review.checked,
        abschnitte: review.sections.map(String),
      };
      return showRequest(req, res, id, { decisionErrors: errors, decisionValues: values }, 400);
    }
    const action =
      outcome === 'approve'
        ? { type: 'approve' as const, stepId, ...(comment ? { comment } : {}) }
        : { type: outcome as 'return' | 'reject', stepId, comment };
    // rejecting is final: it happens only from its confirmation page (bestaetigt=1)
    if (outcome === 'reject' && req.body?.bestaetigt !== '1') {
      if (req.body?.bestaetigt === 'nein')
        return showRequest(req, res, id, {
          decisionValues: {
            entscheidung: 'reject',
            kommentar: comment,
            pruefung: review.checked,
            abschnitte: review.sections.map(String),
          },
        });
      return confirmReject(req, res, id, stepId, comment, version, review);
    }
    await service.act(user(req), id, action, version, review);
    res.redirect(303, res.locals.url(`/intern/antraege/${id}?entschieden=1`));
  });

  /** "Really reject?": shown only to someone who may reject this step now (the same checks as the rejection). */
  async function confirmReject(
    req: Request,
    res: Response,
    id: number,
    stepId: string,
    comment: string,
    version: number | undefined,
    review: Review,
  ) {
    await service.mayAct(user(req), id, { type: 'reject', stepId, comment }, version);
    const request = await store.getRequest(db, id);
    const instance = await store.getInstance(db, id);
    const definition = instance ? await store.getDefinition(db, instance.definition_id) : undefined;
    const step = definition?.steps.find((s) => s.id === stepId);
    const t = res.locals.t;
    const name = request?.title || t('requests.untitled', { id });
    await renderPage(res, 'partials/confirm', {
      title: t('requests.reject.title', { name }),
      warning: t('requests.reject.warning'),
      lead: t('requests.reject.lead'),
      details: [
        {
          label: t('requests.reject.step'),
          value: step ? step.name[res.locals.locale as 'de' | 'en'] || step.name.de : stepId,
        },
        { label: t('requests.reject.reason'), value: comment },
        ...(review.sections.length > 0
          ? [
              {
                label: t('requests.review.sectionsPointed'),
                value: review.sections.map((n) => t(`requests.section.${sectionKey(n)}` as MessageKey)).join('\n'),
              },
            ]
          : []),
      ],
      action: `/intern/antraege/${id}/entscheidung`,
      hidden: {
        schritt: stepId,
        entscheidung: 'reject',
        kommentar: comment,
        ...(version !== undefined ? { fassung: String(version) } : {}),
        pruefung: review.checked,
        abschnitte: review.sections.map(String),
      },
      submitLabel: t('requests.reject.submit'),
      changeLabel: t('requests.reject.change'),
      backUrl: res.locals.url(`/intern/antraege/${id}`),
      backLabel: t('requests.reject.back'),
    });
  }

  router.post('/antraege/:id/zurueckziehen', async (req, res) => {
    const id = pathId(req.params.id);
    await visibleRequest(req, id);
    const comment = typeof req.body?.grund === 'string' ? req.body.grund.trim() : '';
    if (comment.length > LIMITS.comment) {
      return showRequest(
        req,
        res,
        id,
        {
          withdrawErrors: [{ field: 'grund', message: 'requests.error.tooLong', params: { max: LIMITS.comment } }],
          withdrawValue: comment,
        },
        400,
      );
    }
    await service.act(user(req), id, { type: 'withdraw', ...(comment ? { comment } : {}) }, undefined);
    res.redirect(303, res.locals.url(`/intern/antraege/${id}?zurueckgezogen=1`));
  });

  router.post('/antraege/:id/bestaetigen', async (req, res) => {
    const id = pathId(req.params.id);
    await visibleRequest(req, id);
    if (req.body?.bestaetigung !== 'ja') {
      return showRequest(
        req,
        res,
        id,
        { confirmErrors: [{ field: 'bestaetigung', message: 'requests.confirm.error' }] },
        400,
      );
    }
    await service.confirmEditor(user(req), id);
    res.redirect(303, res.locals.url(`/intern/antraege/${id}?bestaetigt=1`));
  });

  return router;
}

/** Maps refusals of the rules to a page that says what happened and what to do. */
export function requestErrorHandler(db: Knex) {
  return async (err: unknown, req: Request, res: Response, next: NextFunction) => {
    if (!(err instanceof RequestError)) return next(err);
    if (err.code === 'not_found') return next(notFound());
    if (err.code === 'forbidden') return next(new HttpError(403));
    const t = res.locals.t;
    let message: string;
    let status = 409;
    const r = err.refusal;
    const names = async (uid: string) =>
      ((await db('people').where({ uid }).first('name')) as { name: string } | undefined)?.name ?? uid;
    if (err.code === 'stale_version') message = t('requests.refused.stale');
    else if (err.code === 'not_editable') message = t('requests.refused.notEditable');
    else if (err.code === 'duplicate_presence') message = t('requests.refused.duplicate');
    else if (r?.code === 'step_not_open' && r.decidedBy) {
      message = t('requests.refused.already', {
        name: await names(r.decidedBy),
        date: datesFor(req.locale).momentText(r.decidedAt),
        state: t(`requests.step.${r.state}` as MessageKey),
      });
    } else if (r?.code === 'finished')
      message = t('requests.refused.finished', { status: t(`requests.status.${r.status}` as MessageKey) });
    else if (r?.code === 'own_request') {
      message = t('requests.refused.own');
      status = 403;
    } else if (r?.code === 'already_decided_another_step') {
      message = t('requests.refused.twice');
      status = 403;
    } else if (r?.code === 'not_candidate' || r?.code === 'not_author') {
      message = t('requests.refused.notCandidate');
      status = 403;
    } else message = t('requests.refused.generic');
    const id = /\/antraege\/(\d+)/.exec(req.originalUrl)?.[1];
    await renderPage(
      res,
      'requests/refused',
      {
        title: t('requests.refused.title'),
        message,
        backUrl: id ? res.locals.url(`/intern/antraege/${id}`) : res.locals.url('/intern'),
      },
      status,
    );
  };
}
