import { Router, type NextFunction, type Request, type Response } from 'express';
import type { Knex } from 'knex';
import type { SessionUser } from '../directory/user';
import { DirectoryUnavailableError, type Directory } from '../directory/directory';
import { renderPage } from '../web/render';
import { HttpError, notFound } from '../web/errors';
import { pathId, type FieldError } from '../web/forms';
import { LIMITS } from '../limits';
import type { MessageKey } from '../i18n/keys';
import { listUnits, unitTree } from '../registry/org-units';
import { loadPresenceAccess, confirmPresence, closePresence, PresenceError } from './lifecycle';
import { wherePresenceVisible } from '../policy/access';
import { selfViewer } from '../policy/viewer';
import { presenceAsRequestData } from '../requests/publish';
import { readForm, EDITOR_SLOTS, type RequestData } from '../requests/form';
import type { RequestService } from '../requests/service';
import { historyOfPresence, type LinkedHistoryRow } from '../audit/history';
import type { WorkflowDefinition } from '../workflow/definition';
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

/** Presences after publication, for their editors, unit heads and the central offices. */
/** A platform re-assessment waiting for this presence (given by the re-assessments feature, which builds on this one). */
export interface PresenceReassessmentNote {
  reassessmentId: number;
  platformName: string;
  deadline: string;
  /** This person may answer it (policy: mayAnswerReassessment). */
  mayAnswer: boolean;
}

export function presenceRoutes(deps: {
  db: Knex;
  directory: Directory;
  clock: () => Date;
  service: RequestService;
  reassessmentNotes: (
    user: SessionUser,
    presence: { id: number; status: string; unit_code: string },
  ) => Promise<PresenceReassessmentNote[]>;
}) {
  const { db, directory, clock, service, reassessmentNotes } = deps;
  const router = Router();
  const user = (req: Request) => req.user as SessionUser;

  router.get('/', async (req, res) => {
    const me = user(req);
    const filter = typeof req.query.filter === 'string' ? req.query.filter : '';
    if (!['', 'ueberfaellig', 'markiert', 'geschlossen'].includes(filter)) throw new HttpError(400);
    const q = db('presences as p')
      .join('org_units as u', 'u.id', 'p.org_unit_id')
      .join('platforms as pl', 'pl.key', 'p.platform_key')
      .select(
        'p.id',
        'p.name',
        'p.status',
        'p.review_due',
        'p.review_overdue',
        'p.editors_flagged',
        'p.last_confirmed_at',
        'u.name as unit_name',
        'pl.name as platform_name',
      )
      .orderBy('p.name');
    if (filter === 'ueberfaellig') q.where('p.review_overdue', true);
    if (filter === 'markiert') q.where('p.editors_flagged', true);
    q.where('p.status', filter === 'geschlossen' ? 'closed' : 'active');
    wherePresenceVisible(q, db, await selfViewer(db, me));
    await renderPage(res, 'registry/list', { title: res.locals.t('registry.list.title'), presences: await q, filter });
  });

  async function load(req: Request, id: number) {
    const presence = await db('presences as p')
      .join('org_units as u', 'u.id', 'p.org_unit_id')
      .join('platforms as pl', 'pl.key', 'p.platform_key')
      .where('p.id', id)
      .first('p.*', 'u.name as unit_name', 'u.code as unit_code', 'pl.name as platform_name');
    if (!presence) throw notFound();
    const access = await loadPresenceAccess(db, user(req), presence);
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
    const { presence, access } = await load(req, id);
    const editors = await db('presence_editors as e')
      .leftJoin('people as pe', 'pe.uid', 'e.uid')
      .where('e.presence_id', id)
      .orderBy('e.position')
      .select('e.*', 'pe.missing_since');
    // its whole life: the creating request, every change request, its own entries
    const history = await historyOfPresence(db, id);
    const requests = await db('requests')
      .where({ presence_id: id })
      .orderBy('id', 'desc')
      .select('id', 'kind', 'status', 'title', 'updated_at');
    const { stepName, names } = await historyContext(history);
    const notice = req.query.bestaetigt
      ? 'registry.confirmed'
      : req.query.geschlossen
        ? 'registry.closedDone'
        : req.query.beantragt
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
        reassessments: await reassessmentNotes(user(req), presence),
      },
      status,
    );
  }

  /** Step names of the requests in a timeline and names of the people in it: two queries, whatever its length. */
  async function historyContext(history: LinkedHistoryRow[]) {
    const requestIds = [...new Set(history.flatMap((h) => (h.request_id === null ? [] : [h.request_id])))];
    const definitions: Array<{ request_id: number; definition: WorkflowDefinition }> = requestIds.length
      ? await db('workflow_instances as i')
          .join('workflow_definitions as d', 'd.id', 'i.definition_id')
          .whereIn('i.request_id', requestIds)
          .select('i.request_id', 'd.definition')
      : [];
    const steps = new Map(definitions.map((d) => [d.request_id, d.definition.steps]));
    const stepName = (h: LinkedHistoryRow, locale: Locale): string | undefined => {
      const stepId = (h.changes?.step as { after?: unknown } | undefined)?.after;
      if (typeof stepId !== 'string' || h.request_id === null) return undefined;
      const step = steps.get(h.request_id)?.find((s) => s.id === stepId);
      return step ? step.name[locale] || step.name.de : undefined;
    };
    // people acted for, and actors the entry names only by their id
    const unnamed = [
      ...new Set(
        history.flatMap((h) => [h.on_behalf_of, h.actor_name ? null : h.actor_uid].filter((u): u is string => !!u)),
      ),
    ];
    const names: Record<string, string> = {};
    if (unnamed.length)
      for (const p of await db('people').whereIn('uid', unnamed).select('uid', 'name')) names[p.uid] = p.name;
    return { stepName, names };
  }

  router.get('/:id', (req, res) => show(req, res, pathId(req.params.id)));

  router.post('/:id/bestaetigen', async (req, res) => {
    const id = pathId(req.params.id);
    await load(req, id);
    await confirmPresence(db, user(req), id, clock());
    res.redirect(303, res.locals.url(`/intern/angebote/${id}?bestaetigt=1`));
  });

  router.post('/:id/schliessen', async (req, res) => {
    const id = pathId(req.params.id);
    await load(req, id);
    const reason = typeof req.body?.grund === 'string' ? req.body.grund.trim() : '';
    if (!reason) return show(req, res, id, { errors: [{ field: 'grund', message: 'registry.error.reason' }] }, 400);
    if (reason.length > LIMITS.closeReason)
      return show(
        req,
        res,
        id,
        {
          errors: [{ field: 'grund', message: 'requests.error.tooLong', params: { max: LIMITS.closeReason } }],
          reason,
        },
        400,
      );
    // closing reaches far (the public overview): it happens only from its confirmation page
    if (req.body?.bestaetigt === 'nein') return show(req, res, id, { reason });
    if (req.body?.bestaetigt !== '1') return confirmClose(req, res, id, reason);
    await closePresence(db, user(req), id, reason, clock());
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
    const units = unitTree(await listUnits(db)).filter((u) => u.unit.code !== 'HDE');
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
    const data = await presenceAsRequestData(db, id);
    if (!data) throw notFound();
    await changeForm(req, res, id, data);
  });

  router.post('/:id/aenderung', async (req, res) => {
    const id = pathId(req.params.id);
    const { access } = await load(req, id);
    if (!access.canChange) throw new HttpError(403);
    const current = await presenceAsRequestData(db, id);
    if (!current) throw notFound();
    // the form holds only what may change; everything else stays as approved
    const posted = readForm(req.body ?? {});
    const data: RequestData = { ...current, editors: posted.editors };
    for (const f of CHANGE_FIELDS) (data as unknown as Record<string, string>)[f] = posted[f];
    const take = typeof req.body?.uebernehmen === 'string' ? req.body.uebernehmen.trim().toLowerCase() : undefined;
    const q = typeof req.body?.editorSuche === 'string' ? req.body.editorSuche.trim() : '';
    if (take !== undefined || req.body?.aktion === 'suchen') {
      if (take && !data.editors.includes(take) && data.editors.length < EDITOR_SLOTS) data.editors.push(take);
      try {
        const results =
          req.body?.aktion === 'suchen' && q ? await directory.search(q.slice(0, LIMITS.search), 10) : undefined;
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
