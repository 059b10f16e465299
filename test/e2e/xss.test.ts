import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, observedContext, signIn, startPortal, type Observed, type Portal } from './harness';
import { XSS_MARK, XSS_PAYLOADS } from '../security/html-check';
import { requestData } from '../security/data';
import { createRequestService } from '../../src/requests/service';
import { createNotifier } from '../../src/requests/notify';
import { TEXT_FIELDS, type RequestData } from '../../src/requests/form';
import type { SessionUser } from '../../src/directory/user';

/**
 * The XSS corpus (test/security/html-check.ts) in every free-text field of a request, in
 * the deciders' comments and in the search fields, then every page that shows them opened in
 * Chromium with JavaScript on: no dialog opens, no script runs, the Content-Security-Policy is
 * never even tested (zero violations: nothing was injected that it would have to block), no
 * injected element or event handler exists in the DOM, and the text reads as typed.
 * test/security/xss.test.ts proves the same on the HTML for every form; this proves it where
 * it matters, in the browser.
 */

// every text field of the form that takes free text (new ones are covered automatically);
// the others are choices, dates, numbers and URLs, which validation limits
const STRUCTURED = new Set([
  'orgUnit',
  'kind',
  'existingSince',
  'platform',
  'name',
  'url',
  'hannoverDeUrl',
  'trainingDate',
  'imprintUrl',
  'privacyUrl',
  'reviewMonths',
]);
const FREE = TEXT_FIELDS.filter((f) => !STRUCTURED.has(f));
const payload = (i: number) => XSS_PAYLOADS[i % XSS_PAYLOADS.length] as string;

let portal: Portal;
let browser: Browser;
let publishedId: number;
let presenceId: number;
let slug: string;
let returnedId: number;

/** A request whose name and free-text fields carry payloads, starting at payload `start`. */
function withPayloads(start: number, account: string): RequestData {
  const data = requestData(`${payload(start)} ${XSS_MARK}name${start}`, account);
  FREE.forEach((f, i) => {
    (data as unknown as Record<string, string>)[f] = payload(start + 1 + i);
  });
  return data;
}

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
  const person = async (uid: string) => (await directory.findByUid(uid)) as SessionUser;
  const [redaktion, redaktion2, leitung, kommunikation, datenschutz, hannoverde] = await Promise.all(
    ['redaktion', 'redaktion2', 'leitung', 'kommunikation', 'datenschutz', 'hannoverde'].map(person),
  );

  // published: every free-text field and every decision comment a payload
  const data = withPayloads(0, 'xss.browser.published');
  publishedId = await service.create(redaktion!, data);
  const submitted = await service.submit(redaktion!, publishedId, data);
  if (!submitted.ok) throw new Error(JSON.stringify(submitted.problems));
  await service.act(leitung!, publishedId, { type: 'approve', stepId: 'unit_head', comment: payload(14) }, undefined);
  await service.act(
    kommunikation!,
    publishedId,
    { type: 'approve', stepId: 'communications', comment: payload(15) },
    undefined,
  );
  await service.act(
    datenschutz!,
    publishedId,
    { type: 'approve', stepId: 'data_protection', comment: payload(16) },
    undefined,
  );
  await service.confirmEditor(redaktion!, publishedId);
  await service.confirmEditor(redaktion2!, publishedId);
  await service.act(
    hannoverde!,
    publishedId,
    { type: 'approve', stepId: 'hannoverde', comment: payload(17) },
    undefined,
  );
  const presence = await db('presences')
    .where({ url: 'https://www.facebook.com/xss.browser.published' })
    .first('id', 'slug');
  if (!presence) throw new Error('the payload request was not published');
  presenceId = presence.id;
  slug = presence.slug;

  // returned: the other half of the corpus, the return comment a payload too
  const other = withPayloads(12, 'xss.browser.returned');
  returnedId = await service.create(redaktion!, other);
  const second = await service.submit(redaktion!, returnedId, other);
  if (!second.ok) throw new Error(JSON.stringify(second.problems));
  await service.act(leitung!, returnedId, { type: 'return', stepId: 'unit_head', comment: payload(18) }, undefined);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await portal?.close();
});

interface Findings {
  dialogs: string[];
  injected: string[];
}

/** Opens a page and collects dialogs and injected markup; the context collects CSP violations and page errors. */
async function visit(page: Page, url: string, findings: Findings) {
  const res = await page.goto(url);
  expect(res?.status(), url).toBeLessThan(500);
  // give anything injected a chance to run: autofocus, onload, timers
  await page.waitForTimeout(50);
  const injected = await page.evaluate(() => {
    const found: string[] = [];
    for (const s of Array.from(document.scripts)) {
      if (s.getAttribute('src') !== '/assets/app.js') found.push(`script ${s.outerHTML.slice(0, 80)}`);
    }
    for (const el of Array.from(document.querySelectorAll('*'))) {
      for (const a of Array.from(el.attributes)) {
        if (/^on/i.test(a.name)) found.push(`${el.tagName} ${a.name}`);
        if (/^\s*javascript:/i.test(a.value) && /^(href|src|action|formaction)$/i.test(a.name))
          found.push(`${el.tagName} ${a.name}=${a.value.slice(0, 40)}`);
      }
      // the portal's own drawings (route of a request, charts: src/oversight) are <svg role="img">
      // with class "route" or "chart …"; any other <svg> is injected
      const ownDrawing =
        el.tagName.toLowerCase() === 'svg' &&
        el.getAttribute('role') === 'img' &&
        /^(route|chart [a-z-]+)$/.test(el.getAttribute('class') ?? '');
      if (/^(IFRAME|OBJECT|EMBED|BASE|SVG)$/i.test(el.tagName) && !ownDrawing) found.push(el.tagName);
      if (el.tagName === 'META' && el.getAttribute('http-equiv')) found.push('meta http-equiv');
    }
    if ((window as unknown as { xssRan?: boolean }).xssRan) found.push('window.xssRan');
    return found;
  });
  for (const i of injected) findings.injected.push(`${url}: ${i}`);
  return page.locator('body').innerText();
}

async function checkPages(uid: string | undefined, urls: string[], mustShow: Record<string, string[]>) {
  const { context, observed } = await observedContext(browser, portal);
  const findings: Findings = { dialogs: [], injected: [] };
  const page = await context.newPage();
  page.on('dialog', (d) => {
    findings.dialogs.push(`${page.url()}: ${d.type()} ${d.message()}`);
    void d.dismiss();
  });
  try {
    if (uid) await signIn(page, uid);
    for (const url of urls) {
      const text = await visit(page, url, findings);
      for (const shown of mustShow[url] ?? []) expect(text, `${url} shows "${shown}" as text`).toContain(shown);
    }
    return { findings, observed };
  } finally {
    await context.close();
  }
}

function expectClean(result: { findings: Findings; observed: Observed }) {
  expect({
    dialogs: result.findings.dialogs,
    injected: result.findings.injected,
    csp: result.observed.csp,
    pageErrors: result.observed.pageErrors,
  }).toEqual({ dialogs: [], injected: [], csp: [], pageErrors: [] });
}

describe('XSS corpus in the browser: no script runs, nothing is injected, text stays text', () => {
  it('public pages: overview, search, presence page, fragment, verification (German and English)', async () => {
    const name = `${payload(0)} ${XSS_MARK}name0`;
    const q = encodeURIComponent(payload(1));
    const urls = [
      '/',
      '/en',
      `/?q=${encodeURIComponent(XSS_MARK)}`,
      `/?q=${q}`,
      `/angebote/${slug}`,
      `/en/angebote/${slug}`,
      '/einbetten',
      `/pruefen?url=${encodeURIComponent(payload(4))}`,
      `/pruefen?url=${encodeURIComponent('https://www.facebook.com/xss.browser.published')}`,
    ];
    const result = await checkPages(undefined, urls, {
      '/': [name],
      [`/angebote/${slug}`]: [name, payload(1)],
      '/einbetten': [name],
      [`/?q=${encodeURIComponent(XSS_MARK)}`]: [name],
    });
    expectClean(result);
  }, 120_000);

  it('staff pages: request page for each decider, edit form with the return comment, register, history, approval record', async () => {
    const name = `${payload(0)} ${XSS_MARK}name0`;
    const deciders = ['leitung', 'kommunikation', 'hannoverde', 'admin'];
    for (const uid of deciders) {
      const urls = [`/intern/antraege/${publishedId}`, `/intern/antraege/${returnedId}`, '/intern', '/intern/antraege'];
      const result = await checkPages(uid, urls, { [`/intern/antraege/${publishedId}`]: [name, payload(14)] });
      expectClean(result);
    }
    const editor = await checkPages(
      'redaktion',
      [
        `/intern/antraege/${returnedId}/bearbeiten`,
        `/intern/antraege/${returnedId}`,
        `/intern/angebote/${presenceId}`,
        `/intern/angebote/${presenceId}/aenderung`,
        '/intern',
      ],
      { [`/intern/antraege/${returnedId}`]: [payload(18)] },
    );
    expectClean(editor);
    const admin = await checkPages(
      'admin',
      [
        '/intern/verwaltung/register',
        `/intern/verwaltung/register/${presenceId}/nachweis`,
        '/intern/verwaltung/verlauf',
        `/intern/verwaltung/verlauf?person=${encodeURIComponent(payload(2))}&praesenz=${encodeURIComponent(payload(3))}`,
      ],
      { [`/intern/verwaltung/register/${presenceId}/nachweis`]: [name, payload(17)] },
    );
    expectClean(admin);
  }, 240_000);
});
