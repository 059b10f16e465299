import { Router, type NextFunction, type Request, type Response } from 'express';
import { DirectoryUnavailableError, type Directory } from '../directory/directory';
import type { SessionUser } from '../directory/user';
import { HttpError, notFound } from '../web/errors';
import { renderPage } from '../web/render';
import { datesFor } from '../web/dates';
import { z } from 'zod';
import { LIMITS } from '../limits';
import { pathId, type FieldError } from '../web/forms';
import { noticeFlags, parseControls, parseForm, parseQuery } from '../web/input';
import type { MessageKey } from '../i18n/keys';
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
import { RequestError } from './errors';
import type { RequestService } from './service';
import { maySeeAsActor, type RequestPages } from './pages';
import {
  confirmSchema,
  decisionSchema,
  directoryQuery,
  editorButtonsSchema,
  stepIdSchema,
  withdrawSchema,
} from './schemas';
import { mayRemindEditors, mayConfirmAsEditor, requestEditRefusal } from '../policy/access';
import { nextStepRoutes } from './next-step';
import { readReview, type Review } from './review';
import { deskView } from './desk';

/**
 * "Actually ours" on a reported account (src/reports) opens a new request for an existing
 * presence with platform and address filled in; the form then checks them like anything typed.
 * Longer values than the form takes are a bad address (400), not cut silently.
 */
const newRequestPrefill = z.object({
  art: z.literal('bestehend').optional(),
  plattform: z.string().max(40).optional(),
  url: z.string().max(LIMITS.url).optional(),
});

/** The notices of the request page, set by the redirects after each action. */
const pageNotices = noticeFlags(
  'gespeichert',
  'eingereicht',
  'entschieden',
  'bestaetigt',
  'zurueckgezogen',
  'erinnert',
);

const toFieldErrors = (problems: FormProblem[]): FieldError[] =>
  problems.map((p) => ({
    field: p.field,
    message: p.message as MessageKey,
    ...(p.params ? { params: p.params } : {}),
  }));

export interface RequestRouteDeps {
  directory: Directory;
  service: RequestService;
  pages: RequestPages;
  baseUrl: string;
}

export function requestRoutes(deps: RequestRouteDeps) {
  const { directory, service, pages, baseUrl } = deps;
  const router = Router();
  router.use(nextStepRoutes({ service, baseUrl, visible: visibleRequest }));
  const user = (req: Request) => req.user as SessionUser;

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
        flaggedSections: opts.flaggedSections ?? [],
        sections: REQUEST_SECTIONS,
        resubmit: opts.resubmit ?? false,
        ...(await pages.formChoices()),
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
    // a deputy sees what their principal may see
    const visible = await pages.visible(user(req), id);
    if (!visible) throw notFound();
    return visible;
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
    // every button of the edit form, the directory search included, is the author's alone
    const existing = requestId ? await editableRequest(req, requestId) : undefined;
    const data = readForm(req.body ?? {});
    // a button no page of the portal offers: 400
    const { uebernehmen: take, aktion, editorSuche: q } = parseControls(editorButtonsSchema, req.body);
    const resubmit = existing?.status === 'returned';
    // a refused form keeps the search box's text, too
    const keptSearch = { q, results: undefined };

    if (take !== undefined || aktion === 'suchen') {
      if (take && !data.editors.includes(take) && data.editors.length < EDITOR_SLOTS) data.editors.push(take);
      try {
        const results = aktion === 'suchen' && q ? await directory.search(directoryQuery(q), 10) : undefined;
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
    // "actually ours" on a reported account (src/reports): a request for an existing presence,
    // platform and address filled in; the form checks them like anything typed
    const prefill = parseQuery(newRequestPrefill, req.query);
    if (prefill.art === 'bestehend') data.kind = 'existing';
    if (prefill.plattform) data.platform = prefill.plattform;
    if (prefill.url) data.url = prefill.url;
    await showForm(res, { data });
  });
  router.post('/antraege/neu', (req, res) => handleForm(req, res, undefined));

  router.get('/antraege/:id/bearbeiten', async (req, res) => {
    const id = pathId(req.params.id);
    const request = await editableRequest(req, id);
    await showForm(res, {
      data: request.data,
      requestId: id,
      returnedComment: request.status === 'returned' ? await pages.lastReturnComment(id) : null,
      // the sections the return points to are marked in the form (#15)
      flaggedSections: request.status === 'returned' ? await pages.lastReturnSections(id) : [],
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
    const flags = parseQuery(pageNotices, req.query);
    const visible = await visibleRequest(req, id);
    const { request, editors, viewer } = visible;
    const { instance, definition, decidable, history, decisions, unit, changes, names, next, platformName } =
      await pages.page(me, visible);

    const notice =
      flags.gespeichert === '1'
        ? 'requests.page.saved'
        : flags.eingereicht === '1'
          ? 'requests.page.submitted'
          : flags.entschieden === '1'
            ? 'requests.page.decided'
            : flags.bestaetigt === '1'
              ? 'requests.page.confirmed'
              : flags.zurueckgezogen === '1'
                ? 'requests.page.withdrawnDone'
                : flags.erinnert === '0'
                  ? 'requests.page.remindedAlready'
                  : undefined;
    const mayRemind =
      next.awaiting.length > 0 &&
      mayRemindEditors(viewer, { author_uid: request.author_uid, unitCode: request.data.orgUnit });

    await renderPage(
      res,
      'requests/show',
      {
        platformName,
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
        submittedNow: flags.eingereicht === '1',
        reminded: flags.erinnert === '1' ? await pages.lastReminder(id) : undefined,
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
    // The usual case, a valid decision, in one transaction: the checks below made on the rows
    // the decision locks and reads anyway (issue 14). Anything else — not visible, no such
    // step, a form to show again, a rejection to confirm — writes nothing and goes the long
    // way below, which answers it exactly as before.
    const decided = await service.actChecked(user(req), id, ({ request, editors, actor, definition }) => {
      if (!maySeeAsActor(actor, request, editors)) return undefined;
      const controls = stepIdSchema.safeParse(req.body ?? {});
      const form = parseForm(decisionSchema, req.body);
      if (!controls.success || !form.ok) return undefined;
      const stepId = controls.data.schritt;
      const { entscheidung: outcome, kommentar: comment, fassung: version, bestaetigt } = form.data;
      const step = definition.steps.find((s) => s.id === stepId);
      const { review, problems } = readReview(req.body ?? {}, step, outcome);
      if (problems.length > 0 || (outcome === 'reject' && bestaetigt !== '1')) return undefined;
      const action =
        outcome === 'approve'
          ? { type: 'approve' as const, stepId, ...(comment ? { comment } : {}) }
          : { type: outcome, stepId, comment };
      return { action, seenVersion: version, review };
    });
    if (decided) return res.redirect(303, res.locals.url(`/intern/antraege/${id}?entschieden=1`));
    await visibleRequest(req, id);
    // the step comes from the page's hidden field: anything else was not sent by the portal (400)
    const { schritt: stepId } = parseControls(stepIdSchema, req.body);
    const form = parseForm(decisionSchema, req.body);
    // the checklist ticks and the sections a return points to, checked against the step (#15)
    const { review, problems } = readReview(
      req.body ?? {},
      (await pages.step(id, stepId)).step,
      (form.ok ? form.data.entscheidung : form.values.entscheidung) ?? '',
    );
    if (!form.ok || problems.length > 0) {
      const values = form.ok
        ? { entscheidung: form.data.entscheidung, kommentar: form.data.kommentar }
        : { entscheidung: form.values.entscheidung ?? '', kommentar: form.values.kommentar ?? '' };
      return showRequest(
        req,
        res,
        id,
        {
          decisionErrors: [...(form.ok ? [] : form.errors), ...problems],
          decisionValues: { ...values, pruefung: review.checked, abschnitte: review.sections.map(String) },
        },
        400,
      );
    }
    const { entscheidung: outcome, kommentar: comment, fassung: version, bestaetigt } = form.data;
    const action =
      outcome === 'approve'
        ? { type: 'approve' as const, stepId, ...(comment ? { comment } : {}) }
        : { type: outcome, stepId, comment };
    // rejecting is final: it happens only from its confirmation page (bestaetigt=1)
    if (outcome === 'reject' && bestaetigt !== '1') {
      if (bestaetigt === 'nein')
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
    const { request, step } = await pages.step(id, stepId);
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
    const form = parseForm(withdrawSchema, req.body);
    if (!form.ok)
      return showRequest(req, res, id, { withdrawErrors: form.errors, withdrawValue: form.values.grund ?? '' }, 400);
    const comment = form.data.grund;
    await service.act(user(req), id, { type: 'withdraw', ...(comment ? { comment } : {}) }, undefined);
    res.redirect(303, res.locals.url(`/intern/antraege/${id}?zurueckgezogen=1`));
  });

  router.post('/antraege/:id/bestaetigen', async (req, res) => {
    const id = pathId(req.params.id);
    await visibleRequest(req, id);
    const form = parseForm(confirmSchema, req.body);
    if (!form.ok) return showRequest(req, res, id, { confirmErrors: form.errors }, 400);
    await service.confirmEditor(user(req), id);
    res.redirect(303, res.locals.url(`/intern/antraege/${id}?bestaetigt=1`));
  });

  return router;
}

/** Maps refusals of the rules to a page that says what happened and what to do. */
export function requestErrorHandler(pages: Pick<RequestPages, 'nameOf'>) {
  return async (err: unknown, req: Request, res: Response, next: NextFunction) => {
    if (!(err instanceof RequestError)) return next(err);
    if (err.code === 'not_found') return next(notFound());
    if (err.code === 'forbidden') return next(new HttpError(403));
    const t = res.locals.t;
    let message: string;
    let status = 409;
    const r = err.refusal;
    const names = (uid: string) => pages.nameOf(uid);
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
