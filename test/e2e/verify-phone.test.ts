import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContextOptions, Locator, Page } from 'playwright-core';
import {
  foreignRequests,
  launchBrowser,
  observedContext,
  startPortal,
  texts,
  trackDocuments,
  type Portal,
} from './harness';
import { prepareFixtures } from './fixtures';
import { PAGES, isStaffPath, localized, type Fixtures, type Locale } from './pages';

/**
 * The account check on a phone (issue 17): a citizen pastes what the Facebook app's "Link
 * kopieren" gave them – the city's share link – or Facebook's short link fb.me/…, and sees the
 * answer first: right below the heading, inside the first screen, and in the page title. With
 * and without JavaScript, at 390×844 (a phone), 320 px wide (WCAG 1.4.10 reflow) and on a
 * desktop. Then every public page of the page list at 320 px: nothing scrolls sideways.
 */

const t = texts.de;

/** What the app's "Link kopieren" gives for the city's page (facebook.com/hannover.de). */
const CITY_SHARE_LINK = 'https://www.facebook.com/share/1EbK7zQp3X/?mibextid=wwXIfr';
const CITY_SHORT_LINK = 'fb.me/hannover.de';

const VIEWPORTS: Array<{ name: string; options: BrowserContextOptions }> = [
  {
    name: 'phone 390×844',
    options: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 },
  },
  { name: '320 px wide', options: { viewport: { width: 320, height: 640 } } },
  { name: 'desktop 1280×800', options: { viewport: { width: 1280, height: 800 } } },
];

let portal: Portal;
let browser: Browser;
let fixtures: Fixtures;
beforeAll(async () => {
  portal = await startPortal({ seed: true });
  fixtures = await prepareFixtures(portal);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await portal?.close();
});

const field = (page: Page, label: string) => page.getByLabel(label, { exact: true });
const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });

/** Clicks and waits for the next page, as a person waits for it to load. */
async function go(page: Page, target: Locator) {
  await Promise.all([page.waitForEvent('load'), target.click()]);
}

/** The element is on the first screen: no scrolling needed to see it. */
async function inFirstScreen(page: Page, target: Locator) {
  await target.waitFor({ state: 'visible' });
  const box = await target.boundingBox();
  const height = page.viewportSize()?.height ?? 0;
  const scrollY = await page.evaluate(() => window.scrollY);
  expect(box, 'element has a box').not.toBeNull();
  expect(scrollY, 'the page was not scrolled').toBe(0);
  expect((box?.y ?? Infinity) + (box?.height ?? 0), 'bottom of the answer within the first screen').toBeLessThanOrEqual(
    height,
  );
}

/** Nothing sticks out to the side: the page is never wider than the window. */
async function noSidewaysScroll(page: Page, where: string) {
  const widths = await page.evaluate(() => {
    const wide = [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
      .slice(0, 5)
      .map(
        (el) =>
          `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} (${Math.round(el.getBoundingClientRect().right)} px)`,
      );
    return { scroll: document.documentElement.scrollWidth, inner: window.innerWidth, wide };
  });
  expect(
    widths.scroll,
    `${where}: page ${widths.scroll} px wide at ${widths.inner} px; too wide: ${widths.wide.join(', ')}`,
  ).toBeLessThanOrEqual(widths.inner);
}

describe.each(VIEWPORTS)('the account check, $name', ({ name, options }) => {
  describe.each([true, false])('JavaScript %s', (javaScriptEnabled) => {
    it(`the city's share link gets the neutral answer, fb.me the official one – first on the screen and in the title (${name})`, async () => {
      const { context, observed } = await observedContext(browser, portal, { ...options, javaScriptEnabled });
      const page = await context.newPage();
      const docs = trackDocuments(page);
      await page.goto('/pruefen');
      await noSidewaysScroll(page, '/pruefen');

      // "Link kopieren" in the Facebook app on the city's page
      await field(page, t['public.verify.label']).fill(CITY_SHARE_LINK);
      await go(page, button(page, t['public.verify.submit']));
      expect(docs.last()?.status()).toBe(200);
      expect(await page.title()).toMatch(/^Nicht prüfbar: https:\/\/www\.facebook\.com\/share\//);
      await inFirstScreen(page, page.getByText(t['public.verify.unresolvable'], { exact: true }));
      expect(
        await page.getByText(t['public.verify.unknown'], { exact: true }).count(),
        'never a red "not official" for a share link',
      ).toBe(0);
      // the steps to the page's own address are there, and the form to try again
      await page.getByText(t['public.verify.unresolvable.web']).waitFor();
      await page.getByText(t['public.verify.unresolvable.app']).waitFor();
      expect(await field(page, t['public.verify.label']).inputValue()).toBe(CITY_SHARE_LINK);
      await noSidewaysScroll(page, 'share link answer');

      // Facebook's short link to the same page
      await field(page, t['public.verify.label']).fill(CITY_SHORT_LINK);
      await go(page, button(page, t['public.verify.submit']));
      expect(await page.title()).toMatch(/^Offiziell: Hannover\.de auf Facebook – /);
      await inFirstScreen(page, page.getByText(t['public.verify.official'], { exact: true }));
      // the card names the address, to compare with what the app shows
      await page.getByText('facebook.com/hannover.de', { exact: true }).first().waitFor();
      await noSidewaysScroll(page, 'fb.me answer');

      // a registered-nowhere address: "not in the register", and what to do next
      await field(page, t['public.verify.label']).fill(`https://www.facebook.com/${'hannover'.repeat(6)}`);
      await go(page, button(page, t['public.verify.submit']));
      expect(await page.title()).toMatch(/^Nicht im Register: /);
      await inFirstScreen(page, page.getByText(t['public.verify.unknown'], { exact: true }));
      await page.getByRole('heading', { name: t['public.verify.next.title'] }).waitFor();
      await noSidewaysScroll(page, 'long unknown address');

      // the address pasted into the overview's search is checked there, too
      await page.goto('/');
      await field(page, t['public.overview.q']).fill(CITY_SHARE_LINK);
      await go(page, button(page, t['public.overview.submit']));
      expect(new URL(page.url()).pathname).toBe('/pruefen');
      expect(await page.title()).toMatch(/^Nicht prüfbar: /);
      await inFirstScreen(page, page.getByText(t['public.verify.unresolvable'], { exact: true }));

      // and a search by words shows its results first
      await page.goto('/');
      await field(page, t['public.overview.q']).fill('Museum');
      await go(page, button(page, t['public.overview.submit']));
      await inFirstScreen(
        page,
        page.getByRole('heading', { level: 2, name: t['public.overview.resultsTitle'], exact: true }),
      );
      await inFirstScreen(page, page.getByRole('status').filter({ hasText: /Auftritte gefunden/ }));
      await noSidewaysScroll(page, 'search results');

      expect(foreignRequests(observed, portal), 'requests to other hosts').toEqual([]);
      expect(await context.cookies(), 'cookies after public pages').toEqual([]);
      expect(observed.csp).toEqual([]);
      expect(observed.pageErrors).toEqual([]);
      await context.close();
    });
  });
});

describe.each<Locale>(['de', 'en'])('every public page at 320 px (%s)', (locale) => {
  const publicPages = PAGES.filter((spec) => !spec.as && !isStaffPath(spec.path({} as Fixtures)));
  it.each(publicPages.map((spec) => [spec.name, spec] as const))('%s', async (_name, spec) => {
    const { context } = await observedContext(browser, portal, { viewport: { width: 320, height: 640 } });
    const page = await context.newPage();
    const target = localized(spec.path(fixtures), locale);
    await page.goto(target);
    if (spec.reach) await spec.reach(page, texts[locale], fixtures);
    await noSidewaysScroll(page, target);
    await context.close();
  });
});
