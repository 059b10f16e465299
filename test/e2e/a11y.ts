import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  foreignRequests,
  launchBrowser,
  observedContext,
  signIn,
  startPortal,
  texts,
  trackDocuments,
  type Observed,
  type Portal,
} from './harness';
import { prepareFixtures } from './fixtures';
import { PAGES, isStaffPath, localized, type Fixtures, type Locale, type PageSpec } from './pages';
import { checkDocuments, describeMessage, isError, isWarning, type VnuMessage } from './vnu';

/** The WCAG 2.2 AA rule set of axe-core (2.0, 2.1 and 2.2 rules at levels A and AA). */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** Where the run leaves its findings (per page: axe violations, vnu errors and warnings). */
export const REPORT_DIR = process.env.E2E_REPORT_DIR || path.join(os.tmpdir(), 'smr-e2e-report');

/**
 * The CMS fragment as Hannover.de would embed it: inside a minimal valid page that styles it
 * with KERN UX and the portal's card styles (docs/open-data.md: the fragment uses KERN's
 * classes; export:static ships the same stylesheets). Touch-target sizes (WCAG 2.2) depend
 * on those styles, so an unstyled host page would measure the host, not the fragment.
 */
export function hostPage(fragment: string, locale: Locale, baseUrl = ''): string {
  const css = ['/assets/kern/kern.min.css', '/assets/app.css', '/assets/public.css']
    .map((href) => `<link rel="stylesheet" href="${baseUrl}${href}">`)
    .join('');
  return `<!doctype html>\n<html lang="${locale}">\n<head><meta charset="utf-8"><title>Hannover.de</title>${css}</head>\n<body>\n<main>\n<h1>Hannover.de</h1>\n${fragment}\n</main>\n</body>\n</html>\n`;
}

interface Visitor {
  context: BrowserContext;
  page: Page;
  observed: Observed;
  docs: ReturnType<typeof trackDocuments>;
}

/**
 * axe-core on a page, WCAG 2.1 AA rules only. Legacy mode runs axe.run() in the page itself
 * instead of finishing in a new blank page (the portal has no iframes; this halves the time).
 * resultTypes: only violations carry all their nodes; options() replaces runOnly, so it comes
 * before withTags().
 */
export const axe = (page: Page) =>
  new AxeBuilder({ page })
    .setLegacyMode(true)
    .options({ resultTypes: ['violations'] })
    .withTags(AXE_TAGS);

/**
 * WCAG 1.4.10 Reflow: at 320 CSS px nothing may need sideways scrolling. Returns the page's
 * width and the outermost elements that stick out (empty when the page fits). The viewport is
 * restored afterwards, so the next page is checked at the usual size.
 */
export async function overflowAt320(page: Page): Promise<string[]> {
  const before = page.viewportSize();
  await page.setViewportSize({ width: 320, height: 640 });
  try {
    return await page.evaluate(() => {
      const width = document.documentElement.clientWidth;
      if (document.documentElement.scrollWidth <= width) return [];
      const out: string[] = [`page ${document.documentElement.scrollWidth} px wide`];
      for (const el of Array.from(document.body.querySelectorAll<HTMLElement>('*'))) {
        const r = el.getBoundingClientRect();
        if (r.width === 0 || r.right <= width + 0.5) continue;
        // inside a region that scrolls by itself (a wide table), the page does not move
        let clipped = false;
        for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
          if (['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(a).overflowX)) clipped = true;
        }
        if (clipped) continue;
        // report only the outermost culprit: its parent still fits
        const parent = el.parentElement?.getBoundingClientRect();
        if (parent && parent.right > width + 0.5) continue;
        const name =
          el.tagName.toLowerCase() +
          (el.id ? `#${el.id}` : '') +
          (el.className && typeof el.className === 'string' ? `.${el.className.trim().split(/\s+/).join('.')}` : '');
        out.push(`${name} reaches ${Math.round(r.right)} px: ${(el.textContent ?? '').trim().slice(0, 60)}`);
        if (out.length > 6) break;
      }
      if (out.length === 1)
        out.push('no element sticks out in the flow: look for position: absolute inside a scrolling region');
      return out;
    });
  } finally {
    if (before) await page.setViewportSize(before);
  }
}

type AxeViolation = Awaited<ReturnType<AxeBuilder['analyze']>>['violations'][number];

export const describeViolation = (v: AxeViolation) =>
  `${v.id} [${v.impact}] ${v.help}: ${v.nodes.map((n) => `${n.target.join(' ')} → ${(n.failureSummary ?? '').replace(/\s+/g, ' ')}`).join(' | ')}`;

/**
 * axe-core and the Nu Html Checker on every entry of PAGES in one locale, and the privacy of
 * the public pages (no foreign request, no cookie, no CSP violation) as the browser saw it.
 */
export function defineAccessibilitySuite(locale: Locale) {
  const t = texts[locale];
  let portal: Portal;
  let browser: Browser;
  let fixtures: Fixtures;
  const visitors = new Map<string, Visitor>();
  const documents = new Map<string, string>();
  const report: Record<
    string,
    {
      path: string;
      status?: number;
      axe?: string[];
      vnuErrors?: string[];
      vnuWarnings?: string[];
      csp?: string[];
      ms?: { load: number; axe: number };
      reflow?: string[];
    }
  > = {};

  beforeAll(async () => {
    portal = await startPortal({ seed: true });
    fixtures = await prepareFixtures(portal);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    fs.mkdirSync(REPORT_DIR, { recursive: true });
    fs.writeFileSync(path.join(REPORT_DIR, `pages-${locale}.json`), JSON.stringify(report, null, 2));
    await browser?.close();
    await portal?.close();
  });

  /** One browser context per person (and one for citizens, one for the anonymous sign-in pages). */
  async function visitor(spec: PageSpec): Promise<Visitor> {
    const key = spec.as ?? (isStaffPath(spec.path(fixtures)) ? '(anonymous, staff pages)' : '(citizen)');
    let v = visitors.get(key);
    if (!v) {
      const { context, observed } = await observedContext(browser, portal);
      const page = await context.newPage();
      const docs = trackDocuments(page);
      if (spec.as) await signIn(page, spec.as, locale);
      v = { context, page, observed, docs };
      visitors.set(key, v);
    }
    return v;
  }

  const title = (spec: PageSpec) => `${spec.name}${spec.as ? ` (as ${spec.as})` : ''}`;

  describe(`axe-core ${AXE_TAGS.join(', ')} (${locale})`, () => {
    it.each(PAGES.map((spec) => [title(spec), spec] as const))('%s', async (name, spec) => {
      const v = await visitor(spec);
      const target = localized(spec.path(fixtures), locale);
      const entry: (typeof report)[string] = (report[name] = { path: target });
      const cspBefore = v.observed.csp.length;
      const t0 = Date.now();
      await v.page.goto(target);
      if (spec.reach) await spec.reach(v.page, t, fixtures);
      const t1 = Date.now();
      const doc = v.docs.last();
      entry.status = doc?.status();
      expect(entry.status, `HTTP status of ${v.page.url()}`).toBe(spec.status ?? 200);
      if (spec.errorState) {
        expect(await v.page.locator('.error-summary').count(), 'error summary shown').toBe(1);
        // issue 17: the title says so, and every summary link lands on a field that takes focus
        expect(await v.page.title(), 'page title of a form with errors').toMatch(
          locale === 'de' ? /^Fehler: / : /^Error: /,
        );
        const unreachable = await v.page.evaluate(() =>
          Array.from(document.querySelectorAll('.error-summary a[href^="#"]'))
            .map((a) => (a.getAttribute('href') ?? '').slice(1))
            .filter((id) => {
              const el = document.getElementById(id);
              // a field, or for an error about a whole action (no field) its button
              if (!el || !el.matches('input:not([type="hidden"]), select, textarea, button')) return true;
              el.focus();
              return document.activeElement !== el;
            }),
        );
        expect(unreachable, 'error summary links whose target is not a focusable field').toEqual([]);
      }
      let html = await v.docs.html();
      if (spec.fragment) {
        html = hostPage(html, locale, portal.baseUrl);
        await v.page.setContent(html);
      }
      documents.set(name, html);
      const results = await axe(v.page).analyze();
      entry.ms = { load: t1 - t0, axe: Date.now() - t1 };
      expect(results.passes.length, 'axe-core ran its rules').toBeGreaterThan(10);
      entry.axe = results.violations.map(describeViolation);
      entry.csp = v.observed.csp.slice(cspBefore);
      expect(entry.csp, 'Content-Security-Policy violations').toEqual([]);
      expect(entry.axe, `axe-core violations on ${target}`).toEqual([]);
      if (!spec.fragment) {
        entry.reflow = await overflowAt320(v.page);
        expect(entry.reflow, `content wider than 320 CSS px on ${target} (WCAG 1.4.10 Reflow)`).toEqual([]);
      }
    });
  });

  describe(`Nu Html Checker (${locale})`, () => {
    let results: Map<string, VnuMessage[]> | undefined;
    beforeAll(async () => {
      if (documents.size === 0) return;
      results = await checkDocuments([...documents].map(([key, html]) => ({ key, html })));
    }, 180_000);

    it.each(PAGES.map((spec) => [title(spec)] as const))('%s', (name) => {
      const messages = results?.get(name);
      expect(messages, 'the page was not captured (its axe test failed before the HTML was read)').toBeDefined();
      const entry = report[name] as (typeof report)[string];
      entry.vnuErrors = (messages ?? []).filter(isError).map(describeMessage);
      entry.vnuWarnings = (messages ?? []).filter(isWarning).map(describeMessage);
      expect(entry.vnuErrors, `Nu Html Checker errors on ${entry.path}`).toEqual([]);
    });
  });

  describe(`public pages in the browser (${locale})`, () => {
    it('load nothing from another host and set no cookie', async () => {
      const v = visitors.get('(citizen)');
      expect(v, 'the public pages were visited').toBeDefined();
      if (!v) return;
      expect(v.observed.requests.length).toBeGreaterThan(20);
      expect(foreignRequests(v.observed, portal)).toEqual([]);
      expect(await v.context.cookies()).toEqual([]);
      expect(v.observed.csp).toEqual([]);
    });
  });
}
