import { Router, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import type { Config } from '../config';
import { localePath, translator, type Catalogues, type Locale } from '../web/i18n';
import type { MessageKey } from '../i18n/keys';
import { renderPage } from '../web/render';
import { notFound } from '../web/errors';
import { etagFor, type CachedResponse } from './cache';
import { catalogueQuads, toJsonLd, toTurtle } from './dcat';
import { absolute, presenceJson, presencesAtom, presencesCsv, presencesJson, SCHEMA_VERSION } from './open-data';
import { openApiDocument } from './openapi';
import { renderHtml } from './render';
import {
  overviewQueryString,
  parseOverviewQuery,
  parseVerifyQuery,
  SLUG,
  type FieldError,
  type OverviewQuery,
  type RawOverviewQuery,
} from './schemas';
import type { PublicService, OverviewResult, PresenceView, Snapshot, VerifyOutcome } from './service';
import type { RegisterState } from './store';
import { MAX_INPUT_LENGTH } from '../registry/canonical';

/** Entries per overview page: short enough to scan, few pages even with thousands. */
export const PER_PAGE = 50;
/** Entries in the Atom feed. */
export const FEED_ENTRIES = 50;
/** Browsers and reverse proxies may reuse a public page for a minute without asking. */
const PUBLIC_CACHE = 'public, max-age=60';
const HTML = 'text/html; charset=utf-8';

interface Produced {
  status?: number;
  type: string;
  body: string | Buffer;
}

/**
 * Public pages: no session, no cookie, cacheable by a reverse proxy. Register-dependent
 * responses are rendered once per register version and locale and answered with
 * ETag/Last-Modified (304 on a match).
 */
export function publicRoutes(deps: {
  config: Config;
  /** The register as the public sees it, with its per-version cache (one per app: src/container.ts). */
  register: PublicService;
  logger: Logger;
  catalogues: Catalogues;
}) {
  const router = Router();
  const service = deps.register;
  const baseUrl = deps.config.baseUrl;
  const rendering = new Map<string, Promise<CachedResponse>>();
  const cachePublic = (res: Response) => res.setHeader('Cache-Control', 'public, max-age=300');

  /** Serves from the per-version cache, rendering (once, even under concurrency) on a miss. */
  async function sendCached(
    req: Request,
    res: Response,
    key: string,
    produce: (state: RegisterState, snap: Snapshot) => Promise<Produced>,
  ): Promise<void> {
    const state = await service.state();
    const cacheKey = `${req.locale}|${key}`;
    let entry = service.cache.get(state, cacheKey);
    if (!entry) {
      const flightKey = `${state.version}|${cacheKey}`;
      let flight = rendering.get(flightKey);
      if (!flight) {
        flight = (async () => {
          const produced = await produce(state, await service.snapshot(state));
          const body = typeof produced.body === 'string' ? Buffer.from(produced.body, 'utf8') : produced.body;
          const result: CachedResponse = {
            status: produced.status ?? 200,
            type: produced.type,
            body,
            etag: etagFor(state.version, body),
            lastModified: state.changedAt.toUTCString(),
          };
          if (result.status === 200) service.cache.set(state, cacheKey, result);
          return result;
        })();
        rendering.set(flightKey, flight);
        const done = () => rendering.delete(flightKey);
        flight.then(done, done);
      }
      entry = await flight;
    }
    send(req, res, entry);
  }

  function send(req: Request, res: Response, entry: CachedResponse) {
    if (entry.status !== 200) {
      res.setHeader('Cache-Control', 'no-store');
      res.status(entry.status).setHeader('Content-Type', entry.type);
      res.send(entry.body);
      return;
    }
    res.setHeader('Cache-Control', PUBLIC_CACHE);
    res.setHeader('ETag', entry.etag);
    res.setHeader('Last-Modified', entry.lastModified);
    res.status(200);
    if (req.fresh) {
      res.status(304).end();
      return;
    }
    res.setHeader('Content-Type', entry.type);
    res.send(entry.body);
  }

  /** Open data may be read by web pages elsewhere: no cookies, so nothing to protect. */
  const openData = (res: Response) => {
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
  };

  /** The language switch and links must not carry whatever else was in the address. */
  const canonicalLinks = (res: Response, path: string) => {
    const other = res.locals.otherLocale as Locale;
    res.locals.switchLocaleUrl = localePath(other, path);
  };

  const alternateLinks = (res: Response) => [
    { type: 'application/atom+xml', href: res.locals.url('/angebote.atom'), title: res.locals.t('public.alt.atom') },
    { type: 'application/json', href: res.locals.url('/angebote.json'), title: res.locals.t('public.alt.json') },
  ];

  // ---------- overview ----------

  router.get('/', async (req, res) => {
    // A web address typed or pasted into the search is checked like on /pruefen: its verdict,
    // not "nothing found" (the check page shows the answer first and works without JavaScript).
    const parsed = parseOverviewQuery(req.query);
    const q = parsed.raw.q.trim();
    if (
      q !== '' &&
      q.length <= MAX_INPUT_LENGTH &&
      service.isAddress(await service.snapshot(await service.state()), q)
    ) {
      res.setHeader('Cache-Control', 'no-store');
      return res.redirect(303, `${res.locals.url('/pruefen')}?${new URLSearchParams({ url: q })}`);
    }
    if (!parsed.ok) {
      const state = await service.state();
      const snap = await service.snapshot(state);
      canonicalLinks(res, '/');
      return sendHtml(res, 400, await renderOverview(res, snap, { raw: parsed.raw, errors: parsed.errors }));
    }
    const query = parsed.query;
    const qs = overviewQueryString(query);
    canonicalLinks(res, `/${qs}`);
    await sendCached(req, res, `overview${qs}`, async (_state, snap) => {
      const resolved = await service.resolveFilter(snap, query);
      if (!resolved.ok) {
        return {
          status: 400,
          type: HTML,
          body: await renderOverview(res, snap, { raw: parsed.raw, errors: resolved.errors }),
        };
      }
      const page = await service.overview(snap, resolved.filter, query.seite, PER_PAGE);
      if (!page.ok) {
        const errors: FieldError[] = [
          { field: 'seite', message: 'public.error.pageTooHigh', params: { page: query.seite, pages: page.pages } },
        ];
        return { status: 404, type: HTML, body: await renderOverview(res, snap, { raw: parsed.raw, errors, query }) };
      }
      return {
        type: HTML,
        body: await renderOverview(res, snap, { raw: parsed.raw, errors: [], query, result: page.result }),
      };
    });
  });

  /** A long address in a page title: the start and an ellipsis. */
  const shorten = (text: string, max: number) => {
    const chars = Array.from(new Intl.Segmenter().segment(text), (s) => s.segment); // what a reader counts
    return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : text;
  };

  const escapeHtml = (s: string) =>
    s.replace(
      /[&<>"']/g,
      (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
    );

  function sendHtml(res: Response, status: number, html: string) {
    res.setHeader('Cache-Control', 'no-store');
    res.status(status).type('html').send(html);
  }

  async function renderOverview(
    res: Response,
    snap: Snapshot,
    view: {
      raw: RawOverviewQuery;
      errors: FieldError[];
      query?: OverviewQuery;
      result?: OverviewResult;
    },
  ): Promise<string> {
    const t = res.locals.t;
    const query = view.query;
    const filtered = Boolean(query && (query.q || query.plattform || query.bereich));
    const page = view.result?.page ?? 1;
    let title = filtered ? `${t('public.overview.resultsTitle')} – ${t('home.title')}` : t('home.title');
    if (view.result && view.result.pages > 1)
      title += ` – ${t('public.pagination.pageOf', { page, pages: view.result.pages })}`;
    // with errors the layout puts "Fehler:" in front (views/layouts/main.ejs)
    const pageHref = (n: number) => res.locals.url('/') + overviewQueryString({ ...query, seite: n });
    return renderHtml(res, 'public/home', {
      title,
      raw: view.raw,
      errors: view.errors,
      filtered: filtered || view.errors.length > 0,
      result: view.result,
      pageHref,
      platformOptions: snap.platforms
        .filter((p) => snap.platformsInUse.has(p.key) || p.key === query?.plattform)
        .map((p) => ({ value: p.key, label: p.name })),
      unitOptions: snap.units.ordered
        .filter((u) => snap.unitsInUse.has(u.id) || u.code === query?.bereich)
        .map((u) => ({ value: u.code, label: u.name, depth: u.depth })),
      href: (path: string) => res.locals.url(path),
      alternateLinks: alternateLinks(res),
    });
  }

  // ---------- presence page ----------

  router.get('/angebote', (_req, res) => res.redirect(301, res.locals.url('/')));

  router.get('/angebote/:slug', async (req, res, next) => {
    const slug = String(req.params.slug);
    if (!SLUG.test(slug)) return next();
    canonicalLinks(res, `/angebote/${slug}`);
    await sendCached(req, res, `presence/${slug}`, async (_state, snap) => {
      const presence = await service.presence(snap, slug);
      // never cached: the error handler answers with the friendly 404 page
      if (!presence) throw notFound();
      return {
        type: HTML,
        body: await renderHtml(res, 'public/presence', {
          title: presence.name,
          presence,
          href: (path: string) => res.locals.url(path),
          alternateLinks: alternateLinks(res),
        }),
      };
    });
  });

  // ---------- "is this account official?" ----------

  const verifyErrorKey = (reason: string): MessageKey => `public.verify.error.${reason}` as MessageKey;

  router.get('/pruefen', async (req, res) => {
    const input = parseVerifyQuery(req.query);
    canonicalLinks(res, input.kind === 'value' ? `/pruefen?${new URLSearchParams({ url: input.value })}` : '/pruefen');
    const t = res.locals.t;
    const state = await service.state();
    const snap = await service.snapshot(state);
    let outcome: VerifyOutcome | undefined;
    const errors: FieldError[] = [];
    if (input.kind === 'repeated') errors.push({ field: 'url', message: 'public.verify.error.repeated' });
    if (input.kind === 'value') {
      outcome = await service.verify(snap, input.value);
      if (outcome.result === 'invalid') {
        errors.push({ field: 'url', message: verifyErrorKey(outcome.reason), params: { max: MAX_INPUT_LENGTH } });
        outcome = undefined;
      }
    }
    const html = await renderHtml(res, 'public/verify', {
      title: verifyTitle(t, errors.length > 0, outcome, input.kind === 'value' ? input.value : ''),
      value: input.kind === 'value' ? input.value : '',
      errors,
      outcome,
      contact: deps.config.operator.email
        ? { unit: deps.config.operator.unit, email: deps.config.operator.email }
        : null,
      href: (path: string) => res.locals.url(path),
    });
    if (errors.length > 0) return sendHtml(res, 400, html);
    res.setHeader('Cache-Control', PUBLIC_CACHE);
    res.status(200).type('html').send(html);
  });

  /** On a phone the tab and the screen reader say the verdict first: "Offiziell: …", "Nicht im Register: …". */
  function verifyTitle(
    t: Response['locals']['t'],
    failed: boolean,
    outcome: VerifyOutcome | undefined,
    input: string,
  ): string {
    const page = t('public.verify.title');
    if (failed) return page; // the layout puts "Fehler:" in front of a page with errors
    if (!outcome || outcome.result === 'invalid') return page;
    const address = shorten(outcome.canonicalUrl ?? input.trim(), 80);
    switch (outcome.result) {
      case 'official':
        return `${t('public.verify.titleOfficial', { name: outcome.presence.name, platform: outcome.platform.name })} – ${page}`;
      case 'formerly_official':
        return `${t('public.verify.titleFormerly', { name: outcome.presence.name, platform: outcome.platform.name })} – ${page}`;
      case 'unresolvable':
        return `${t('public.verify.titleUnresolvable', { address })} – ${page}`;
      case 'impostor':
        return `${t('reports.verify.titleImpostor', { address })} – ${page}`;
      default:
        return `${t('public.verify.titleUnknown', { address })} – ${page}`;
    }
  }

  router.get('/pruefen.json', async (req, res) => {
    openData(res);
    const t = res.locals.t;
    const input = parseVerifyQuery(req.query);
    const fail = (reason: string, message: MessageKey) => {
      res.setHeader('Cache-Control', 'no-store');
      res.status(400).json({
        error: { status: 400, reason, message: t(message, { max: MAX_INPUT_LENGTH }), requestId: req.requestId },
      });
    };
    if (input.kind === 'missing') return fail('missing_url', 'public.verify.error.empty');
    if (input.kind === 'repeated') return fail('repeated_parameter', 'public.verify.error.repeated');
    const state = await service.state();
    const snap = await service.snapshot(state);
    const outcome = await service.verify(snap, input.value);
    if (outcome.result === 'invalid') return fail(outcome.reason, verifyErrorKey(outcome.reason));
    res.setHeader('Cache-Control', PUBLIC_CACHE);
    res.json(verifyJson(input.value, outcome));
  });

  function verifyJson(input: string, outcome: Exclude<VerifyOutcome, { result: 'invalid' }>) {
    const known = outcome.result === 'official' || outcome.result === 'formerly_official';
    return {
      schemaVersion: SCHEMA_VERSION,
      input,
      result: outcome.result,
      reason: outcome.result === 'unknown' ? outcome.reason : null,
      platform: outcome.platform,
      accountId: outcome.accountId,
      canonicalUrl: outcome.canonicalUrl,
      officialUntil: known && outcome.officialUntil ? outcome.officialUntil.toISOString() : null,
      presence: known ? presenceJson(outcome.presence, baseUrl) : null,
      // issue 12: the registered presences an unknown account imitates, and the public warning
      lookalikeOf:
        outcome.result === 'unknown'
          ? outcome.lookalikeOf.map((l) => ({
              name: l.name,
              url: l.url,
              page: absolute(baseUrl, `/angebote/${l.slug}`),
              status: l.status,
            }))
          : [],
      warning:
        outcome.result === 'impostor'
          ? {
              since: outcome.warnedSince.toISOString(),
              reportedToPlatformOn: outcome.reportedToPlatformOn,
              list: absolute(baseUrl, '/warnungen'),
            }
          : null,
    };
  }

  // ---------- open data ----------

  router.get('/angebote.json', async (req, res) => {
    openData(res);
    await sendCached(req, res, 'json', async (state, snap) => ({
      type: 'application/json; charset=utf-8',
      body: presencesJson(await service.allActive(snap), {
        baseUrl,
        publisher: deps.config.operator.name,
        lastModified: state.changedAt,
      }),
    }));
  });

  router.get('/angebote.csv', async (req, res) => {
    openData(res);
    res.setHeader('Content-Disposition', 'inline; filename="angebote.csv"');
    await sendCached(req, res, 'csv', async (_state, snap) => ({
      type: 'text/csv; charset=utf-8; header=present',
      body: presencesCsv(await service.allActive(snap), baseUrl),
    }));
  });

  router.get('/angebote.atom', async (req, res) => {
    openData(res);
    const t = res.locals.t;
    await sendCached(req, res, 'atom', async (state, snap) => ({
      type: 'application/atom+xml; charset=utf-8',
      body: presencesAtom(await service.newest(snap, FEED_ENTRIES), {
        baseUrl,
        updated: state.changedAt,
        warnings: (await service.warnings(FEED_ENTRIES)).map((w) => ({
          id: w.id,
          title: t('reports.feed.title', { account: w.account_id, platform: w.platform_name }),
          summary: t('reports.feed.summary', { url: w.account_url, platform: w.platform_name }),
          since: w.confirmed_at ?? state.changedAt,
          platform: { key: w.platform_key, name: w.platform_name },
        })),
        texts: {
          lang: res.locals.locale as string,
          title: t('public.feed.title'),
          subtitle: t('public.feed.subtitle'),
          author: deps.config.operator.name,
          url: (path: string) => res.locals.url(path),
          summary: (p: PresenceView) =>
            `${p.description}\n\n${t('public.feed.meta', { platform: p.platform.name, unit: p.unit.path.join(' › ') })}`,
        },
      }),
    }));
  });

  router.get('/einbetten', async (req, res) => {
    openData(res);
    const parsed = parseOverviewQuery({ plattform: req.query.plattform, bereich: req.query.bereich });
    const key = parsed.ok
      ? `embed${overviewQueryString({ plattform: parsed.query.plattform, bereich: parsed.query.bereich })}`
      : '';
    const refusal = () => `<p class="kern-body">${escapeHtml(res.locals.t('public.embed.invalid'))}</p>\n`;
    if (!parsed.ok) return sendHtml(res, 400, refusal());
    await sendCached(req, res, key, async (state, snap) => {
      const resolved = await service.resolveFilter(snap, {
        q: '',
        plattform: parsed.query.plattform,
        bereich: parsed.query.bereich,
      });
      if (!resolved.ok) return { status: 400, type: HTML, body: refusal() };
      const list = await service.allActive(snap, resolved.filter);
      return {
        type: 'text/html; charset=utf-8',
        body: await renderHtml(
          res,
          'public/embed',
          {
            ...service.group(list),
            count: list.length,
            changedAt: state.changedAt,
            // the fragment lives on another site: every link is absolute
            href: (path: string) => absolute(baseUrl, res.locals.url(path)),
          },
          false,
        ),
      };
    });
  });

  // DCAT-AP.de catalogue for the open-data portals: the same graph in both languages and formats
  const catalogue = async (state: RegisterState) =>
    catalogueQuads({
      baseUrl,
      operator: deps.config.operator,
      openData: deps.config.openData,
      modified: state.changedAt,
      issued: (await service.firstPublished()) ?? state.changedAt,
      t: { de: translator('de', deps.catalogues), en: translator('en', deps.catalogues) },
    });
  router.get('/dcat.ttl', async (req, res) => {
    openData(res);
    await sendCached(req, res, 'dcat.ttl', async (state) => ({
      type: 'text/turtle; charset=utf-8',
      body: await toTurtle(await catalogue(state)),
    }));
  });
  router.get('/dcat.jsonld', async (req, res) => {
    openData(res);
    await sendCached(req, res, 'dcat.jsonld', async (state) => ({
      type: 'application/ld+json; charset=utf-8',
      body: await toJsonLd(await catalogue(state)),
    }));
  });

  const openApi = JSON.stringify(openApiDocument({ baseUrl, contact: deps.config.operator.email }), null, 2);
  router.get('/api/openapi.json', (_req, res) => {
    openData(res);
    res.setHeader('Cache-Control', 'public, max-age=3600');
    res.type('application/json; charset=utf-8').send(openApi);
  });

  // ---------- legal pages ----------

  const legal: Array<[string, string, 'legal.imprint.title' | 'legal.privacy.title' | 'legal.accessibility.title']> = [
    ['/impressum', 'legal/imprint', 'legal.imprint.title'],
    ['/datenschutz', 'legal/privacy', 'legal.privacy.title'],
    ['/barrierefreiheit', 'legal/accessibility', 'legal.accessibility.title'],
  ];
  for (const [path, view, titleKey] of legal) {
    router.get(path, async (_req, res) => {
      cachePublic(res);
      canonicalLinks(res, path);
      await renderPage(res, view, { title: res.locals.t(titleKey), operator: deps.config.operator });
    });
  }
  return router;
}
