import { Router, type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import type { SessionUser } from '../directory/user';
import { DirectoryUnavailableError, type Directory } from '../directory/directory';
import { renderPage } from '../web/render';
import { HttpError, notFound } from '../web/errors';
import { pathId, type FieldError } from '../web/forms';
import { formText, noticeFlags, parseControls, parseForm, parseQuery } from '../web/input';
import { LIMITS } from '../limits';
import type { MessageKey } from '../i18n/keys';
import { PresenceError } from './lifecycle';
import { PRESENCE_FILTERS, type PresenceService } from './service';
import { readForm, EDITOR_SLOTS, type RequestData } from '../requests/form';
import { directoryQuery, editorButtonsSchema } from '../requests/schemas';
import type { RequestService } from '../requests/service';
import type { LinkedHistoryRow } from '../audit/history';
import type { Locale } from '../web/i18n';

const CHANGE_FIELDS = [
  'orgUnit',
  'name',
  'url',
  'description',
  'hannoverDeUrl',
  'purpose',
  'targetGroups',
  'topics',
  'postingFrequency',
  'staffedHours',
  'responseTime',
] as const;

/** The list's filter; '' (or none) is every active presence. */
const listQuery = z.object({ filter: z.enum(PRESENCE_FILTERS).default('') });
const pageNotices = noticeFlags('bestaetigt', 'geschlossen', 'beantragt');

/** Closing: the reason is required and goes to the history (and the public page says the presence closed). */
const closeSchema = z.object({
  grund: formText.pipe(z.string().min(1, 'registry.error.reason').max(LIMITS.closeReason, 'requests.error.tooLong')),
  // closing reaches far: '1' from its confirmation page, 'nein' back to the form
  bestaetigt: z.enum(['1', 'nein']).optional().catch(undefined),
});

/** Presences after publication, for their editors, unit heads and the central offices. */
export function presenceRoutes(deps: { presences: PresenceService; directory: Directory; service: RequestService }) {
  const { presences, directory, service } = deps;
  const router = Router();
  const user = (req: Request) => req.user as SessionUser;

  router.get('/', async (req, res) => {
    const me = user(req);
    const { filter } = parseQuery(listQuery, req.query);
    const list = await presences.list(me, filter);
    await renderPage(res, 'registry/list', { title: res.locals.t('registry.list.title'), presences: list, filter });
  });

  async function load(req: Request, id: number) {
    const found = await presences.load(user(req), id);
    if (!found) throw notFound();
    const { presence, access } = found;
    // a presence someone may not see is answered like one that does not exist (same 404 page):
    // every route on a presence, state-changing ones included, calls this first
    if (!access.canSee) throw notFound();
    return { presence, access };
  }

  async function show(
    req: Request,
    res: Response,
    id: number,
    form: { errors?: FieldError[]; reason?: string } = {},
    status = 200,
  ) {
    const flags = parseQuery(pageNotices, req.query);
    const { presence, access } = await load(req, id);
    // its whole life: the creating request, every change request, its own entries
    const { editors, history, requests, steps, names } = await presences.details(id);
    const stepName = (h: LinkedHistoryRow, locale: Locale): string | undefined => {
      const stepId = (h.changes?.step as { after?: unknown } | undefined)?.after;
      if (typeof stepId !== 'string' || h.request_id === null) return undefined;
      const step = steps.get(h.request_id)?.find((s) => s.id === stepId);
      return step ? step.name[locale] || step.name.de : undefined;
    };
    const notice =
      flags.bestaetigt === '1'
        ? 'registry.confirmed'
        : flags.geschlossen === '1'
          ? 'registry.closedDone'
          : flags.beantragt === '1'
            ? 'registry.changeRequested'
            : undefined;
    await renderPage(
      res,
      'registry/presence',
      {
        title: presence.name,
        presence,
        access,
        editors,
        history,
        stepName,
        names,
        requests,
        notice,
        errors: form.errors ?? [],
        reason: form.reason ?? '',
      },
      status,
    );
  }

  router.get('/:id', (req, res) => show(req, res, pathId(req.params.id)));

  router.post('/:id/bestaetigen', async (req, res) => {
    const id = pathId(req.params.id);
    await load(req, id);
    await presences.confirm(user(req), id);
    res.redirect(303, res.locals.url(`/intern/angebote/${id}?bestaetigt=1`));
  });

  router.post('/:id/schliessen', async (req, res) => {
    const id = pathId(req.params.id);
    await load(req, id);
    const form = parseForm(closeSchema, req.body);
    if (!form.ok) return show(req, res, id, { errors: form.errors, reason: form.values.grund ?? '' }, 400);
    const { grund: reason, bestaetigt } = form.data;
    // closing reaches far (the public overview): it happens only from its confirmation page
    if (bestaetigt === 'nein') return show(req, res, id, { reason });
    if (bestaetigt !== '1') return confirmClose(req, res, id, reason);
    await presences.close(user(req), id, reason);
    res.redirect(303, res.locals.url(`/intern/angebote/${id}?geschlossen=1`));
  });

  /** "Really close?": shown only to someone who may close this presence now (as closePresence checks). */
  async function confirmClose(req: Request, res: Response, id: number, reason: string) {
    const { presence, access } = await load(req, id);
    if (!access.canClose) throw new PresenceError(presence.status === 'active' ? 'forbidden' : 'closed');
    const t = res.locals.t;
    await renderPage(res, 'partials/confirm', {
      title: t('registry.close.confirmTitle', { name: presence.name }),
      warning: t('registry.close.confirmWarning'),
      lead: t('registry.close.confirmLead'),
      details: [
        { label: t('registry.field.platform'), value: presence.platform_name },
        { label: t('registry.field.url'), value: presence.url },
        { label: t('registry.close.reason'), value: reason },
      ],
      action: `/intern/angebote/${id}/schliessen`,
      hidden: { grund: reason },
      submitLabel: t('registry.close.confirmSubmit'),
      changeLabel: t('registry.close.change'),
      backUrl: res.locals.url(`/intern/angebote/${id}`),
      backLabel: t('registry.close.back'),
    });
  }

  async function changeForm(
    req: Request,
    res: Response,
    id: number,
    data: RequestData,
    errors: FieldError[] = [],
    status = 200,
    search?: { q: string; results: SessionUser[] | undefined },
  ) {
    const { presence } = await load(req, id);
    const units = await presences.unitChoices();
    await renderPage(
      res,
      'registry/change',
      {
        title: res.locals.t('registry.change.title', { name: presence.name }),
        presence,
        values: data,
        errors,
        units,
        editorSlots: EDITOR_SLOTS,
        search,
      },
      status,
    );
  }

  router.get('/:id/aenderung', async (req, res) => {
    const id = pathId(req.params.id);
    const { access } = await load(req, id);
    if (!access.canChange) throw new HttpError(403);
    const data = await presences.changeData(id);
    if (!data) throw notFound();
    await changeForm(req, res, id, data);
  });

  router.post('/:id/aenderung', async (req, res) => {
    const id = pathId(req.params.id);
    const { access } = await load(req, id);
    if (!access.canChange) throw new HttpError(403);
    const current = await presences.changeData(id);
    if (!current) throw notFound();
    // the form holds only what may change; everything else stays as approved
    const posted = readForm(req.body ?? {});
    const data: RequestData = { ...current, editors: posted.editors };
    for (const f of CHANGE_FIELDS) (data as unknown as Record<string, string>)[f] = posted[f];
    // a button no page of the portal offers: 400
    const { uebernehmen: take, editorSuche: q, aktion } = parseControls(editorButtonsSchema, req.body);
    if (take !== undefined || aktion === 'suchen') {
      if (take && !data.editors.includes(take) && data.editors.length < EDITOR_SLOTS) data.editors.push(take);
      try {
        const results = aktion === 'suchen' && q ? await directory.search(directoryQuery(q), 10) : undefined;
        return await changeForm(req, res, id, data, [], 200, { q: take ? '' : q, results });
      } catch (err) {
        if (!(err instanceof DirectoryUnavailableError)) throw err;
        return changeForm(
          req,
          res,
          id,
          data,
          [{ field: 'editorSuche', message: 'requests.error.directoryDown' }],
          503,
          { q, results: undefined },
        );
      }
    }
    const result = await service.requestChange(user(req), id, data);
    if (!result.ok) {
      const errors = result.problems.map((p) => ({
        field: p.field,
        message: p.message as MessageKey,
        ...(p.params ? { params: p.params } : {}),
      }));
      // a refused form keeps the search box's text, too
      return changeForm(
        req,
        res,
        id,
        data,
        errors,
        result.problems.some((p) => p.message === 'requests.error.directoryDown') ? 503 : 400,
        { q, results: undefined },
      );
    }
    res.redirect(303, res.locals.url(`/intern/antraege/${result.id}?eingereicht=1`));
  });

  router.use((err: unknown, _req: Request, _res: Response, next: NextFunction) => {
    if (err instanceof PresenceError)
      return next(err.code === 'not_found' ? notFound() : new HttpError(err.code === 'forbidden' ? 403 : 409));
    next(err);
  });
  return router;
}
