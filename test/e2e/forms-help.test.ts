import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { launchBrowser, observedContext, signIn, startPortal, texts, type Portal } from './harness';
import { createRequestService } from '../../src/requests/service';
import { createNotifier } from '../../src/requests/notify';
import { readForm } from '../../src/requests/form';
import type { SessionUser } from '../../src/directory/user';
import { validForm } from '../requests/fixtures';

/**
 * Issue 17, "Forms that help instead of trap", as a person meets it in the browser: on a
 * desktop and on a 390-px phone, with JavaScript on and off.
 * - the empty request form comes back with its error summary; the first link lands on its
 *   field (focused, with its label in view);
 * - the people search comes back to the editors section, not to the top of the page;
 * - a unit head rejects a request only through the "really reject?" page.
 */
const t = texts.de;
const field = (page: Page, label: string) => page.getByLabel(label, { exact: true });
const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });
async function go(page: Page, target: Locator) {
  await Promise.all([page.waitForEvent('load'), target.click()]);
}

/**
 * Waits (up to 5 s: scrolling may be smooth) until the element with this id is inside the
 * viewport — wholly, or its top part when `partly`. Returns whether it got there.
 */
async function inView(page: Page, id: string, partly = true): Promise<boolean> {
  // polled from here: waitForFunction runs in the page, which cannot run scripts with JavaScript off
  for (let waited = 0; waited <= 5000; waited += 100) {
    const seen = await page.evaluate(
      ([elementId, part]) => {
        const el = document.getElementById(elementId);
        if (!el) return false;
        const r = el.getBoundingClientRect();
        return part ? r.top >= 0 && r.top < window.innerHeight : r.top >= 0 && r.bottom <= window.innerHeight;
      },
      [id, partly] as const,
    );
    if (seen) return true;
    await page.waitForTimeout(100);
  }
  return false;
}

const VARIANTS = [
  { name: 'desktop, JavaScript on', viewport: { width: 1280, height: 800 }, javaScriptEnabled: true },
  { name: 'desktop, JavaScript off', viewport: { width: 1280, height: 800 }, javaScriptEnabled: false },
  {
    name: '390-px phone, JavaScript on',
    viewport: { width: 390, height: 844 },
    javaScriptEnabled: true,
    isMobile: true,
    hasTouch: true,
  },
  {
    name: '390-px phone, JavaScript off',
    viewport: { width: 390, height: 844 },
    javaScriptEnabled: false,
    isMobile: true,
    hasTouch: true,
  },
] as const;

let portal: Portal;
let browser: Browser;
/** one request at the unit head's step per variant: each variant rejects its own */
const toReject = new Map<string, { id: number; title: string }>();

beforeAll(async () => {
  portal = await startPortal({ seed: true });
  browser = await launchBrowser();
  const { db } = portal.ctx.database;
  const directory = portal.ctx.services.directory;
  const service = createRequestService({
    db,
    directory,
    clock: () => portal.ctx.clock.now,
    notify: createNotifier({ baseUrl: portal.baseUrl, directory }),
  });
  const author = (await directory.findByUid('redaktion')) as SessionUser;
  for (const [i, v] of VARIANTS.entries()) {
    const title = `Ablehnung im Browser ${i + 1}`;
    const data = readForm(validForm({ name: title, url: `https://www.facebook.com/ablehnung.browser.${i + 1}` }));
    const id = await service.create(author, data);
    const submitted = await service.submit(author, id, data);
    if (!submitted.ok) throw new Error(`not submitted: ${JSON.stringify(submitted.problems)}`);
    toReject.set(v.name, { id, title });
  }
});
afterAll(async () => {
  await browser?.close();
  await portal?.close();
});

describe.each(VARIANTS)('forms that help ($name)', (variant) => {
  const { name, ...options } = variant;

  it('the first error summary link lands on its field, focused, with the question in view', async () => {
    const { context, observed } = await observedContext(browser, portal, options);
    const page = await context.newPage();
    await signIn(page, 'redaktion');
    await page.goto('/intern/antraege/neu');
    await go(page, button(page, t['requests.form.submit']));
    expect(await page.title()).toMatch(/^Fehler: /);
    const summary = page.locator('.error-summary');
    await summary.waitFor();
    const first = summary.getByRole('link').first();
    const target = ((await first.getAttribute('href')) ?? '').slice(1);
    expect(target).toMatch(/^feld-/);
    await first.click();
    expect(await inView(page, target, false), `#${target} wholly visible`).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe(target);
    // the question, not only the box below it: the field's label is on screen
    const labelId = await page.evaluate((id) => {
      const label =
        document.querySelector(`label[for="${id}"]`) ??
        document.getElementById(id)?.closest('fieldset')?.querySelector('legend');
      if (label && !label.id) label.id = 'frage-im-test';
      return label?.id ?? '';
    }, target);
    expect(labelId, `#${target} has a label`).not.toBe('');
    expect(await inView(page, labelId, false), `label of #${target} wholly visible`).toBe(true);
    expect(observed.csp).toEqual([]);
    expect(observed.pageErrors).toEqual([]);
    await context.close();
  });

  it('the people search comes back to the editors section', async () => {
    const { context } = await observedContext(browser, portal, options);
    const page = await context.newPage();
    await signIn(page, 'redaktion');
    await page.goto('/intern/antraege/neu');
    await field(page, t['requests.field.name']).fill('Suche im Browser');
    await field(page, t['requests.field.editorSearch']).fill('Nowak');
    await go(page, button(page, t['requests.field.editorSearch.button']));
    expect(new URL(page.url()).hash).toBe('#redaktion');
    expect(await inView(page, 'redaktion'), 'the editors section is in view').toBe(true);
    expect(await page.evaluate(() => window.scrollY), 'not at the top of the page').toBeGreaterThan(0);
    // focus is there too (the browser focuses a focusable fragment target; app.js makes sure)
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('redaktion');
    // what was typed is kept, and taking the person over comes back here too
    expect(await field(page, t['requests.field.name']).inputValue()).toBe('Suche im Browser');
    await go(page, button(page, t['requests.field.editorSearch.take'].replace('{name}', 'Kim Nowak')));
    expect(new URL(page.url()).hash).toBe('#redaktion');
    expect(await inView(page, 'redaktion')).toBe(true);
    expect(await field(page, t['requests.field.editorDeputy']).inputValue()).toBe('redaktion2');
    await context.close();
  });

  it('a unit head rejects only through the "really reject?" page', async () => {
    const { id, title } = toReject.get(name) as { id: number; title: string };
    const { context, observed } = await observedContext(browser, portal, options);
    const page = await context.newPage();
    await signIn(page, 'leitung');
    await page.goto(`/intern/antraege/${id}`);
    await page.getByRole('radio', { name: t['requests.decide.reject'], exact: true }).check();
    const reason = 'Das Angebot gibt es schon auf Hannover.de.';
    await field(page, t['requests.decide.comment']).fill(reason);
    await go(page, button(page, t['requests.decide.submit']));
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      t['requests.reject.title'].replace('{name}', title),
    );
    await page.getByText(t['requests.reject.warning']).waitFor();
    await page.getByText(reason, { exact: true }).waitFor();
    const db = portal.ctx.database.db;
    expect((await db('requests').where({ id }).first()).status).toBe('in_review');
    await go(page, button(page, t['requests.reject.submit']));
    expect(page.url()).toMatch(new RegExp(`/intern/antraege/${id}\\?entschieden=1$`));
    await page.getByText(t['requests.page.decided']).first().waitFor();
    expect((await db('requests').where({ id }).first()).status).toBe('rejected');
    expect(observed.csp).toEqual([]);
    await context.close();
  });
});
