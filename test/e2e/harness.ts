import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type Page,
  type Response,
} from 'playwright-core';
import { createTestContext, type TestContext } from '../helpers/app';
import { seedDemo } from '../../src/demo/seed';
import { de, en, type MessageKey } from '../../src/messages';
import { recordRouters } from './routes';

/** The message catalogue: tests find fields and buttons by the texts people read. */
export type Texts = Record<MessageKey, string>;
export const texts: Record<'de' | 'en', Texts> = { de, en };

/** Debian's chromium, driven by playwright-core (nothing is downloaded). Flags from STACK-NOTES.md. */
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

export interface Portal {
  /** http://127.0.0.1:<port>, also the app's BASE_URL */
  baseUrl: string;
  host: string;
  app: Express;
  ctx: TestContext;
  close(): Promise<void>;
}

/**
 * The real application (createApp through the test helpers: fresh migrated database, real demo
 * directory) on 127.0.0.1 and an ephemeral port. The port is taken first so that BASE_URL is
 * the address the browser uses; then, if asked, the demo data is seeded.
 */
export async function startPortal(opts: { seed?: boolean } = {}): Promise<Portal> {
  let handler: Express | undefined;
  const server = http.createServer((req, res) => {
    if (handler) return handler(req, res);
    res.statusCode = 503;
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const baseUrl = `http://127.0.0.1:${port}`;
  const ctx = await recordRouters(() => createTestContext({ BASE_URL: baseUrl }));
  if (opts.seed) {
    const seeded = await seedDemo(ctx.database.db, ctx.services.directory, () => ctx.clock.now, baseUrl);
    if (!seeded) throw new Error('demo data was not seeded');
  }
  handler = ctx.app;
  return {
    baseUrl,
    host: `127.0.0.1:${port}`,
    app: ctx.app,
    ctx,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await ctx.close();
    },
  };
}

/** What a browser context saw: every request, and every Content-Security-Policy violation. */
export interface Observed {
  requests: Array<{ url: string; page: string }>;
  csp: string[];
  console: string[];
  pageErrors: string[];
}

/**
 * A browser context on the portal that records every request and every CSP violation.
 * CSP violations are caught twice: as console messages (also when JavaScript is off) and as
 * `securitypolicyviolation` events through an init script (injected by playwright, so not
 * subject to the page's CSP).
 */
export async function observedContext(
  browser: Browser,
  portal: Portal,
  options: BrowserContextOptions = {},
): Promise<{ context: BrowserContext; observed: Observed }> {
  const context = await browser.newContext({
    baseURL: portal.baseUrl,
    locale: 'de-DE',
    timezoneId: 'Europe/Berlin',
    ...options,
  });
  context.setDefaultTimeout(15_000);
  const observed: Observed = { requests: [], csp: [], console: [], pageErrors: [] };
  context.on('request', (r) => {
    const frame = (() => {
      try {
        return r.frame().url();
      } catch {
        return '';
      }
    })();
    observed.requests.push({ url: r.url(), page: frame });
  });
  if (options.javaScriptEnabled !== false) {
    await context.exposeBinding('__smrCspViolation', (source, text: string) => {
      observed.csp.push(`${source.page?.url() ?? ''}: ${text}`);
    });
    await context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        const report = (window as unknown as { __smrCspViolation?: (t: string) => void }).__smrCspViolation;
        report?.(`${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile}:${e.lineNumber}`);
      });
    });
  }
  const watch = (page: Page) => {
    page.on('console', (m) => {
      const text = m.text();
      if (m.type() === 'error' || m.type() === 'warning') observed.console.push(`${page.url()}: ${text}`);
      if (/Content[- ]Security[- ]Policy/i.test(text)) observed.csp.push(`${page.url()}: ${text}`);
    });
    page.on('pageerror', (err) => observed.pageErrors.push(`${page.url()}: ${err.message}`));
  };
  context.on('page', watch);
  return { context, observed };
}

/** Requests of a context that went anywhere but the app itself (data: URIs are not requests to a host). */
export function foreignRequests(observed: Observed, portal: Portal): string[] {
  return observed.requests
    .map((r) => r.url)
    .filter((u) => {
      if (u.startsWith('data:') || u === 'about:blank') return false;
      try {
        return new URL(u).host !== portal.host;
      } catch {
        return true;
      }
    });
}

/**
 * Records main-frame document responses so a test can read the HTML exactly as the server sent
 * it (also after a POST that answered 400), which is what the Nu Html Checker must see.
 */
export function trackDocuments(page: Page): { last(): Response | undefined; html(): Promise<string> } {
  let last: Response | undefined;
  page.on('response', (r) => {
    if (r.request().resourceType() === 'document' && r.frame() === page.mainFrame()) last = r;
  });
  return {
    last: () => last,
    html: async () => {
      if (!last) throw new Error('no document loaded yet');
      return last.text();
    },
  };
}

/** Signs in through the form at /anmelden, as a person does: by the labels. */
export async function signIn(page: Page, uid: string, locale: 'de' | 'en' = 'de', password = 'demo') {
  const t = texts[locale];
  await page.goto(locale === 'de' ? '/anmelden' : '/en/anmelden');
  await page.getByLabel(t['signIn.username'], { exact: true }).fill(uid);
  await page.getByLabel(t['signIn.password'], { exact: true }).fill(password);
  await Promise.all([
    page.waitForURL((u) => /\/intern(\/|$|\?)/.test(u.pathname + u.search)),
    page.getByRole('button', { name: t['signIn.submit'], exact: true }).click(),
  ]);
}

/** A signed-in browser context per person (each with its own cookie jar). */
export async function personContext(
  browser: Browser,
  portal: Portal,
  uid: string,
  options: BrowserContextOptions = {},
) {
  const { context, observed } = await observedContext(browser, portal, options);
  const page = await context.newPage();
  await signIn(page, uid);
  return { context, page, observed };
}

/** The focused element's visible focus indicator: outline and box-shadow as computed. */
export async function focusStyle(page: Page) {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body)
      return { tag: el?.tagName ?? 'none', visible: false, outline: 'none', boxShadow: 'none', text: '', inner: false };
    // focus inside the element's built-in shadow tree (e.g. the calendar button of a date field)
    const inner = !el.matches(':focus') && el.matches(':focus-within');
    const s = getComputedStyle(el);
    const outline =
      s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0
        ? `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}`
        : 'none';
    const boxShadow = s.boxShadow && s.boxShadow !== 'none' ? s.boxShadow : 'none';
    const label = (el.getAttribute('aria-label') || el.textContent || el.getAttribute('name') || el.id || '')
      .trim()
      .slice(0, 60);
    return {
      tag: el.tagName.toLowerCase(),
      visible: outline !== 'none' || boxShadow !== 'none',
      outline,
      boxShadow,
      text: label,
      inner,
    };
  });
}
