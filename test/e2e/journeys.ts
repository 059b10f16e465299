import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import {
  focusStyle,
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

const t = texts.de;

/** Picks an option by the text a person reads (options of the unit tree are indented with no-break spaces). */
async function choose(select: Locator, text: string) {
  const value = await select
    .locator('option')
    .evaluateAll(
      (options, wanted) =>
        (options as HTMLOptionElement[]).find((o) => (o.textContent ?? '').replace(/\u00a0/g, ' ').trim() === wanted)
          ?.value,
      text,
    );
  if (value === undefined) throw new Error(`no option "${text}"`);
  await select.selectOption(value);
}

const field = (page: Page, label: string) => page.getByLabel(label, { exact: true });
const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });

/** Clicks a button or link and waits until the answer has loaded. */
async function go(page: Page, target: Locator) {
  await Promise.all([page.waitForEvent('load'), target.click()]);
}

/** Waits until a text is on the page (a notice, a heading, a status). */
async function sees(page: Page, text: string) {
  await page.getByText(text, { exact: false }).first().waitFor({ state: 'visible' });
}

export interface RequestValues {
  name: string;
  account: string;
}

/**
 * Fills every section of the request form by its labels, as an editor of Fachbereich Kultur
 * would (the deputy is picked through the directory search, which reloads the form).
 */
export async function fillRequestForm(page: Page, v: RequestValues) {
  // 7. editorial team: the lead is prefilled with the author; the deputy comes from the directory
  await field(page, t['requests.field.editorSearch']).fill('Nowak');
  await go(page, button(page, t['requests.field.editorSearch.button']));
  await go(page, button(page, t['requests.field.editorSearch.take'].replace('{name}', 'Kim Nowak')));
  expect(await field(page, t['requests.field.editorLead']).inputValue()).toBe('redaktion');
  expect(await field(page, t['requests.field.editorDeputy']).inputValue()).toBe('redaktion2');
  await field(page, t['requests.field.trainingDate']).fill('2026-10-01');
  // 1. unit and kind
  await choose(field(page, t['requests.field.orgUnit']), 'Fachbereich Kultur');
  await page.getByRole('radio', { name: t['requests.field.kind.new'], exact: true }).check();
  // 2. platform, name, address
  await choose(field(page, t['requests.field.platform']), 'Facebook');
  await field(page, t['requests.field.name']).fill(v.name);
  await field(page, t['requests.field.url']).fill(`https://www.facebook.com/${v.account}`);
  await field(page, t['requests.field.description']).fill(
    `${v.name}: Veranstaltungen, Förderprogramme und Neuigkeiten.`,
  );
  // 3. necessity
  await field(page, t['requests.field.necessity']).fill(
    'Viele Kulturschaffende erreichen wir nur noch über soziale Netzwerke.',
  );
  // 4. usage concept
  await field(page, t['requests.field.purpose']).fill('Information über Förderprogramme und Veranstaltungen');
  await field(page, t['requests.field.targetGroups']).fill('Kulturschaffende, Vereine, interessierte Öffentlichkeit');
  await field(page, t['requests.field.topics']).fill('Förderung, Veranstaltungen, Ausschreibungen');
  await field(page, t['requests.field.contentTypes']).fill('Text, Bild, kurze Videos mit Untertiteln');
  await field(page, t['requests.field.postingFrequency']).fill('drei Beiträge pro Woche');
  await field(page, t['requests.field.interaction']).fill('Kommentare an, Nachrichten an');
  await field(page, t['requests.field.moderation']).fill('Werktäglich durch das Redaktionsteam, Netiquette im Profil');
  await field(page, t['requests.field.staffedHours']).fill('Mo–Fr 9–16 Uhr');
  await field(page, t['requests.field.responseTime']).fill('zwei Werktage');
  // 5. Hannover.de
  await field(page, t['requests.field.hannoverDeUrl']).fill('https://www.hannover.de/Kultur-Freizeit');
  await field(page, t['requests.field.commitHannoverDeOnly']).check();
  await field(page, t['requests.field.commitNotExclusive']).check();
  await field(page, t['requests.field.commitLinkBack']).check();
  // 6. no administrative services
  await field(page, t['requests.field.noServices']).check();
  // 8. legal texts
  await field(page, t['requests.field.imprintUrl']).fill('https://www.hannover.de/Impressum');
  await field(page, t['requests.field.privacyUrl']).fill('https://www.hannover.de/Datenschutz');
  await field(page, t['requests.field.jointControllerAck']).check();
  // 9. accessibility
  await field(page, t['requests.field.a11yAltText']).check();
  await field(page, t['requests.field.a11ySubtitles']).check();
  await field(page, t['requests.field.alternativeChannel']).fill('kulturbuero@hannover-stadt.de');
  // 10. account security
  await field(page, t['requests.field.twoFactor']).check();
  await field(page, t['requests.field.noSharedCredentials']).check();
  await field(page, t['requests.field.offboarding']).fill(
    'Zugänge werden am letzten Arbeitstag entzogen, die Vertretung übernimmt.',
  );
  // 11. review
  await field(page, t['requests.field.reviewMonths']).fill('12');
}

/**
 * The journeys of issue 6, with JavaScript on or off: the portal must work both ways.
 * Every step goes through labels and roles; each person has their own browser context.
 */
export function defineJourneys(javaScriptEnabled: boolean) {
  const mode = javaScriptEnabled ? 'JavaScript on' : 'JavaScript off';
  let portal: Portal;
  let browser: Browser;
  const people = new Map<string, { context: BrowserContext; page: Page; observed: Observed }>();
  const contexts: Array<{ context: BrowserContext; observed: Observed }> = [];

  beforeAll(async () => {
    portal = await startPortal({ seed: true });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await portal?.close();
  });

  async function newContext() {
    const made = await observedContext(browser, portal, { javaScriptEnabled });
    contexts.push(made);
    return made;
  }

  /** The signed-in browser of one person (created once, at the sign-in form). */
  async function as(uid: string): Promise<Page> {
    let p = people.get(uid);
    if (!p) {
      const { context, observed } = await newContext();
      const page = await context.newPage();
      await signIn(page, uid);
      p = { context, page, observed };
      people.set(uid, p);
    }
    return p.page;
  }

  /** Opens a task from "Meine Aufgaben" and decides it. */
  async function decide(
    uid: string,
    title: string,
    outcome: 'approve' | 'publish' | 'return' | 'reject',
    comment?: string,
  ) {
    const page = await as(uid);
    await page.goto('/intern');
    const tasks = page.getByRole('region', { name: t['requests.tasks.decide'], exact: true });
    await go(page, tasks.getByRole('link', { name: title, exact: true }));
    await page.getByRole('radio', { name: t[`requests.decide.${outcome}`], exact: true }).check();
    if (comment) await field(page, t['requests.decide.comment']).fill(comment);
    await go(page, button(page, t['requests.decide.submit']));
    await sees(page, t['requests.page.decided']);
    return page;
  }

  /** An editor confirms the guidelines and the service agreement on the request page. */
  async function confirmGuidelines(uid: string, title: string) {
    const page = await as(uid);
    await page.goto('/intern');
    const link = page.getByRole('link', {
      name: t['requests.tasks.confirmText'].replace('{name}', title),
      exact: true,
    });
    await go(page, link);
    await field(page, t['requests.confirm.checkbox']).check();
    await go(page, button(page, t['requests.confirm.submit']));
    await sees(page, t['requests.page.confirmed']);
  }

  /** The editor files a complete request and submits it; returns the page of the request. */
  async function fileRequest(values: RequestValues): Promise<Page> {
    const page = await as('redaktion');
    await page.goto('/intern');
    await go(page, page.getByRole('link', { name: t['requests.tasks.new'], exact: true }));
    await fillRequestForm(page, values);
    await go(page, button(page, t['requests.form.submit']));
    expect(page.url()).toMatch(/\/intern\/antraege\/\d+\?eingereicht=1$/);
    await sees(page, t['requests.page.submitted']);
    await sees(page, t['requests.status.in_review']);
    return page;
  }

  describe(`journeys (${mode})`, () => {
    it('a citizen searches the overview, opens a presence and verifies an address', async () => {
      const { context, observed } = await newContext();
      const page = await context.newPage();
      await page.goto('/');
      await page.getByRole('heading', { level: 1, name: t['home.title'] }).waitFor();
      await field(page, t['public.overview.q']).fill('Museum');
      await go(page, button(page, t['public.overview.submit']));
      expect(page.url()).toContain('q=Museum');
      const results = page.getByRole('region', { name: t['public.overview.resultsTitle'], exact: true });
      expect(await results.getByRole('link', { name: 'Sprengel Museum Hannover', exact: true }).count()).toBe(1);
      expect(await results.getByRole('link', { name: 'Feuerwehr Hannover', exact: true }).count()).toBe(0);
      await go(page, results.getByRole('link', { name: 'Museum August Kestner', exact: true }));
      expect(new URL(page.url()).pathname).toBe('/angebote/museumaugustkestner-facebook');
      await page.getByRole('heading', { level: 1, name: 'Museum August Kestner' }).waitFor();

      await go(
        page,
        page.getByRole('navigation', { name: t['nav.main'] }).getByRole('link', { name: t['nav.verify'], exact: true }),
      );
      await field(page, t['public.verify.label']).fill('https://www.facebook.com/museumaugustkestner');
      await go(page, button(page, t['public.verify.submit']));
      await sees(page, t['public.verify.official']);
      // a look-alike host is never official
      await field(page, t['public.verify.label']).fill('https://www.faceb00k.com/museumaugustkestner');
      await go(page, button(page, t['public.verify.submit']));
      await sees(page, t['public.verify.unknown']);

      expect(foreignRequests(observed, portal), 'requests to other hosts').toEqual([]);
      expect(await context.cookies(), 'cookies after public pages').toEqual([]);
      expect(observed.csp).toEqual([]);
      await context.close();
    });

    it('a citizen checks a look-alike and reports it without a cookie; the press office confirms the fake and the check warns', async () => {
      const account = `hannover.de.${javaScriptEnabled ? 'echt' : 'offiziell'}`;
      const { context, observed } = await newContext();
      const page = await context.newPage();
      await page.goto('/pruefen');
      await field(page, t['public.verify.label']).fill(`https://www.facebook.com/${account}`);
      await go(page, button(page, t['public.verify.submit']));
      await sees(page, t['reports.verify.lookalike'].replace('{name}', 'Hannover.de'));
      await go(page, page.getByRole('link', { name: t['reports.verify.report'], exact: true }));
      await field(page, `${t['reports.form.message']} (${t['reports.form.optional']})`).fill(
        'Verlost Tickets im Namen der Stadt.',
      );
      await go(page, button(page, t['reports.form.submit']));
      await sees(page, t['reports.form.thanks']);
      expect(await context.cookies(), 'cookies after reporting').toEqual([]);
      expect(foreignRequests(observed, portal), 'requests to other hosts').toEqual([]);

      const press = await as('kommunikation');
      await press.goto('/intern');
      await go(press, press.getByRole('link', { name: t['reports.nav'], exact: true }));
      await go(press, press.getByRole('link', { name: `facebook.com/${account}`, exact: true }));
      await sees(press, 'Verlost Tickets im Namen der Stadt.');
      await press.getByLabel(t['reports.case.stateLabel'], { exact: true }).selectOption('impostor');
      await go(press, button(press, t['reports.case.submit']));
      await sees(press, t['reports.case.saved']);

      // another spelling of the same account (the browser may reuse the first answer for a minute)
      await page.goto(`/pruefen?url=${encodeURIComponent(`facebook.com/${account}/`)}`);
      await sees(page, t['reports.verify.impostor']);
      await go(page, page.getByRole('link', { name: t['reports.verify.impostor.list'], exact: true }));
      await sees(page, `facebook.com/${account}`);
      expect(await context.cookies(), 'cookies after the public pages').toEqual([]);
      await context.close();
    });

    it('an editor files a request with every section, and each decider signs in and decides until it is public', async () => {
      const name = javaScriptEnabled ? 'Kulturbüro Hannover' : 'Kulturbüro Hannover (ohne JavaScript)';
      const account = javaScriptEnabled ? 'kulturbuero.hannover' : 'kulturbuero.hannover.nojs';
      await fileRequest({ name, account });

      await decide('leitung', name, 'approve');
      await decide('kommunikation', name, 'approve');
      await decide('datenschutz', name, 'approve', 'Datenschutzhinweis vorhanden.');
      // Hannover.de editorial waits until both editors confirmed the guidelines
      const hde = await as('hannoverde');
      await hde.goto('/intern');
      const hdeTasks = hde.getByRole('region', { name: t['requests.tasks.decide'], exact: true });
      expect(await hdeTasks.getByRole('link', { name, exact: true }).count()).toBe(0);
      // Robin Schäfer confirmed the current texts for an earlier request: that covers this one
      const robin = await as('redaktion');
      await robin.goto('/intern');
      expect(
        await robin
          .getByRole('link', { name: t['requests.tasks.confirmText'].replace('{name}', name), exact: true })
          .count(),
      ).toBe(0);
      await confirmGuidelines('redaktion2', name);
      // the publishing step says that it publishes
      const last = await decide('hannoverde', name, 'publish');
      await sees(last, t['requests.status.published']);

      // the citizen finds it on the overview
      const { context, observed } = await newContext();
      const citizen = await context.newPage();
      await citizen.goto('/');
      await field(citizen, t['public.overview.q']).fill('Kulturbüro');
      await go(citizen, button(citizen, t['public.overview.submit']));
      const results = citizen.getByRole('region', { name: t['public.overview.resultsTitle'], exact: true });
      await go(citizen, results.getByRole('link', { name, exact: true }));
      await citizen.getByRole('heading', { level: 1, name }).waitFor();
      await citizen.goto(`/pruefen?url=${encodeURIComponent(`https://www.facebook.com/${account}`)}`);
      await sees(citizen, t['public.verify.official']);
      expect(foreignRequests(observed, portal)).toEqual([]);
      expect(await context.cookies()).toEqual([]);
      await context.close();
    }, 240_000);

    it('a decider returns a request; the editor fixes it and resubmits; the decider sees what changed', async () => {
      const name = javaScriptEnabled ? 'Museen Hannover' : 'Museen Hannover (ohne JavaScript)';
      const account = javaScriptEnabled ? 'museen.hannover' : 'museen.hannover.nojs';
      await fileRequest({ name, account });
      const comment = 'Bitte die Betreuungszeiten auch für das Wochenende angeben.';
      await decide('leitung', name, 'return', comment);

      const editor = await as('redaktion');
      await editor.goto('/intern');
      const mine = editor.getByRole('region', { name: t['requests.tasks.mine'], exact: true });
      await go(editor, mine.getByRole('link', { name, exact: true }));
      await sees(editor, t['requests.status.returned']);
      await go(editor, editor.getByRole('link', { name: t['requests.page.edit'], exact: true }));
      await sees(editor, comment);
      expect(await field(editor, t['requests.field.name']).inputValue()).toBe(name);
      await field(editor, t['requests.field.staffedHours']).fill('Mo–Fr 9–16 Uhr, Sa–So 10–14 Uhr');
      await go(editor, button(editor, t['requests.form.resubmit']));
      await sees(editor, t['requests.page.submitted']);
      await sees(editor, t['requests.status.in_review']);

      const head = await as('leitung');
      await head.goto('/intern');
      const tasks = head.getByRole('region', { name: t['requests.tasks.decide'], exact: true });
      await go(head, tasks.getByRole('link', { name, exact: true }));
      // the decider's desk: the changes are marked inside the sections, a changed section is open
      await sees(head, t['requests.review.changesMarked'].replace('{from}', '1').replace('{to}', '2'));
      await sees(head, 'Sa–So 10–14 Uhr');
      await head.getByRole('radio', { name: t['requests.decide.approve'], exact: true }).waitFor();
    }, 180_000);

    it('each decider sees their sections first; a return points to a section, marked for the author', async () => {
      const name = javaScriptEnabled ? 'Stadtteilbibliothek Linden' : 'Stadtteilbibliothek Linden (ohne JavaScript)';
      const account = javaScriptEnabled ? 'bibliothek.linden' : 'bibliothek.linden.nojs';
      await fileRequest({ name, account });
      const reviewOf = (page: Page, step: string) =>
        page.getByRole('region', { name: t['requests.review.title'].replace('{step}', step), exact: true });

      // the unit head: sections 1, 3, 7 and 10 first, then the checklist, then the decision
      const head = await as('leitung');
      await head.goto('/intern');
      const tasks = head.getByRole('region', { name: t['requests.tasks.decide'], exact: true });
      await go(head, tasks.getByRole('link', { name, exact: true }));
      const headReview = reviewOf(head, 'Leitung der Organisationseinheit');
      expect(await headReview.getByRole('heading', { level: 3 }).allTextContents()).toEqual(
        ['unit', 'necessity', 'editors', 'security'].map((k) => t[`requests.section.${k}` as keyof typeof t]),
      );
      // the other sections are collapsed: what they hold is not shown until opened
      expect(await head.getByText('https://www.hannover.de/Impressum', { exact: true }).isVisible()).toBe(false);
      await head
        .getByLabel('Der Auftritt ist für die Aufgaben der Organisationseinheit erforderlich (Abschnitt 3).')
        .check();
      await head.getByRole('radio', { name: t['requests.decide.approve'], exact: true }).check();
      await go(head, button(head, t['requests.decide.submit']));
      await sees(head, t['requests.page.decided']);
      await sees(head, 'geprüft: Der Auftritt ist für die Aufgaben der Organisationseinheit erforderlich');

      // data protection: section 8 first; returns the request pointing to section 8
      const dp = await as('datenschutz');
      await dp.goto('/intern');
      await go(
        dp,
        dp
          .getByRole('region', { name: t['requests.tasks.decide'], exact: true })
          .getByRole('link', { name, exact: true }),
      );
      expect(await reviewOf(dp, 'Datenschutz').getByRole('heading', { level: 3 }).allTextContents()).toEqual([
        t['requests.section.legal'],
      ]);
      await dp.getByLabel('Das Impressum ist erreichbar und vollständig.').check();
      await dp.getByRole('radio', { name: t['requests.decide.return'], exact: true }).check();
      await dp
        .getByRole('group', { name: t['requests.review.sections'] })
        .getByLabel(t['requests.section.legal'])
        .check();
      await field(dp, t['requests.decide.comment']).fill('Die Datenschutzerklärung nennt die Plattform nicht.');
      await go(dp, button(dp, t['requests.decide.submit']));
      await sees(dp, t['requests.page.decided']);

      // the author sees section 8 marked on the request page and in the form
      const editor = await as('redaktion');
      await editor.goto('/intern');
      await sees(editor, `${t['requests.review.sectionsPointed']}: ${t['requests.section.legal']}`);
      const mine = editor.getByRole('region', { name: t['requests.tasks.mine'], exact: true });
      await go(editor, mine.getByRole('link', { name, exact: true }));
      await sees(editor, t['requests.review.flaggedNote']);
      await editor.locator('[data-testid="flagged-8"]').first().waitFor();
      await go(editor, editor.getByRole('link', { name: t['requests.page.edit'], exact: true }));
      await sees(editor, t['requests.review.flaggedNote']);
      await editor
        .getByRole('group', { name: `${t['requests.section.legal']} ${t['requests.review.flagged']}` })
        .waitFor();
    }, 180_000);

    it('an administrator imports the inventory from CSV; the unit head finds the imported request', async () => {
      const name = javaScriptEnabled
        ? 'Kinder- und Jugendbibliothek'
        : 'Kinder- und Jugendbibliothek (ohne JavaScript)';
      const account = javaScriptEnabled ? 'kijubib.hannover' : 'kijubib.hannover.nojs';
      const admin = await as('admin');
      await admin.goto('/intern');
      await go(admin, admin.getByRole('link', { name: t['nav.admin'], exact: true }).first());
      await go(admin, admin.getByRole('link', { name: t['admin.index.import.title'], exact: true }));
      expect(new URL(admin.url()).pathname).toBe('/intern/verwaltung/import');
      const csv =
        'unit_code;platform;name;url;description;hannover_de_url;existing_since;editors;author\n' +
        `41;facebook;${name};https://www.facebook.com/${account};Bücher, Spiele und Veranstaltungen für junge Leute.;https://www.hannover.de/Kultur-Freizeit;2018-03-01;redaktion redaktion2;\n`;
      await field(admin, t['admin.import.csvField']).fill(csv);
      await go(admin, button(admin, t['admin.import.dryRun']));
      await sees(
        admin,
        t['admin.import.summary'].replace('{rows}', '1').replace('{ok}', '1').replace('{problems}', '0'),
      );
      await go(admin, button(admin, t['admin.import.confirm'].replace('{count}', '1')));
      await admin.getByRole('heading', { level: 1, name: t['admin.import.doneTitle'] }).waitFor();
      expect(admin.url()).toMatch(/\/intern\/verwaltung\/import\/ergebnis\/[^/]+$/);

      const head = await as('leitung');
      await head.goto('/intern');
      const tasks = head.getByRole('region', { name: t['requests.tasks.decide'], exact: true });
      await go(head, tasks.getByRole('link', { name, exact: true }));
      await sees(head, t['requests.kind.existing']);
    }, 120_000);

    it('only with the keyboard: sign in, submit an incomplete request, focus always visible, then on the error summary', async () => {
      const { context } = await newContext();
      const page = await context.newPage();
      const docs = trackDocuments(page);
      const seen: string[] = [];
      const invisible: string[] = [];

      /** Presses Tab until `wanted` is focused; every focus stop must be visibly focused. */
      async function tabTo(wanted: (el: { tag: string; text: string; id: string }) => boolean, limit = 80) {
        for (let i = 0; i < limit; i++) {
          await page.keyboard.press('Tab');
          const f = await focusStyle(page);
          const id = await page.evaluate(() => document.activeElement?.id ?? '');
          const where = `${new URL(page.url()).pathname}: <${f.tag}${id ? `#${id}` : ''}> "${f.text}"${f.inner ? ' (focus on a part inside the field, e.g. its calendar button; the field has no outline then)' : ''}`;
          seen.push(where);
          if (!f.visible) invisible.push(where);
          if (wanted({ tag: f.tag, text: f.text, id })) return;
        }
        throw new Error(`not reached within ${limit} Tab presses; focus went: ${seen.slice(-limit).join(' → ')}`);
      }

      await page.goto('/anmelden');
      await tabTo((el) => el.tag === 'a' && el.text === t['nav.skip']);
      await tabTo((el) => el.id === 'feld-username');
      await page.keyboard.type('redaktion');
      await tabTo((el) => el.id === 'feld-password', 1);
      await page.keyboard.type('demo');
      await tabTo((el) => el.tag === 'button' && el.text === t['signIn.submit'], 1);
      await Promise.all([page.waitForURL(/\/intern$/), page.keyboard.press('Enter')]);

      await tabTo((el) => el.tag === 'a' && el.text === t['requests.tasks.new']);
      await Promise.all([page.waitForURL(/\/intern\/antraege\/neu$/), page.keyboard.press('Enter')]);
      await tabTo((el) => el.id === 'feld-name');
      await page.keyboard.type('Nur angefangen');
      await tabTo((el) => el.id === 'feld-commitHannoverDeOnly');
      await page.keyboard.press('Space');
      expect(await page.getByLabel(t['requests.field.commitHannoverDeOnly'], { exact: true }).isChecked()).toBe(true);
      await tabTo((el) => el.tag === 'button' && el.text === t['requests.form.submit']);
      await Promise.all([page.waitForEvent('load'), page.keyboard.press('Space')]);

      expect(docs.last()?.status()).toBe(400);
      expect(await page.locator('.error-summary').count()).toBe(1);
      // the entries are kept
      expect(await field(page, t['requests.field.name']).inputValue()).toBe('Nur angefangen');
      if (javaScriptEnabled) {
        await page.waitForFunction(() => document.activeElement?.classList.contains('error-summary'));
        const summary = await focusStyle(page);
        if (!summary.visible) invisible.push(`${new URL(page.url()).pathname}: the focused error summary`);
        // the first link of the summary leads to its field
        await page.keyboard.press('Tab');
        expect(await page.evaluate(() => document.activeElement?.closest('.error-summary') !== null)).toBe(true);
      }
      expect(invisible, `focus stops without a visible focus indicator (of ${seen.length})`).toEqual([]);

      // Enter in a text field saves the draft – never submits, never searches people
      await field(page, t['requests.field.name']).fill('Nur angefangen, mit Enter gespeichert');
      await Promise.all([
        page.waitForURL(/\/intern\/antraege\/\d+\?gespeichert=1$/),
        field(page, t['requests.field.name']).press('Enter'),
      ]);
      const id = /antraege\/(\d+)/.exec(page.url())?.[1];
      await page.goto(`/intern/antraege/${id}/bearbeiten`);
      expect(await field(page, t['requests.field.name']).inputValue()).toBe('Nur angefangen, mit Enter gespeichert');
      if (javaScriptEnabled) {
        // with JavaScript, Enter in the people search searches
        await field(page, t['requests.field.editorSearch']).fill('Nowak');
        await Promise.all([page.waitForEvent('load'), field(page, t['requests.field.editorSearch']).press('Enter')]);
        await button(page, t['requests.field.editorSearch.take'].replace('{name}', 'Kim Nowak')).waitFor({
          state: 'visible',
        });
      }
      await context.close();
    }, 120_000);

    it('no page of the journeys violated the Content-Security-Policy or threw a script error', () => {
      expect(contexts.flatMap((c) => c.observed.csp)).toEqual([]);
      expect(contexts.flatMap((c) => c.observed.pageErrors)).toEqual([]);
      expect(contexts.length).toBeGreaterThan(5);
    });
  });
}
