import { Router, type Request, type Response } from 'express';
import type { Config } from '../config';
import { renderPage } from '../web/render';
import { localePath, type Locale } from '../web/i18n';
import type { ReportForm, ReportService } from './service';
import type { CaseRow } from './store';
import { EMAIL_MAX, MESSAGE_MAX, URL_MAX } from './service';

/** The open data's schema version (docs/open-data.md); the same number as /angebote.json's. */
const SCHEMA_VERSION = '1.2';

/**
 * The citizens' side of fake accounts (issue 12): the report form (/melden) and the public
 * warnings (/warnungen, /warnungen.json). Public paths: no session, no cookie — the form is
 * protected by a signed, time-limited token instead (see publicFormTokens in src/web/csrf.ts),
 * a honeypot field and a per-address limit in the database.
 */
export function reportPublicRoutes(deps: { config: Config; reports: ReportService }) {
  const { config, reports } = deps;
  const router = Router();
  const baseUrl = config.baseUrl;

  const showForm = async (res: Response, form: ReportForm, errors: unknown[], status = 200, sent = false) => {
    res.setHeader('Cache-Control', 'no-store');
    await renderPage(
      res,
      'reports/form',
      {
        title: sent ? res.locals.t('reports.form.thanks') : res.locals.t('reports.form.title'),
        form,
        errors,
        sent,
        // a fresh token with every page: a refused form can be sent again as it is
        token: reports.tokens.issue(),
        limits: { message: MESSAGE_MAX, email: EMAIL_MAX, url: URL_MAX },
        retentionDays: config.reports.retentionDays,
      },
      status,
    );
  };

  router.get('/melden', async (req, res) => {
    const url = typeof req.query.url === 'string' ? req.query.url.slice(0, URL_MAX) : '';
    res.locals.switchLocaleUrl = localePath(
      res.locals.otherLocale as Locale,
      url ? `/melden?${new URLSearchParams({ url })}` : '/melden',
    );
    await showForm(res, { url, nachricht: '', email: '', homepage: '' }, [], 200, req.query.gesendet === '1');
  });

  router.post('/melden', async (req: Request, res: Response) => {
    const result = await reports.submit((req.body ?? {}) as Record<string, unknown>, {
      address: req.ip,
      locale: String(res.locals.locale ?? 'de'),
    });
    if (!result.ok) return showForm(res, result.form, result.errors, result.status);
    res.redirect(303, `${localUrl(res, '/melden')}?gesendet=1`);
  });

  /** Open data: the warnings as JSON (docs/open-data.md). */
  const warningJson = (w: CaseRow) => ({
    platform: { key: w.platform_key, name: w.platform_name },
    accountId: w.account_id,
    url: w.account_url,
    since: (w.confirmed_at ?? w.updated_at).toISOString(),
    reportedToPlatformOn: w.reported_to_platform_on,
  });

  router.get('/warnungen', async (_req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=60');
    res.locals.switchLocaleUrl = localePath(res.locals.otherLocale as Locale, '/warnungen');
    await renderPage(res, 'reports/warnings', {
      title: res.locals.t('reports.warnings.title'),
      warnings: await reports.warnings(),
    });
  });

  router.get('/warnungen.json', async (_req, res) => {
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
    res.setHeader('Cache-Control', 'public, max-age=60');
    const list = await reports.warnings();
    res.json({
      schemaVersion: SCHEMA_VERSION,
      publisher: config.operator.name,
      url: `${baseUrl}/warnungen`,
      count: list.length,
      warnings: list.map(warningJson),
    });
  });

  return router;
}

/** The page's address in the visitor's language (src/web/i18n.ts sets res.locals.url). */
function localUrl(res: Response, path: string): string {
  return (res.locals.url as (path: string) => string)(path);
}
