import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import {
  focusStyle,
  foreignRequests,
  launchBrowser,
  observedContext,
  startPortal,
  type Observed,
  type Portal,
} from './harness';
import { axe } from './a11y';
import { checkDocuments, isError } from './vnu';

/**
 * The checks must be able to fail: each detector is shown a page with the fault it looks for.
 * (Served on the portal's own origin by request interception; the portal is not involved.)
 */
let portal: Portal;
let browser: Browser;
beforeAll(async () => {
  portal = await startPortal();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await portal?.close();
});

const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:";
const BAD = `<!doctype html><html lang="de"><head><meta charset="utf-8"><title>Selbsttest</title>
<link rel="stylesheet" href="/__selbsttest.css"><style>p { color: red }</style></head><body><main>
<img src="/bild.png"><input type="text" name="x"><p class="blass">kaum lesbar</p><p style="color: red">inline</p>
<img src="http://fremd.invalid/pixel.gif" alt="fremd"><script>document.title = 'inline'</script>
</main></body></html>`;

async function fixture(
  options: { javaScriptEnabled?: boolean } = {},
): Promise<{ context: BrowserContext; observed: Observed }> {
  const made = await observedContext(browser, portal, options);
  await made.context.route(`${portal.baseUrl}/__selbsttest`, (route) =>
    route.fulfill({
      status: 200,
      contentType: 'text/html; charset=utf-8',
      headers: { 'Content-Security-Policy': CSP },
      body: BAD,
    }),
  );
  await made.context.route(`${portal.baseUrl}/__selbsttest.css`, (route) =>
    route.fulfill({ status: 200, contentType: 'text/css', body: '.blass { color: #eee; background: #fff }' }),
  );
  await made.context.route('http://fremd.invalid/**', (route) => route.fulfill({ status: 204, body: '' }));
  return made;
}

describe('the detectors find what they look for', () => {
  it('axe-core reports a missing alt text, a missing label and poor contrast', async () => {
    const { context } = await fixture();
    const page = await context.newPage();
    await page.goto('/__selbsttest');
    const { violations } = await axe(page).analyze();
    expect(violations.map((v) => v.id)).toEqual(expect.arrayContaining(['image-alt', 'label', 'color-contrast']));
    await context.close();
  });

  it('CSP violations are caught with JavaScript on (event and console) and off (console)', async () => {
    for (const javaScriptEnabled of [true, false]) {
      const { context, observed } = await fixture({ javaScriptEnabled });
      const page = await context.newPage();
      await page.goto('/__selbsttest');
      await page.waitForTimeout(300);
      const seen = `JavaScript ${javaScriptEnabled ? 'on' : 'off'}: ${JSON.stringify(observed.csp)}`;
      expect(
        observed.csp.some((c) => /Content Security Policy/i.test(c)),
        seen,
      ).toBe(true);
      // the securitypolicyviolation event needs JavaScript
      if (javaScriptEnabled)
        expect(
          observed.csp.some((c) => / blocked /.test(c)),
          seen,
        ).toBe(true);
      await context.close();
    }
  });

  it('requests to another host are counted', async () => {
    const { context, observed } = await fixture();
    const page = await context.newPage();
    await page.goto('/__selbsttest');
    expect(foreignRequests(observed, portal)).toEqual(['http://fremd.invalid/pixel.gif']);
    await context.close();
  });

  it('a focused element without outline or box-shadow counts as invisible focus', async () => {
    const { context } = await fixture();
    const page = await context.newPage();
    await page.route(`${portal.baseUrl}/__fokus`, (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: '<!doctype html><html lang="de"><head><title>f</title></head><body><a href="#a" id="a">a</a><a href="#b" id="b">b</a></body></html>',
      }),
    );
    await page.goto('/__fokus');
    await page.keyboard.press('Tab');
    expect((await focusStyle(page)).visible).toBe(true); // the browser's default focus ring
    await page.addStyleTag({
      content: 'a:focus, a:focus-visible { outline: none !important; box-shadow: none !important }',
    });
    await page.keyboard.press('Tab');
    expect(await focusStyle(page)).toMatchObject({ tag: 'a', visible: false });
    await context.close();
  });

  it('the Nu Html Checker reports errors in a broken document and none in a clean one', async () => {
    const clean =
      '<!doctype html><html lang="de"><head><meta charset="utf-8"><title>gut</title></head><body><main><p>Hallo</p></main></body></html>';
    const broken =
      '<!doctype html><html lang="de"><head><meta charset="utf-8"></head><body><p><div>falsch</div><span id="x"></span><span id="x"></span></body></html>';
    const result = await checkDocuments([
      { key: 'clean', html: clean },
      { key: 'broken', html: broken },
    ]);
    expect((result.get('clean') ?? []).filter(isError)).toEqual([]);
    expect((result.get('broken') ?? []).filter(isError).length).toBeGreaterThanOrEqual(2);
  });
});
