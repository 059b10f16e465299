import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { launchBrowser, observedContext, signIn, startPortal, texts, type Portal } from './harness';

/**
 * Issue 17, deputies: a unit head going on holiday picks the deputy by searching a name
 * ("Suchen", then "übernehmen") — on a desktop and on a 390-px phone, with JavaScript on and
 * off — not by typing a user id; "Bis" starts empty and must be given; the list says the days
 * in German words.
 */
const t = texts.de;
const field = (page: Page, label: string) => page.getByLabel(label, { exact: true });
const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });
async function go(page: Page, target: Locator, how: 'click' | 'Enter' = 'click') {
  await Promise.all([page.waitForEvent('load'), how === 'click' ? target.click() : target.press('Enter')]);
}

/** Each variant names its own deputy, found by the surname. */
const VARIANTS = [
  {
    name: 'desktop, JavaScript on',
    viewport: { width: 1280, height: 800 },
    javaScriptEnabled: true,
    deputy: { search: 'Nowak', name: 'Kim Nowak', uid: 'redaktion2' },
  },
  {
    name: 'desktop, JavaScript off',
    viewport: { width: 1280, height: 800 },
    javaScriptEnabled: false,
    deputy: { search: 'Becker', name: 'Jonas Becker', uid: 'kommunikation' },
  },
  {
    name: '390-px phone, JavaScript on',
    viewport: { width: 390, height: 844 },
    javaScriptEnabled: true,
    isMobile: true,
    hasTouch: true,
    deputy: { search: 'Demir', name: 'Mehmet Demir', uid: 'personalrat' },
  },
  {
    name: '390-px phone, JavaScript off',
    viewport: { width: 390, height: 844 },
    javaScriptEnabled: false,
    isMobile: true,
    hasTouch: true,
    deputy: { search: 'Hoffmann', name: 'Lena Hoffmann', uid: 'hannoverde' },
  },
] as const;

let portal: Portal;
let browser: Browser;
beforeAll(async () => {
  portal = await startPortal({ seed: true });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await portal?.close();
});

describe.each(VARIANTS)('deputies ($name)', (variant) => {
  const { name: _name, deputy, ...options } = variant;

  it('picks the deputy by searching a name; "Bis" must be given', async () => {
    const { context, observed } = await observedContext(browser, portal, options);
    const page = await context.newPage();
    await signIn(page, 'leitung');
    await page.goto('/intern/vertretung');
    const width = options.viewport.width;
    const phone = 'isMobile' in options;
    expect(await field(page, t['requests.substitution.to']).inputValue(), '"Bis" starts empty').toBe('');

    // search by name: on a phone by pressing Enter in the search box, on a desktop with "Suchen"
    const search = field(page, t['requests.substitution.search']);
    await search.fill(deputy.search);
    await go(page, phone ? search : button(page, t['requests.substitution.search.button']), phone ? 'Enter' : 'click');
    expect(new URL(page.url()).hash).toBe('#vertretung-wahl');
    const take = button(page, t['requests.substitution.search.take'].replace('{name}', deputy.name));
    await go(page, take);
    expect(new URL(page.url()).hash).toBe('#vertretung-wahl');
    const chosen = t['requests.substitution.chosen'].replace('{name}', deputy.name).replace('{uid}', deputy.uid);
    await page.getByText(chosen, { exact: true }).waitFor();
    expect(
      await page.evaluate(() => document.documentElement.scrollWidth),
      'no sideways scrolling',
    ).toBeLessThanOrEqual(width);

    // saving without "Bis": refused at the field, the chosen person stays
    await go(page, button(page, t['requests.substitution.save']));
    expect(await page.title()).toMatch(/^Fehler: /);
    await page.locator('#feld-bis-fehler').getByText(t['requests.substitution.error.toMissing']).waitFor();
    await page.getByText(chosen, { exact: true }).waitFor();

    await field(page, t['requests.substitution.to']).fill('2099-12-31');
    await go(page, button(page, t['requests.substitution.save']));
    expect(page.url()).toMatch(/\/intern\/vertretung\?gespeichert=1$/);
    await page.getByText(t['requests.substitution.saved']).waitFor();
    const line = page
      .getByTestId('substitutions')
      .getByText(
        new RegExp(`^${deputy.name} vertritt Dr\\. Andrea Lange vom \\d{1,2}\\. \\S+ \\d{4} bis 31\\. Dezember 2099`),
      );
    await line.first().waitFor();
    expect(
      await portal.ctx.database
        .db('substitutions')
        .where({ principal_uid: 'leitung', deputy_uid: deputy.uid, ends_on: '2099-12-31' })
        .first(),
    ).toBeTruthy();
    expect(
      await page.evaluate(() => document.documentElement.scrollWidth),
      'no sideways scrolling',
    ).toBeLessThanOrEqual(width);
    expect(observed.csp).toEqual([]);
    expect(observed.pageErrors).toEqual([]);
    await context.close();
  });
});
