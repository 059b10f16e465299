import { Router, type NextFunction, type Request, type Response } from 'express';
import type { SessionUser } from '../directory/user';
import { renderPage } from '../web/render';
import { HttpError, notFound } from '../web/errors';
import { pathId, type FieldError } from '../web/forms';
import { noticeFlags, parseControls, parseQuery } from '../web/input';
import { z } from 'zod';
import {
  closeSchema,
  confirmSchema,
  formValues,
  openSchema,
  parseForm,
  type ConfirmValues,
  type OpenValues,
} from './schemas';
import { ReassessmentError, type ReassessmentService } from './service';

const BASE = '/intern/neubewertungen';

// the locale's helpers (src/web/i18n.ts), typed here: res.locals types only the translator
const localUrl = (res: Response, path: string): string => (res.locals.url as (p: string) => string)(path);
const dayText = (res: Response, day: string): string => (res.locals.dayText as (d: string) => string)(day);
const openedNotice = noticeFlags('eroeffnet');
/** The confirmation page's buttons (views/partials/confirm.ejs). */
const confirmControls = z.object({ bestaetigt: z.enum(['1', 'nein']).optional() });
const answeredNotice = noticeFlags('beantwortet');
const OPEN_FIELDS = ['plattform', 'grund', 'frist', 'sperren'] as const;
const CONFIRM_FIELDS = ['bedarf', 'datenschutz', 'kommentar'] as const;

/** Platform re-assessments: the list with the open form, the progress, a presence's answer. HTTP only. */
export function reassessmentRoutes(deps: { service: ReassessmentService }) {
  const { service } = deps;
  const router = Router();
  const user = (req: Request) => req.user as SessionUser;

  async function showList(req: Request, res: Response, values?: OpenValues, errors: FieldError[] = [], status = 200) {
    const overview = await service.overview(user(req));
    await renderPage(
      res,
      'reassessments/list',
      {
        title: res.locals.t('reassessments.title'),
        ...overview,
        values: values ?? { plattform: '', grund: '', frist: '', sperren: '' },
        errors,
      },
      status,
    );
  }

  router.get('/', (req, res) => showList(req, res));

  router.post('/', async (req, res) => {
    const values = formValues(req.body, OPEN_FIELDS);
    const parsed = parseForm(openSchema, values);
    if (!parsed.ok) {
      // who may not open learns that first, not which field was wrong
      const overview = await service.overview(user(req));
      if (!overview.mayOpen) throw new ReassessmentError('forbidden');
      return showList(req, res, values, parsed.errors, 400);
    }
    // opening mails every editorial team on the platform (and may close it to new requests):
    // it happens only from its confirmation page
    const checked = await service.check(user(req), parsed.data);
    if (!checked.ok) return showList(req, res, values, checked.errors, 400);
    const confirmed = parseControls(confirmControls, req.body).bestaetigt;
    if (confirmed === 'nein') return showList(req, res, values);
    if (confirmed !== '1') {
      const t = res.locals.t;
      return renderPage(res, 'partials/confirm', {
        title: t('reassessments.open.confirmTitle', { platform: checked.platform.name }),
        warning: parsed.data.sperren && checked.platform.enabled ? t('reassessments.open.confirmBlock') : undefined,
        lead: t('reassessments.open.confirmLead', { count: checked.presences }),
        details: [
          { label: t('reassessments.field.platform'), value: checked.platform.name },
          { label: t('reassessments.field.reason'), value: parsed.data.grund },
          { label: t('reassessments.field.deadline'), value: dayText(res, parsed.data.frist) },
        ],
        action: BASE,
        hidden: { plattform: values.plattform, grund: values.grund, frist: parsed.data.frist, sperren: values.sperren },
        submitLabel: t('reassessments.open.confirmSubmit'),
        changeLabel: t('reassessments.open.change'),
        backUrl: localUrl(res, BASE),
        backLabel: t('reassessments.show.back'),
      });
    }
    const result = await service.open(user(req), parsed.data);
    if (!result.ok) return showList(req, res, values, result.errors, 400);
    res.redirect(303, localUrl(res, `${BASE}/${result.id}?eroeffnet=1`));
  });

  router.get('/:id', async (req, res) => {
    const progress = await service.progress(user(req), pathId(req.params.id));
    await renderPage(res, 'reassessments/show', {
      title: res.locals.t('reassessments.show.title', { platform: progress.reassessment.platform_name }),
      ...progress,
      notice: parseQuery(openedNotice, req.query).eroeffnet === '1' ? 'reassessments.opened' : undefined,
    });
  });

  async function showAnswer(
    req: Request,
    res: Response,
    form: { values?: ConfirmValues; reason?: string; errors?: FieldError[] } = {},
    status = 200,
  ) {
    const id = pathId(req.params.id);
    const presenceId = pathId(req.params.presenceId);
    const loaded = await service.task(user(req), id, presenceId);
    await renderPage(
      res,
      'reassessments/answer',
      {
        title: res.locals.t('reassessments.answer.title', {
          platform: loaded.reassessment.platform_name,
          presence: loaded.task.presence_name,
        }),
        ...loaded,
        mayClose: service.mayClose(loaded.access),
        values: form.values ?? { bedarf: '', datenschutz: '', kommentar: '' },
        reason: form.reason ?? '',
        errors: form.errors ?? [],
        notice:
          parseQuery(answeredNotice, req.query).beantwortet === '1' && loaded.state !== 'open'
            ? `reassessments.answer.done.${loaded.state}`
            : undefined,
      },
      status,
    );
  }

  const taskPath = (req: Request) => `${BASE}/${pathId(req.params.id)}/angebote/${pathId(req.params.presenceId)}`;

  router.get('/:id/angebote/:presenceId', (req, res) => showAnswer(req, res));

  router.post('/:id/angebote/:presenceId', async (req, res) => {
    const id = pathId(req.params.id);
    const presenceId = pathId(req.params.presenceId);
    const loaded = await service.task(user(req), id, presenceId); // 404/403 before the form is judged
    // answered already (by someone else, in another tab): the page says by whom
    if (loaded.state !== 'open') return showAnswer(req, res, {}, 409);
    if (!loaded.mayAnswer) throw new ReassessmentError('forbidden');
    const values = formValues(req.body, CONFIRM_FIELDS);
    const parsed = parseForm(confirmSchema, values);
    if (!parsed.ok) return showAnswer(req, res, { values, errors: parsed.errors }, 400);
    await service.confirm(user(req), id, presenceId, parsed.data.kommentar);
    res.redirect(303, localUrl(res, `${taskPath(req)}?beantwortet=1`));
  });

  router.post('/:id/angebote/:presenceId/schliessen', async (req, res) => {
    const id = pathId(req.params.id);
    const presenceId = pathId(req.params.presenceId);
    const loaded = await service.task(user(req), id, presenceId);
    if (loaded.state !== 'open') return showAnswer(req, res, {}, 409);
    if (!service.mayClose(loaded.access)) throw new ReassessmentError('forbidden');
    const reason = formValues(req.body, ['grund'] as const).grund;
    const parsed = parseForm(closeSchema, { grund: reason });
    if (!parsed.ok) return showAnswer(req, res, { reason, errors: parsed.errors }, 400);
    const { bestaetigt } = parseControls(confirmControls, req.body);
    // closing reaches far (the public overview): it happens only from its confirmation page
    if (bestaetigt === 'nein') return showAnswer(req, res, { reason });
    if (bestaetigt !== '1') {
      const t = res.locals.t;
      return renderPage(res, 'partials/confirm', {
        title: t('reassessments.answer.closeConfirmTitle', { name: loaded.task.presence_name }),
        lead: t('reassessments.answer.closeConfirmLead'),
        details: [
          { label: t('reassessments.col.platform'), value: loaded.reassessment.platform_name },
          { label: t('reassessments.answer.closeReason'), value: parsed.data.grund },
        ],
        action: `${taskPath(req)}/schliessen`,
        hidden: { grund: reason },
        submitLabel: t('reassessments.answer.closeConfirmSubmit'),
        changeLabel: t('reassessments.answer.closeChange'),
        backUrl: localUrl(res, taskPath(req)),
        backLabel: t('reassessments.answer.back'),
      });
    }
    await service.close(user(req), id, presenceId, parsed.data.grund);
    res.redirect(303, localUrl(res, `${taskPath(req)}?beantwortet=1`));
  });

  router.use((err: unknown, _req: Request, _res: Response, next: NextFunction) => {
    if (err instanceof ReassessmentError)
      return next(
        err.code === 'not_found' ? notFound() : new HttpError(err.code === 'forbidden' ? 403 : 409, err.message),
      );
    next(err);
  });
  return router;
}
