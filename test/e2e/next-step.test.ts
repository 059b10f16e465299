import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import type { SessionUser } from '../../src/directory/user';
import { createRequestService } from '../../src/requests/service';
import { createNotifier } from '../../src/requests/notify';
import { completeRequestData } from '../../src/demo/seed';
import { launchBrowser, observedContext, signIn, startPortal, texts, type Portal } from './harness';

const t = texts.de;

/**
 * Issue 17, "the editor's next step is always in sight": an editor signs in, finds the request
 * returned to them at the top of "Meine Aufgaben" (who returned it and why), revises and
 * resubmits it through the "Überarbeiten" button, and is told what happens next. On a desktop
 * and on a phone 390 px wide, with and without JavaScript; each run with its own request.
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

async function go(page: Page, target: Locator) {
  await Promise.all([page.waitForEvent('load'), target.click()]);
}

/** A request of Robin Schäfer's, returned by the unit head with `comment` (through the services the portal uses). */
async function returnedRequest(name: string, account: string, comment: string) {
  const { db } = portal.ctx.database;
  const directory = portal.ctx.services.directory;
  const clock = () => portal.ctx.clock.now;
  const service = createRequestService({
    db,
    directory,
    clock,
    notify: createNotifier({ baseUrl: portal.baseUrl, directory }),
  });
  const robin = (await directory.findByUid('redaktion')) as SessionUser;
  const andrea = (await directory.findByUid('leitung')) as SessionUser;
  const data = completeRequestData(name, account);
  const id = await service.create(robin, data);
  const submitted = await service.submit(robin, id, data);
  if (!submitted.ok) throw new Error(JSON.stringify(submitted.problems));
  await service.act(andrea, id, { type: 'return', stepId: 'unit_head', comment }, undefined);
  return id;
}

const variants = [
  { device: 'desktop', viewport: { width: 1280, height: 900 }, javaScriptEnabled: true },
  { device: 'desktop', viewport: { width: 1280, height: 900 }, javaScriptEnabled: false },
  { device: 'phone', viewport: { width: 390, height: 844 }, javaScriptEnabled: true },
  { device: 'phone', viewport: { width: 390, height: 844 }, javaScriptEnabled: false },
] as const;

describe('an editor finds a returned request first, revises it and sees what happens next', () => {
  for (const [i, v] of variants.entries()) {
    const mode = `${v.device}, JavaScript ${v.javaScriptEnabled ? 'on' : 'off'}`;
    it(
      mode,
      async () => {
        const name = `Stadtteilbühne ${i + 1}`;
        const comment = `Bitte nennen Sie die Betreuungszeiten am Wochenende (${mode}).`;
        await returnedRequest(name, `stadtteilbuehne.${i + 1}`, comment);

        const { context, observed } = await observedContext(browser, portal, {
          javaScriptEnabled: v.javaScriptEnabled,
          viewport: v.viewport,
          ...(v.device === 'phone' ? { isMobile: true, hasTouch: true } : {}),
        });
        const page = await context.newPage();
        await signIn(page, 'redaktion');
        expect(new URL(page.url()).pathname).toBe('/intern');

        // "Jetzt zu tun" is the first section after the greeting, and the returned request is in it
        const firstSection = await page.locator('main h2').first().textContent();
        expect(firstSection?.trim()).toBe(t['requests.todo.title']);
        const todo = page.getByRole('region', { name: t['requests.todo.title'], exact: true });
        const returned = todo.getByRole('region', { name: t['requests.todo.returned'], exact: true });
        const item = returned.getByRole('listitem').filter({ hasText: name });
        await item.getByText(comment).waitFor();
        await item.getByText(/Zurückgegeben von Dr\. Andrea Lange \(Leitung der Organisationseinheit\) am/).waitFor();
        const revise = item.getByRole('link', { name: `${t['requests.todo.revise']}: ${name}`, exact: true });
        // the button is laid out (not hidden), and on a phone nothing scrolls sideways
        const box = await revise.boundingBox();
        expect(box, 'Überarbeiten visible').not.toBeNull();
        if (v.device === 'phone') {
          expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(v.viewport.width);
        }

        await go(page, revise);
        expect(new URL(page.url()).pathname).toMatch(/^\/intern\/antraege\/\d+\/bearbeiten$/);
        await page.getByText(comment).first().waitFor();
        await page
          .getByLabel(t['requests.field.staffedHours'], { exact: true })
          .fill('Mo–Fr 9–16 Uhr, Sa–So 10–14 Uhr');
        await go(page, page.getByRole('button', { name: t['requests.form.resubmit'], exact: true }));
        expect(page.url()).toMatch(/\/intern\/antraege\/\d+\?eingereicht=1$/);

        // the panel says who decides next
        const next = page.getByRole('region', { name: t['requests.next.title'], exact: true });
        await next.waitFor();
        expect((await next.textContent())?.replace(/\s+/g, ' ')).toContain(
          'Als Nächstes entscheidet die Leitung der Organisationseinheit 41 Fachbereich Kultur (Dr. Andrea Lange).',
        );
        await page.getByText(t['requests.page.submitted']).waitFor();

        // and the request is no longer waiting for the editor
        await page.goto('/intern');
        expect(
          await page.getByRole('region', { name: t['requests.todo.returned'], exact: true }).getByText(name).count(),
        ).toBe(0);

        expect(observed.csp).toEqual([]);
        expect(observed.pageErrors).toEqual([]);
        await context.close();
      },
      90_000,
    );
  }
});
