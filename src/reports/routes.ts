import { Router, type NextFunction, type Request, type Response } from 'express';
import type { SessionUser } from '../directory/user';
import { HttpError, notFound } from '../web/errors';
import { renderPage } from '../web/render';
import { pathId } from '../web/forms';
import { CASE_STATES, type CaseState } from './store';
import { COMMENT_MAX, ReportError, readDecision, type Decision, type FieldError, type ReportService } from './service';

/**
 * Triage of reported accounts for the press office (/intern/meldungen, issue 12): the list of
 * cases, a case with its reports and history, and the decision. Behind the sign-in guard; who
 * may read and decide is the policy's (src/policy/access.ts), asked by the service.
 */
export function reportRoutes(deps: { reports: ReportService }) {
  const { reports } = deps;
  const router = Router();
  const me = (req: Request) => {
    const user = req.user as SessionUser;
    return { uid: user.uid, name: user.name, roles: user.roles, headOf: [] as string[] };
  };

  router.get('/meldungen', async (req, res) => {
    const raw = typeof req.query.stand === 'string' ? req.query.stand : '';
    if (raw !== '' && !(CASE_STATES as readonly string[]).includes(raw)) throw new HttpError(400);
    const state = raw === '' ? undefined : (raw as CaseState);
    const { cases, counts } = await reports.list(me(req), state);
    await renderPage(res, 'reports/list', {
      title: res.locals.t('reports.list.title'),
      cases,
      counts,
      states: CASE_STATES,
      state: raw,
    });
  });

  const showCase = async (
    req: Request,
    res: Response,
    id: number,
    form: { decision?: Decision; errors?: FieldError[]; status?: number } = {},
  ) => {
    const view = await reports.get(me(req), id);
    const account = view.row.account_url.replace(/^https?:\/\/(www\.)?/, '');
    await renderPage(
      res,
      'reports/case',
      {
        title: res.locals.t('reports.case.title', { id, account }),
        view,
        states: CASE_STATES,
        decision: form.decision ?? {
          state: view.row.state,
          reportedToPlatformOn: view.row.reported_to_platform_on ?? '',
          presence: view.presence?.slug ?? '',
          comment: '',
        },
        errors: form.errors ?? [],
        commentMax: COMMENT_MAX,
        notice: req.query.gespeichert ? 'reports.case.saved' : undefined,
      },
      form.status ?? 200,
    );
  };

  router.get('/meldungen/:id', async (req, res) => {
    const id = pathId(req.params.id);
    await showCase(req, res, id);
  });

  router.post('/meldungen/:id', async (req, res) => {
    const id = pathId(req.params.id);
    const decision = readDecision((req.body ?? {}) as Record<string, unknown>);
    const result = await reports.decide(me(req), id, decision);
    if (!result.ok) return showCase(req, res, id, { decision, errors: result.errors, status: 400 });
    res.redirect(303, `${localUrl(res, `/intern/meldungen/${id}`)}?gespeichert=1`);
  });

  router.use('/meldungen', (err: unknown, _req: Request, _res: Response, next: NextFunction) => {
    if (err instanceof ReportError) {
      return next(err.code === 'not_found' ? notFound() : new HttpError(err.code === 'forbidden' ? 403 : 400));
    }
    next(err);
  });
  return router;
}

/** The page's address in the visitor's language (src/web/i18n.ts sets res.locals.url). */
function localUrl(res: Response, path: string): string {
  return (res.locals.url as (path: string) => string)(path);
}
