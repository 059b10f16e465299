import { Router, type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import { HttpError } from '../web/errors';
import { parseQuery } from '../web/input';
import { renderPage } from '../web/render';
import { datesFor, type DateFormatters } from '../web/dates';
import { localePath, type Locale } from '../web/i18n';
import { isTemplateKey } from './templates';
import { GROUP_ROLES } from '../config';
import type { OutboxMessage, OutboxPages } from './outbox';
import { isAdmin } from '../policy/access';

const PAGE_SIZE = 50;
const BASE = '/intern/postausgang';

// Repeated parameters arrive as arrays and fail here too (→ 400). '' is the "all" option.
const statusParam = z
  .union([z.literal(''), z.enum(['pending', 'sent', 'failed'])])
  .optional()
  .transform((v) => (v ? v : undefined));
const pageParam = z
  .string()
  .regex(/^[1-9]\d{0,5}$/)
  .transform(Number)
  .optional();
const listQuery = z.object({
  status: statusParam,
  seite: pageParam,
  erneut: z
    .string()
    .regex(/^[1-9]\d{0,9}$/)
    .optional(),
});
/** The retry form carries the list's filter so that the redirect returns to the same view. */
const backFields = z.object({ status: statusParam, seite: pageParam });
const ID = /^[1-9]\d{0,9}$/;

function listHref(locale: Locale, query: { status?: string | undefined; seite?: number | undefined; erneut?: number }) {
  const qs = new URLSearchParams();
  if (query.status) qs.set('status', query.status);
  if (query.seite && query.seite > 1) qs.set('seite', String(query.seite));
  if (query.erneut) qs.set('erneut', String(query.erneut));
  const s = qs.toString();
  return localePath(locale, BASE) + (s ? `?${s}` : '');
}

function viewModel(m: OutboxMessage, format: DateFormatters) {
  return {
    id: m.id,
    recipientEmail: m.recipientEmail,
    recipientUid: m.recipientUid,
    // a mail to everybody in a role, expanded from the directory group when it is delivered
    recipientRoleKey:
      m.recipientRole && (GROUP_ROLES as readonly string[]).includes(m.recipientRole)
        ? `role.${m.recipientRole}`
        : undefined,
    recipientRole: m.recipientRole,
    subject: m.subject,
    // paragraphs of lines: shown as text with <br>, never as HTML
    bodyParagraphs: m.body
      .trimEnd()
      .split(/\n{2,}/)
      .map((p) => p.split('\n')),
    templateKey: isTemplateKey(m.template) ? `notifications.template.${m.template}` : undefined,
    template: m.template,
    status: m.status,
    attempts: m.attempts,
    lastError: m.lastError,
    created: { iso: m.createdAt.toISOString(), text: format.momentTable(m.createdAt) },
    sent: m.sentAt ? { iso: m.sentAt.toISOString(), text: format.momentTable(m.sentAt) } : undefined,
    nextAttempt:
      m.status === 'pending'
        ? { iso: m.nextAttemptAt.toISOString(), text: format.momentTable(m.nextAttemptAt) }
        : undefined,
  };
}

/**
 * The administrators' outbox: what went out, what waits, what failed — and "send again"
 * for failed messages. Mounted under /intern/postausgang behind the sign-in guard; the
 * admin check is here as well, so the page is safe wherever it is mounted.
 */
export function outboxRoutes(deps: { outbox: OutboxPages }) {
  const { outbox } = deps;
  const router = Router();

  router.use((req: Request, _res: Response, next: NextFunction) => {
    if (!req.user || !isAdmin(req.user)) return next(new HttpError(403));
    next();
  });

  router.get('/', async (req, res) => {
    const { status, erneut, seite } = parseQuery(listQuery, req.query);
    const page = seite ?? 1;
    const { items, total } = await outbox.list({ status, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    const format = datesFor(req.locale); // table cells: momentTable
    await renderPage(res, 'notifications/outbox', {
      title: res.locals.t('notifications.outbox.title'),
      messages: items.map((m) => viewModel(m, format)),
      status: status ?? '',
      statuses: ['pending', 'sent', 'failed'],
      page,
      pages,
      total,
      retriedId: erneut,
      previousHref: page > 1 ? listHref(req.locale, { status, seite: page - 1 }) : undefined,
      nextHref: page < pages ? listHref(req.locale, { status, seite: page + 1 }) : undefined,
    });
  });

  router.post('/:id/erneut', async (req, res) => {
    const rawId = req.params.id ?? '';
    const id = ID.test(rawId) ? Number(rawId) : NaN;
    if (!Number.isSafeInteger(id) || id > 2_147_483_647) throw new HttpError(404);
    const outcome = await outbox.retry(id);
    if (outcome === 'not_found') throw new HttpError(404);
    const back = backFields.safeParse(req.body ?? {});
    const filter = back.success ? back.data : {};
    // a message that is no longer failed (double click, another admin) is simply shown again
    res.redirect(303, listHref(req.locale, { ...filter, ...(outcome === 'retried' ? { erneut: id } : {}) }));
  });

  return router;
}
