import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, observedContext, signIn, startPortal, texts, type Portal } from './harness';

const t = texts.de;

/**
 * Issue 17, "nothing typed is ever lost to a timeout". With JavaScript the portal warns two
 * minutes before the idle timeout and the person may stay signed in (the GOV.UK pattern; the
 * browser's clock is fast-forwarded). Without JavaScript, an editor writes for longer than the
 * session lasts, saves, signs in again — and the entries come back and are saved with one
 * click. On a desktop and on a phone 390 px wide.
 */
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

const devices = [
  { device: 'desktop', viewport: { width: 1280, height: 900 } },
  { device: 'phone', viewport: { width: 390, height: 844 } },
] as const;

const dialog = (page: Page) => page.locator('#sitzung-warnung');

describe('with JavaScript: a warning before the idle timeout, and "stay signed in"', () => {
  for (const d of devices) {
    it(d.device, async () => {
      const { context, observed } = await observedContext(browser, portal, { viewport: d.viewport });
      await context.clock.install();
      const page = await context.newPage();
      await signIn(page, 'redaktion');
      await page.goto('/intern/antraege/neu');
      const name = page.getByLabel(t['requests.field.name'], { exact: true });
      await name.fill('Nachbarschaftszentrum Vahrenheide');
      await expect.poll(() => dialog(page).isVisible()).toBe(false);

      // 28 minutes without a request: the warning opens, as a modal dialog with its question
      await page.clock.fastForward('28:30');
      await expect.poll(() => dialog(page).isVisible()).toBe(true);
      await expect.poll(() => dialog(page).getByText('in etwa zwei Minuten').isVisible()).toBe(true);
      const stay = dialog(page).getByRole('button', { name: t['session.warning.stay'] });
      const [answer] = await Promise.all([
        page.waitForResponse((r) => r.url().endsWith('/intern/sitzung')),
        stay.click(),
      ]);
      expect(answer.status()).toBe(204);
      await expect.poll(() => dialog(page).isVisible()).toBe(false);
      expect(await name.inputValue()).toBe('Nachbarschaftszentrum Vahrenheide');

      // the idle time starts afresh: no warning after another 27 minutes, one after 28:30
      await page.clock.fastForward('27:00');
      expect(await dialog(page).isVisible()).toBe(false);
      await page.clock.fastForward('01:30');
      await expect.poll(() => dialog(page).isVisible()).toBe(true);
      // nothing answered: the page stays, says the session is over and that the entries are kept
      await page.clock.fastForward('02:30');
      await expect.poll(() => dialog(page).getByText(t['session.warning.ended']).isVisible()).toBe(true);
      await dialog(page).getByRole('button', { name: t['session.warning.close'] }).click();
      expect(await name.inputValue()).toBe('Nachbarschaftszentrum Vahrenheide');
      expect(observed.csp).toEqual([]);
      expect(observed.pageErrors).toEqual([]);
      await context.close();
    });
  }
});

describe('without JavaScript: the entries survive an expired session', () => {
  for (const [i, d] of devices.entries()) {
    it(d.device, async () => {
      const { context, observed } = await observedContext(browser, portal, {
        viewport: d.viewport,
        javaScriptEnabled: false,
      });
      const page = await context.newPage();
      await signIn(page, 'redaktion');
      await page.goto('/intern/antraege/neu');
      const title = `Jugendkulturhaus ${i + 1}`;
      const purpose =
        'Ein Konzept, an dem eine Stunde geschrieben wurde.\nMit zwei Absätzen – und „Anführungszeichen“.';
      await page.getByLabel(t['requests.field.name'], { exact: true }).fill(title);
      await page.getByLabel(t['requests.field.purpose'], { exact: true }).fill(purpose);
      // meanwhile the idle timeout has passed: the stored session has expired
      await portal.ctx.database.db('sessions').update({ expired: new Date(Date.now() - 60_000) });

      await Promise.all([
        page.waitForEvent('load'),
        page.getByRole('button', { name: t['requests.form.saveDraft'] }).last().click(),
      ]);
      await expect.poll(() => page.getByText(t['formKept.signInNotice']).isVisible()).toBe(true);
      await page.getByLabel(t['signIn.username'], { exact: true }).fill('redaktion');
      await page.getByLabel(t['signIn.password'], { exact: true }).fill('demo');
      await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: t['signIn.submit'] }).click()]);

      expect(await page.locator('h1').textContent()).toBe(t['formKept.title']);
      await page.getByText(t['formKept.show']).click();
      await expect.poll(() => page.getByText(title).isVisible()).toBe(true);
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
      await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: t['formKept.send'] }).click()]);

      const row = await portal.ctx.database.db('requests').where({ title }).first();
      expect(row?.status).toBe('draft');
      expect(row?.data.purpose).toBe(purpose);
      await page.goto(`/intern/antraege/${row?.id}/bearbeiten`);
      expect(await page.getByLabel(t['requests.field.name'], { exact: true }).inputValue()).toBe(title);
      expect(observed.csp).toEqual([]);
      await context.close();
    });
  }
});
