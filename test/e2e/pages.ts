import type { Page } from 'playwright-core';
import type { Texts } from './harness';

/**
 * THE list of the portal's pages: every HTML page, public and internal, with seeded demo
 * data, and every form in its error state. axe-core and the Nu Html Checker run on each entry
 * in German and in English (/en prefix); test/e2e/routes.test.ts fails when the app has a GET
 * route that neither this list nor NOT_PAGES names, or when an entry names a route that no
 * longer exists.
 */

/** Ids and slugs of the demo data (see fixtures.ts, which prepares and resolves them). */
export interface Fixtures {
  /** the editor's draft (Kulturbüro Hannover (Entwurf)) */
  draftId: number;
  /** waiting for the unit head (Theater in der List) */
  unitHeadId: number;
  /** at communications and data protection; returned by data protection and resubmitted, so it has two versions (Kulturtreff Hainholz) */
  changedId: number;
  /** returned for changes (Musikschule Hannover) */
  returnedId: number;
  /** published (Kunstschule Hannover) and its presence */
  publishedId: number;
  publishedPresenceId: number;
  /** a seeded active presence (Museum August Kestner) */
  presenceId: number;
  presenceSlug: string;
  presenceUrl: string;
  /** the central presence (Hannover.de) */
  centralSlug: string;
  /** a closed presence (Feuerwehr Hannover): "formerly official" */
  closedSlug: string;
  closedUrl: string;
  /** organisational unit 41 (Fachbereich Kultur), platform, newest workflow definition */
  unitId: number;
  platformKey: string;
  workflowId: number;
  /** a running re-assessment of Facebook (opened by data protection), with a task for the published presence */
  reassessmentId: number;
  /** fake accounts (issue 12): a new case with a look-alike, and a confirmed impostor */
  reportCaseId: number;
  impostorUrl: string;
}

export type Locale = 'de' | 'en';

export interface PageSpec {
  /** unique, readable name (test title) */
  name: string;
  /** the Express GET route this page belongs to; null for pages no route declares (404 page) */
  route: string | null;
  /** who is signed in: a demo directory uid; undefined: nobody (a citizen) */
  as?: string;
  /** German path (the English page is the same path below /en) */
  path: (f: Fixtures) => string;
  /** steps from the loaded page to the state to check (submit an empty form, …) */
  reach?: (page: Page, t: Texts, f: Fixtures) => Promise<void>;
  /** HTTP status of the document in the state checked */
  status?: number;
  /** a form in its error state: the page must show the error summary */
  errorState?: boolean;
  /** an HTML fragment for the Hannover.de CMS: checked inside a minimal host page */
  fragment?: boolean;
}

/** GET routes that are not HTML pages, with what they answer instead (checked in routes.test.ts). */
export const NOT_PAGES: Array<{ route: string; as?: string; path: string; type: RegExp | 'redirect' }> = [
  { route: '/angebote', path: '/angebote', type: 'redirect' },
  { route: '/angebote.atom', path: '/angebote.atom', type: /^application\/atom\+xml/ },
  { route: '/angebote.csv', path: '/angebote.csv', type: /^text\/csv/ },
  { route: '/intern/antraege.csv', as: 'kommunikation', path: '/intern/antraege.csv', type: /^text\/csv/ },
  { route: '/intern/aufgaben.csv', as: 'leitung', path: '/intern/aufgaben.csv', type: /^text\/csv/ },
  { route: '/angebote.json', path: '/angebote.json', type: /^application\/json/ },
  { route: '/api/openapi.json', path: '/api/openapi.json', type: /^application\/json/ },
  { route: '/dcat.ttl', path: '/dcat.ttl', type: /^text\/turtle/ },
  { route: '/warnungen.json', path: '/warnungen.json', type: /^application\/json/ },
  { route: '/dcat.jsonld', path: '/dcat.jsonld', type: /^application\/ld\+json/ },
  {
    route: '/pruefen.json',
    path: '/pruefen.json?url=https%3A%2F%2Fwww.facebook.com%2FHannover.de',
    type: /^application\/json/,
  },
  { route: '/healthz', path: '/healthz', type: /^(application\/json|text\/plain)/ },
  { route: '/readyz', path: '/readyz', type: /^(application\/json|text\/plain)/ },
  {
    route: '/intern/verwaltung/import/vorlage.csv',
    as: 'admin',
    path: '/intern/verwaltung/import/vorlage.csv',
    type: /^text\/csv/,
  },
  {
    route: '/intern/verwaltung/register.csv',
    as: 'admin',
    path: '/intern/verwaltung/register.csv',
    type: /^text\/csv/,
  },
  { route: '/intern/verwaltung/verlauf.csv', as: 'admin', path: '/intern/verwaltung/verlauf.csv', type: /^text\/csv/ },
  {
    route: '/intern/auswertung/:figure.csv',
    as: 'kommunikation',
    path: '/intern/auswertung/rueckgaben.csv',
    type: /^text\/csv/,
  },
];

const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });
const field = (page: Page, label: string) => page.getByLabel(label, { exact: true });

/** Submits a form by its button and waits for the answer to load. */
async function press(page: Page, name: string) {
  await Promise.all([page.waitForEvent('load'), button(page, name).click()]);
}

const UNIT_CSV =
  'code;name;kind;parent_code;hannover_de_url\n41.9;Kulturbüro Hannover;bereich;41;https://www.hannover.de/Kultur-Freizeit\n';
const IMPORT_CSV =
  'unit_code;platform;name;url;description;hannover_de_url;existing_since;editors;author\n' +
  '41;facebook;Kulturbüro Hannover;https://www.facebook.com/kulturbuero.import;Veranstaltungen und Förderprogramme.;https://www.hannover.de/Kultur-Freizeit;2019-05-01;redaktion redaktion2;\n';
const BAD_CSV = 'spalte;andere\n1;2\n';

async function importDone(page: Page, t: Texts) {
  await field(page, t['admin.import.csvField']).fill(IMPORT_CSV);
  await press(page, t['admin.import.dryRun']);
  await press(page, t['admin.import.confirm'].replace('{count}', '1'));
}

async function unitImportDone(page: Page, t: Texts) {
  await field(page, t['admin.import.csvField']).fill(UNIT_CSV);
  await press(page, t['admin.import.dryRun']);
  await press(page, t['admin.units.import.confirm']);
}

export const PAGES: PageSpec[] = [
  // ---------- public ----------
  { name: 'overview', route: '/', path: () => '/' },
  { name: 'overview, search results', route: '/', path: () => '/?q=Museum' },
  { name: 'overview, nothing found', route: '/', path: () => '/?q=Zirkuszelt' },
  {
    name: 'overview, invalid filter (error state)',
    route: '/',
    path: () => '/?plattform=gibt-es-nicht',
    status: 400,
    errorState: true,
  },
  { name: 'presence page, central Hannover.de', route: '/angebote/:slug', path: (f) => `/angebote/${f.centralSlug}` },
  { name: 'presence page', route: '/angebote/:slug', path: (f) => `/angebote/${f.presenceSlug}` },
  { name: 'presence page, formerly official', route: '/angebote/:slug', path: (f) => `/angebote/${f.closedSlug}` },
  { name: 'verify', route: '/pruefen', path: () => '/pruefen' },
  { name: 'verify, official', route: '/pruefen', path: (f) => `/pruefen?url=${encodeURIComponent(f.presenceUrl)}` },
  {
    name: 'verify, formerly official',
    route: '/pruefen',
    path: (f) => `/pruefen?url=${encodeURIComponent(f.closedUrl)}`,
  },
  {
    name: 'verify, unknown',
    route: '/pruefen',
    path: () => `/pruefen?url=${encodeURIComponent('https://www.facebook.com/hannover-fake')}`,
  },
  {
    name: 'verify, not registered, long address',
    route: '/pruefen',
    path: () => `/pruefen?url=${encodeURIComponent(`https://www.facebook.com/${'hannover'.repeat(6)}`)}`,
  },
  {
    name: 'verify, cannot be checked (share link)',
    route: '/pruefen',
    path: () => `/pruefen?url=${encodeURIComponent('https://www.facebook.com/share/1EbK7zQp3X/')}`,
  },
  {
    name: 'verify, not an address (error state)',
    route: '/pruefen',
    path: () => '/pruefen',
    reach: async (page, t) => {
      await field(page, t['public.verify.label']).fill('kein Link');
      await press(page, t['public.verify.submit']);
    },
    status: 400,
    errorState: true,
  },
  {
    name: 'verify, look-alike of an official presence',
    route: '/pruefen',
    path: () => `/pruefen?url=${encodeURIComponent('https://www.facebook.com/hannover.de.offiziell')}`,
  },
  {
    name: 'verify, known fake account',
    route: '/pruefen',
    path: (f) => `/pruefen?url=${encodeURIComponent(f.impostorUrl)}`,
  },
  { name: 'known fake accounts', route: '/warnungen', path: () => '/warnungen' },
  {
    name: 'report an account',
    route: '/melden',
    path: () => `/melden?url=${encodeURIComponent('https://www.facebook.com/hannover.de.offiziell')}`,
  },
  { name: 'report an account, sent', route: '/melden', path: () => '/melden?gesendet=1' },
  {
    name: 'report an account, message too long (error state)',
    route: '/melden',
    path: () => `/melden?url=${encodeURIComponent('https://www.facebook.com/hannover.de.offiziell')}`,
    reach: async (page, t) => {
      await field(page, `${t['reports.form.message']} (${t['reports.form.optional']})`).fill('x'.repeat(1001));
      await press(page, t['reports.form.submit']);
    },
    status: 400,
    errorState: true,
  },
  { name: 'embeddable fragment', route: '/einbetten', path: () => '/einbetten', fragment: true },
  { name: 'imprint', route: '/impressum', path: () => '/impressum' },
  { name: 'privacy notice', route: '/datenschutz', path: () => '/datenschutz' },
  { name: 'accessibility statement', route: '/barrierefreiheit', path: () => '/barrierefreiheit' },
  { name: 'page not found', route: null, path: () => '/gibt-es-nicht', status: 404 },

  // ---------- sign-in ----------
  { name: 'sign-in', route: '/anmelden', path: () => '/anmelden' },
  { name: 'sign-in, session required', route: '/anmelden', path: () => '/anmelden?zurueck=%2Fintern%2Fantraege' },
  {
    name: 'sign-in, empty (error state)',
    route: '/anmelden',
    path: () => '/anmelden',
    reach: (page, t) => press(page, t['signIn.submit']),
    status: 400,
    errorState: true,
  },
  {
    name: 'sign-in, wrong password',
    route: '/anmelden',
    path: () => '/anmelden',
    reach: async (page, t) => {
      await field(page, t['signIn.username']).fill('redaktion');
      await field(page, t['signIn.password']).fill('falsch');
      await press(page, t['signIn.submit']);
    },
    status: 401,
  },

  // ---------- staff: tasks and requests ----------
  { name: 'tasks of an editor', route: '/intern', as: 'redaktion', path: () => '/intern' },
  { name: 'tasks of an editor with a confirmation', route: '/intern', as: 'redaktion2', path: () => '/intern' },
  { name: 'tasks of a unit head', route: '/intern', as: 'leitung', path: () => '/intern' },
  { name: 'tasks of Hannover.de editorial', route: '/intern', as: 'hannoverde', path: () => '/intern' },
  { name: 'tasks of an administrator', route: '/intern', as: 'admin', path: () => '/intern' },
  {
    name: 'tasks of a unit head, filtered and sorted by deadline',
    route: '/intern',
    as: 'leitung',
    path: () => '/intern?einheit=41&sortierung=frist&q=hannover',
  },
  {
    name: 'tasks, bad filter value (error state)',
    route: '/intern',
    as: 'leitung',
    path: () => '/intern?sortierung=zufall&seite=0',
    status: 400,
    errorState: true,
  },
  { name: 'requests, all', route: '/intern/antraege', as: 'kommunikation', path: () => '/intern/antraege' },
  // ---------- process figures and the council report (issue 13)
  { name: 'process figures', route: '/intern/auswertung', as: 'kommunikation', path: () => '/intern/auswertung' },
  {
    name: 'process figures, invalid period (error state)',
    route: '/intern/auswertung',
    as: 'datenschutz',
    path: () => '/intern/auswertung?von=kein-Datum&bis=2026-01-01',
    status: 400,
    errorState: true,
  },
  {
    name: 'council report',
    route: '/intern/auswertung/bericht',
    as: 'kommunikation',
    path: () => '/intern/auswertung/bericht',
  },
  {
    name: 'requests, filtered by step, longest waiting first',
    route: '/intern/antraege',
    as: 'kommunikation',
    path: () => '/intern/antraege?schritt=data_protection&sortierung=wartezeit&ueberfaellig=ja',
  },
  {
    name: 'requests, bad filter value (error state)',
    route: '/intern/antraege',
    as: 'kommunikation',
    path: () => '/intern/antraege?schritt=erfunden',
    status: 400,
    errorState: true,
  },
  {
    name: 'requests, returned',
    route: '/intern/antraege',
    as: 'redaktion',
    path: () => '/intern/antraege?stand=returned',
  },
  { name: 'new request', route: '/intern/antraege/neu', as: 'redaktion', path: () => '/intern/antraege/neu' },
  {
    name: 'new request, empty (error state)',
    route: '/intern/antraege/neu',
    as: 'redaktion',
    path: () => '/intern/antraege/neu',
    reach: (page, t) => press(page, t['requests.form.submit']),
    status: 400,
    errorState: true,
  },
  {
    name: 'new request, directory search results',
    route: '/intern/antraege/neu',
    as: 'redaktion',
    path: () => '/intern/antraege/neu',
    reach: async (page, t) => {
      await field(page, t['requests.field.editorSearch']).fill('Nowak');
      await press(page, t['requests.field.editorSearch.button']);
    },
  },
  {
    name: 'new request, a person named twice (error state)',
    route: '/intern/antraege/neu',
    as: 'redaktion',
    path: () => '/intern/antraege/neu',
    reach: async (page, t) => {
      await field(page, t['requests.field.editorDeputy']).fill('redaktion');
      await press(page, t['requests.form.submit']);
    },
    status: 400,
    errorState: true,
  },
  {
    // the form's token went stale (e.g. after a restart): the entries come back to send again
    name: 'new request, kept after a stale form token',
    route: '/intern/antraege/neu',
    as: 'redaktion',
    path: () => '/intern/antraege/neu',
    reach: async (page, t) => {
      await field(page, t['requests.field.name']).fill('Kulturbüro Linden');
      await page
        .locator('form.request-form input[name="_csrf"]')
        .evaluate((el) => ((el as HTMLInputElement).value = 'veraltet'));
      await press(page, t['requests.form.saveDraft']);
    },
    status: 403,
  },
  {
    // a form sent after the session ended: the sign-in page carries the entries, sealed
    name: 'sign-in carrying kept entries',
    route: '/anmelden',
    path: () => '/anmelden',
    reach: async (page) => {
      await Promise.all([
        page.waitForEvent('load'),
        page.evaluate(() => {
          const form = document.createElement('form');
          form.method = 'post';
          form.action = `${location.pathname.startsWith('/en/') ? '/en' : ''}/intern/antraege/neu`;
          const input = Object.assign(document.createElement('input'), {
            type: 'hidden',
            name: 'name',
            value: 'Kulturbüro Linden',
          });
          form.append(input);
          document.body.append(form);
          form.submit();
        }),
      ]);
    },
    status: 403,
  },
  {
    name: 'request, draft',
    route: '/intern/antraege/:id',
    as: 'redaktion',
    path: (f) => `/intern/antraege/${f.draftId}`,
  },
  {
    name: 'request, decision form',
    route: '/intern/antraege/:id',
    as: 'leitung',
    path: (f) => `/intern/antraege/${f.unitHeadId}`,
  },
  {
    name: 'request, decision without choice (error state)',
    route: '/intern/antraege/:id',
    as: 'leitung',
    path: (f) => `/intern/antraege/${f.unitHeadId}`,
    reach: (page, t) => press(page, t['requests.decide.submit']),
    status: 400,
    errorState: true,
  },
  {
    name: 'request, return without reason (error state)',
    route: '/intern/antraege/:id',
    as: 'leitung',
    path: (f) => `/intern/antraege/${f.unitHeadId}`,
    reach: async (page, t) => {
      await page.getByRole('radio', { name: t['requests.decide.return'], exact: true }).check();
      await press(page, t['requests.decide.submit']);
    },
    status: 400,
    errorState: true,
  },
  {
    name: 'request, reject: "really reject?" confirmation page',
    route: '/intern/antraege/:id',
    as: 'leitung',
    path: (f) => `/intern/antraege/${f.unitHeadId}`,
    reach: async (page, t) => {
      await page.getByRole('radio', { name: t['requests.decide.reject'], exact: true }).check();
      await field(page, t['requests.decide.comment']).fill(
        'Kein Bedarf erkennbar: das Angebot gibt es schon auf Hannover.de.',
      );
      await press(page, t['requests.decide.submit']);
    },
  },
  {
    name: 'request, changes since last view',
    route: '/intern/antraege/:id',
    as: 'datenschutz',
    path: (f) => `/intern/antraege/${f.changedId}`,
  },
  {
    name: 'request, editor confirmation',
    route: '/intern/antraege/:id',
    as: 'redaktion2',
    path: (f) => `/intern/antraege/${f.changedId}`,
  },
  {
    name: 'request, confirmation unchecked (error state)',
    route: '/intern/antraege/:id',
    as: 'redaktion2',
    path: (f) => `/intern/antraege/${f.changedId}`,
    reach: (page, t) => press(page, t['requests.confirm.submit']),
    status: 400,
    errorState: true,
  },
  {
    name: 'request, returned',
    route: '/intern/antraege/:id',
    as: 'redaktion',
    path: (f) => `/intern/antraege/${f.returnedId}`,
  },
  {
    name: 'request, what happens next',
    route: '/intern/antraege/:id',
    as: 'redaktion',
    path: (f) => `/intern/antraege/${f.changedId}?eingereicht=1`,
  },
  {
    name: 'delete a draft',
    route: '/intern/antraege/:id/loeschen',
    as: 'redaktion',
    path: (f) => `/intern/antraege/${f.draftId}/loeschen`,
  },
  { name: 'guidelines', route: '/intern/leitlinien', as: 'redaktion2', path: () => '/intern/leitlinien' },
  {
    name: 'service agreement',
    route: '/intern/dienstvereinbarung',
    as: 'redaktion',
    path: () => '/intern/dienstvereinbarung',
  },
  {
    name: 'request, published',
    route: '/intern/antraege/:id',
    as: 'redaktion',
    path: (f) => `/intern/antraege/${f.publishedId}`,
  },
  {
    name: 'request, read by the staff council',
    route: '/intern/antraege/:id',
    as: 'personalrat',
    path: (f) => `/intern/antraege/${f.changedId}`,
  },
  {
    name: 'edit a returned request',
    route: '/intern/antraege/:id/bearbeiten',
    as: 'redaktion',
    path: (f) => `/intern/antraege/${f.returnedId}/bearbeiten`,
  },
  {
    name: 'edit a returned request, invalid (error state)',
    route: '/intern/antraege/:id/bearbeiten',
    as: 'redaktion',
    path: (f) => `/intern/antraege/${f.returnedId}/bearbeiten`,
    reach: async (page, t) => {
      await field(page, t['requests.field.name']).fill('');
      await press(page, t['requests.form.resubmit']);
    },
    status: 400,
    errorState: true,
  },
  {
    name: 'edit a request under review: refused',
    route: '/intern/antraege/:id/bearbeiten',
    as: 'redaktion',
    path: (f) => `/intern/antraege/${f.unitHeadId}/bearbeiten`,
    status: 409,
  },
  { name: 'deputies', route: '/intern/vertretung', as: 'leitung', path: () => '/intern/vertretung' },
  {
    name: 'deputies, empty (error state)',
    route: '/intern/vertretung',
    as: 'leitung',
    path: () => '/intern/vertretung',
    reach: (page, t) => press(page, t['requests.substitution.save']),
    status: 400,
    errorState: true,
  },
  {
    name: 'deputies, search results',
    route: '/intern/vertretung',
    as: 'leitung',
    path: () => '/intern/vertretung',
    reach: async (page, t) => {
      await field(page, t['requests.substitution.search']).fill('Nowak');
      await press(page, t['requests.substitution.search.button']);
    },
  },
  {
    name: 'deputies, deputy chosen',
    route: '/intern/vertretung',
    as: 'leitung',
    path: () => '/intern/vertretung',
    reach: async (page, t) => {
      await field(page, t['requests.substitution.search']).fill('Nowak');
      await press(page, t['requests.substitution.search.button']);
      await press(page, t['requests.substitution.search.take'].replace('{name}', 'Kim Nowak'));
    },
  },
  {
    name: 'deputies, "Bis" before "Von" (error state)',
    route: '/intern/vertretung',
    as: 'leitung',
    path: () => '/intern/vertretung',
    reach: async (page, t) => {
      await field(page, t['requests.substitution.search']).fill('Nowak');
      await press(page, t['requests.substitution.search.button']);
      await press(page, t['requests.substitution.search.take'].replace('{name}', 'Kim Nowak'));
      await field(page, t['requests.substitution.from']).fill('2099-05-02');
      await field(page, t['requests.substitution.to']).fill('2099-05-01');
      await press(page, t['requests.substitution.save']);
    },
    status: 400,
    errorState: true,
  },
  { name: 'deputies, administrator', route: '/intern/vertretung', as: 'admin', path: () => '/intern/vertretung' },

  // ---------- staff: presences ----------
  { name: 'presences, active', route: '/intern/angebote', as: 'kommunikation', path: () => '/intern/angebote' },
  {
    name: 'presences, closed',
    route: '/intern/angebote',
    as: 'kommunikation',
    path: () => '/intern/angebote?filter=geschlossen',
  },
  { name: 'presences of an editor', route: '/intern/angebote', as: 'redaktion', path: () => '/intern/angebote' },
  {
    name: 'presence, for its editor',
    route: '/intern/angebote/:id',
    as: 'redaktion',
    path: (f) => `/intern/angebote/${f.publishedPresenceId}`,
  },
  {
    name: 'presence, close without reason (error state)',
    route: '/intern/angebote/:id',
    as: 'redaktion',
    path: (f) => `/intern/angebote/${f.publishedPresenceId}`,
    reach: (page, t) => press(page, t['registry.close.submit']),
    status: 400,
    errorState: true,
  },
  {
    name: 'presence, close: "really close?" confirmation page',
    route: '/intern/angebote/:id',
    as: 'redaktion',
    path: (f) => `/intern/angebote/${f.publishedPresenceId}`,
    reach: async (page, t) => {
      await field(page, t['registry.close.reason']).fill('Der Kanal wird nicht mehr betreut.');
      await press(page, t['registry.close.submit']);
    },
  },
  {
    name: 'presence, for communications',
    route: '/intern/angebote/:id',
    as: 'kommunikation',
    path: (f) => `/intern/angebote/${f.presenceId}`,
  },
  {
    name: 'change request',
    route: '/intern/angebote/:id/aenderung',
    as: 'redaktion',
    path: (f) => `/intern/angebote/${f.publishedPresenceId}/aenderung`,
  },
  {
    name: 'change request, name missing (error state)',
    route: '/intern/angebote/:id/aenderung',
    as: 'redaktion',
    path: (f) => `/intern/angebote/${f.publishedPresenceId}/aenderung`,
    reach: async (page, t) => {
      await field(page, t['requests.field.name']).fill('');
      await press(page, t['registry.change.submit']);
    },
    status: 400,
    errorState: true,
  },

  // ---------- staff: platform re-assessments ----------
  {
    name: 're-assessments with the open form',
    route: '/intern/neubewertungen',
    as: 'kommunikation',
    path: () => '/intern/neubewertungen',
  },
  {
    name: 're-assessments, for the staff council (no form)',
    route: '/intern/neubewertungen',
    as: 'personalrat',
    path: () => '/intern/neubewertungen',
  },
  {
    name: 're-assessments, open form empty (error state)',
    route: '/intern/neubewertungen',
    as: 'kommunikation',
    path: () => '/intern/neubewertungen',
    reach: (page, t) => press(page, t['reassessments.open.submit']),
    status: 400,
    errorState: true,
  },
  {
    name: 're-assessments, open: confirmation page',
    route: '/intern/neubewertungen',
    as: 'datenschutz',
    path: () => '/intern/neubewertungen',
    reach: async (page, t) => {
      const select = field(page, t['reassessments.field.platform']);
      const value = await select
        .locator('option')
        .evaluateAll((options) => (options as HTMLOptionElement[]).find((o) => o.value === 'instagram')?.value);
      await select.selectOption(value ?? '');
      await field(page, t['reassessments.field.reason']).fill('Anordnung der Aufsichtsbehörde vom 1. Dezember');
      const in30 = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
      await field(page, t['reassessments.field.deadline']).fill(in30);
      await field(page, t['reassessments.field.block']).check();
      await press(page, t['reassessments.open.submit']);
    },
  },
  {
    name: 're-assessment progress',
    route: '/intern/neubewertungen/:id',
    as: 'datenschutz',
    path: (f) => `/intern/neubewertungen/${f.reassessmentId}`,
  },
  {
    name: 're-assessment answer, for an editor',
    route: '/intern/neubewertungen/:id/angebote/:presenceId',
    as: 'redaktion',
    path: (f) => `/intern/neubewertungen/${f.reassessmentId}/angebote/${f.publishedPresenceId}`,
  },
  {
    name: 're-assessment answer, nothing confirmed (error state)',
    route: '/intern/neubewertungen/:id/angebote/:presenceId',
    as: 'redaktion',
    path: (f) => `/intern/neubewertungen/${f.reassessmentId}/angebote/${f.publishedPresenceId}`,
    reach: (page, t) => press(page, t['reassessments.answer.confirmSubmit']),
    status: 400,
    errorState: true,
  },
  {
    name: 're-assessment answer, close: confirmation page',
    route: '/intern/neubewertungen/:id/angebote/:presenceId',
    as: 'redaktion',
    path: (f) => `/intern/neubewertungen/${f.reassessmentId}/angebote/${f.publishedPresenceId}`,
    reach: async (page, t) => {
      await field(page, t['reassessments.answer.closeReason']).fill('Die Plattform ist nicht mehr tragbar.');
      await press(page, t['reassessments.answer.closeSubmit']);
    },
  },
  {
    name: 're-assessment answer, for the unit head (no closing)',
    route: '/intern/neubewertungen/:id/angebote/:presenceId',
    as: 'leitung',
    path: (f) => `/intern/neubewertungen/${f.reassessmentId}/angebote/${f.presenceId}`,
  },

  // ---------- staff: administration ----------
  { name: 'outbox', route: '/intern/postausgang', as: 'admin', path: () => '/intern/postausgang' },
  {
    name: 'reports of fake accounts',
    route: '/intern/meldungen',
    as: 'kommunikation',
    path: () => '/intern/meldungen',
  },
  {
    name: 'report case',
    route: '/intern/meldungen/:id',
    as: 'kommunikation',
    path: (f) => `/intern/meldungen/${f.reportCaseId}`,
  },
  {
    name: 'report case, read by an administrator',
    route: '/intern/meldungen/:id',
    as: 'admin',
    path: (f) => `/intern/meldungen/${f.reportCaseId}`,
  },
  {
    name: 'report case, impossible date (error state)',
    route: '/intern/meldungen/:id',
    as: 'kommunikation',
    path: (f) => `/intern/meldungen/${f.reportCaseId}`,
    reach: async (page, t) => {
      await field(page, t['reports.case.dateLabel']).fill('31.02.2026');
      await press(page, t['reports.case.submit']);
    },
    status: 400,
    errorState: true,
  },
  { name: 'administration', route: '/intern/verwaltung', as: 'admin', path: () => '/intern/verwaltung' },
  {
    name: 'administration, forbidden for an editor',
    route: '/intern/verwaltung',
    as: 'redaktion',
    path: () => '/intern/verwaltung',
    status: 403,
  },
  {
    name: 'units',
    route: '/intern/verwaltung/organisationseinheiten',
    as: 'admin',
    path: () => '/intern/verwaltung/organisationseinheiten',
  },
  {
    name: 'unit',
    route: '/intern/verwaltung/organisationseinheiten/:id',
    as: 'admin',
    path: (f) => `/intern/verwaltung/organisationseinheiten/${f.unitId}`,
  },
  {
    name: 'unit, head unknown (error state)',
    route: '/intern/verwaltung/organisationseinheiten/:id',
    as: 'admin',
    path: (f) => `/intern/verwaltung/organisationseinheiten/${f.unitId}`,
    reach: (page, t) => press(page, t['admin.units.heads.add']),
    status: 400,
    errorState: true,
  },
  {
    name: 'unit, name missing (error state)',
    route: '/intern/verwaltung/organisationseinheiten/:id',
    as: 'admin',
    path: (f) => `/intern/verwaltung/organisationseinheiten/${f.unitId}`,
    reach: async (page, t) => {
      await field(page, t['admin.units.field.name']).fill('');
      await press(page, t['admin.save']);
    },
    status: 400,
    errorState: true,
  },
  {
    name: 'unit, retire with active sub-units (error state)',
    route: '/intern/verwaltung/organisationseinheiten/:id',
    as: 'admin',
    path: (f) => `/intern/verwaltung/organisationseinheiten/${f.unitId}`,
    reach: (page, t) => press(page, t['admin.units.retire.submit']),
    status: 409,
    errorState: true,
  },
  {
    name: 'new unit',
    route: '/intern/verwaltung/organisationseinheiten/neu',
    as: 'admin',
    path: () => '/intern/verwaltung/organisationseinheiten/neu',
  },
  {
    name: 'new unit, empty (error state)',
    route: '/intern/verwaltung/organisationseinheiten/neu',
    as: 'admin',
    path: () => '/intern/verwaltung/organisationseinheiten/neu',
    reach: (page, t) => press(page, t['admin.units.create']),
    status: 400,
    errorState: true,
  },
  {
    name: 'unit import',
    route: '/intern/verwaltung/organisationseinheiten/import',
    as: 'admin',
    path: () => '/intern/verwaltung/organisationseinheiten/import',
  },
  {
    name: 'unit import, bad CSV (error state)',
    route: '/intern/verwaltung/organisationseinheiten/import',
    as: 'admin',
    path: () => '/intern/verwaltung/organisationseinheiten/import',
    reach: async (page, t) => {
      await field(page, t['admin.import.csvField']).fill(BAD_CSV);
      await press(page, t['admin.import.dryRun']);
    },
    status: 400,
    errorState: true,
  },
  {
    name: 'unit import, dry run',
    route: '/intern/verwaltung/organisationseinheiten/import',
    as: 'admin',
    path: () => '/intern/verwaltung/organisationseinheiten/import',
    reach: async (page, t) => {
      await field(page, t['admin.import.csvField']).fill(UNIT_CSV);
      await press(page, t['admin.import.dryRun']);
    },
  },
  {
    name: 'unit import, done',
    route: '/intern/verwaltung/organisationseinheiten/import/:token',
    as: 'admin',
    path: () => '/intern/verwaltung/organisationseinheiten/import',
    reach: unitImportDone,
  },
  {
    name: 'platforms',
    route: '/intern/verwaltung/plattformen',
    as: 'admin',
    path: () => '/intern/verwaltung/plattformen',
  },
  {
    name: 'platforms, disable the only enabled one: confirmation page with warning',
    route: '/intern/verwaltung/plattformen',
    as: 'admin',
    path: () => '/intern/verwaltung/plattformen',
    reach: async (page, t) => {
      const row = page.locator('tr[data-platform="facebook"]');
      await Promise.all([
        page.waitForEvent('load'),
        row.getByRole('button', { name: new RegExp(`^${t['admin.platforms.disable']}\\b`) }).click(),
      ]);
    },
  },
  {
    name: 'platform',
    route: '/intern/verwaltung/plattformen/:key',
    as: 'admin',
    path: (f) => `/intern/verwaltung/plattformen/${f.platformKey}`,
  },
  {
    name: 'platform, preview without sample (error state)',
    route: '/intern/verwaltung/plattformen/:key',
    as: 'admin',
    path: (f) => `/intern/verwaltung/plattformen/${f.platformKey}`,
    reach: (page, t) => press(page, t['admin.platforms.previewButton']),
    status: 400,
    errorState: true,
  },
  {
    name: 'platform, preview',
    route: '/intern/verwaltung/plattformen/:key',
    as: 'admin',
    path: (f) => `/intern/verwaltung/plattformen/${f.platformKey}`,
    reach: async (page, t) => {
      await field(page, t['admin.platforms.field.sample']).fill('https://m.facebook.com/kulturhannover?ref=1');
      await press(page, t['admin.platforms.previewButton']);
    },
  },
  { name: 'workflows', route: '/intern/verwaltung/ablaeufe', as: 'admin', path: () => '/intern/verwaltung/ablaeufe' },
  {
    name: 'workflow',
    route: '/intern/verwaltung/ablaeufe/:id',
    as: 'admin',
    path: (f) => `/intern/verwaltung/ablaeufe/${f.workflowId}`,
  },
  {
    name: 'new workflow version',
    route: '/intern/verwaltung/ablaeufe/neu',
    as: 'admin',
    path: (f) => `/intern/verwaltung/ablaeufe/neu?von=${f.workflowId}`,
  },
  {
    name: 'new workflow version, invalid (error state)',
    route: '/intern/verwaltung/ablaeufe/neu',
    as: 'admin',
    path: () => '/intern/verwaltung/ablaeufe/neu',
    reach: async (page, t) => {
      await field(page, t['admin.workflows.field.definition']).fill('key: dienstanweisung\nsteps: [');
      await press(page, t['admin.workflows.uploadSubmit']);
    },
    status: 400,
    errorState: true,
  },
  { name: 'roles', route: '/intern/verwaltung/rollen', as: 'admin', path: () => '/intern/verwaltung/rollen' },
  { name: 'history', route: '/intern/verwaltung/verlauf', as: 'admin', path: () => '/intern/verwaltung/verlauf' },
  {
    name: 'history, invalid search (error state)',
    route: '/intern/verwaltung/verlauf',
    as: 'admin',
    path: () => '/intern/verwaltung/verlauf',
    reach: async (page, t) => {
      await field(page, t['admin.history.field.request']).fill('zwölf');
      await press(page, t['admin.search']);
    },
    status: 400,
    errorState: true,
  },
  {
    name: 'internal register',
    route: '/intern/verwaltung/register',
    as: 'admin',
    path: () => '/intern/verwaltung/register',
  },
  {
    name: 'approval record',
    route: '/intern/verwaltung/register/:id/nachweis',
    as: 'admin',
    path: (f) => `/intern/verwaltung/register/${f.publishedPresenceId}/nachweis`,
  },
  {
    name: 'inventory import',
    route: '/intern/verwaltung/import',
    as: 'admin',
    path: () => '/intern/verwaltung/import',
  },
  {
    name: 'inventory import, bad CSV (error state)',
    route: '/intern/verwaltung/import',
    as: 'admin',
    path: () => '/intern/verwaltung/import',
    reach: async (page, t) => {
      await field(page, t['admin.import.csvField']).fill(BAD_CSV);
      await press(page, t['admin.import.dryRun']);
    },
    status: 400,
    errorState: true,
  },
  {
    name: 'inventory import, rows with problems (error state)',
    route: '/intern/verwaltung/import',
    as: 'admin',
    path: () => '/intern/verwaltung/import',
    reach: async (page, t) => {
      await field(page, t['admin.import.csvField']).fill(
        IMPORT_CSV.replace('facebook.com/kulturbuero.import', 'faceb00k.com/kulturbuero.import'),
      );
      await press(page, t['admin.import.dryRun']);
    },
    status: 400,
    errorState: true,
  },
  {
    name: 'inventory import, dry run',
    route: '/intern/verwaltung/import',
    as: 'admin',
    path: () => '/intern/verwaltung/import',
    reach: async (page, t) => {
      await field(page, t['admin.import.csvField']).fill(IMPORT_CSV);
      await press(page, t['admin.import.dryRun']);
    },
  },
  {
    name: 'inventory import, done',
    route: '/intern/verwaltung/import/ergebnis/:token',
    as: 'admin',
    path: () => '/intern/verwaltung/import',
    reach: importDone,
  },
];

/** Public pages set no cookie and need no session: everything outside the staff paths. */
export const isStaffPath = (path: string) => /^\/(anmelden|abmelden|intern)(\/|$|\?)/.test(path);

export function localized(path: string, locale: Locale): string {
  if (locale === 'de') return path;
  return path === '/' ? '/en' : path.startsWith('/?') ? `/en${path.slice(1)}` : `/en${path}`;
}
