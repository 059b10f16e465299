import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/app';
import { confirmOnPage, csrfFrom, signIn, submitForm } from '../helpers/http';
import { seedDemoUnits } from '../../src/demo/org-units';
import { validForm } from './fixtures';

/**
 * Issue 17, "Forms that help instead of trap": errors in the order of the page and at the
 * field they concern, summary links that land on a focusable field, "Fehler:" titles, the
 * people search returning to its section, date hints, and confirmation pages before rejecting,
 * closing and disabling a platform.
 */
let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
  await seedDemoUnits(ctx.database.db);
});
afterAll(() => ctx.close());

type Agent = Awaited<ReturnType<typeof signIn>>;

const decode = (s: string) => s.replace(/&#34;|&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** The error summary's links, in the order it lists them. */
function summaryTargets(html: string): string[] {
  const summary = /<div class="kern-alert kern-alert--danger error-summary"[\s\S]*?<\/ul>/.exec(html)?.[0] ?? '';
  return [...summary.matchAll(/href="#([^"]+)"/g)].map((m) => m[1] as string);
}

/** The element a summary link points to (its opening tag), or undefined. */
const elementWithId = (html: string, id: string) => new RegExp(`<(input|select|textarea)\\b[^>]*\\bid="${id}"[^>]*>`).exec(html);

/** Every summary link lands on a visible, focusable field (not a hidden input, not a wrapper). */
function expectLinksLandOnFields(html: string) {
  const targets = summaryTargets(html);
  expect(targets.length).toBeGreaterThan(0);
  for (const id of targets) {
    const el = elementWithId(html, id);
    expect(el, `summary link #${id} has no input, select or textarea with that id`).not.toBeNull();
    expect(el?.[0]).not.toMatch(/type="hidden"|\bdisabled\b|tabindex="-1"/);
  }
}

async function fileRequest(agent: Agent, overrides: Record<string, string> = {}): Promise<number> {
  const res = await submitForm(agent, '/intern/antraege/neu', '/intern/antraege/neu', { ...validForm(overrides), aktion: 'einreichen' });
  expect(res.status, res.text.slice(0, 2000)).toBe(303);
  return Number(/\/intern\/antraege\/(\d+)/.exec(res.headers.location as string)?.[1]);
}

async function decisionPost(agent: Agent, id: number, fields: Record<string, string>) {
  const page = await agent.get(`/intern/antraege/${id}`).expect(200);
  const version = /name="fassung" value="(\d+)"/.exec(page.text)?.[1] ?? '';
  return agent.post(`/intern/antraege/${id}/entscheidung`).type('form').send({ _csrf: csrfFrom(page.text), schritt: 'unit_head', fassung: version, ...fields });
}

async function presence(name: string, editors: string[]): Promise<number> {
  const db = ctx.database.db;
  const unit = await db('org_units').where({ code: '41' }).first('id');
  const account = name.toLowerCase().replace(/[^a-z]+/g, '.');
  const now = ctx.clock.now;
  const [row] = await db('presences')
    .insert({ slug: `${account.replace(/\./g, '-')}-facebook`, platform_key: 'facebook', account_id: account, url: `https://www.facebook.com/${account}`, name, description: 'Beschreibung', org_unit_id: unit.id, hannover_de_url: 'https://www.hannover.de/', status: 'active', published_at: now, last_confirmed_at: now, review_due: '2099-01-01', created_at: now, updated_at: now })
    .returning('id');
  const id = (row as { id: number }).id;
  for (const [i, uid] of editors.entries()) await db('presence_editors').insert({ presence_id: id, uid, name: uid, position: i + 1 });
  return id;
}

describe('error summary and errors at their fields', () => {
  it('lists the errors of the request form in the order the fields stand on the page', async () => {
    const editor = await signIn(ctx.app, 'redaktion');
    // the unit and the editor are checked against the database after the form's own rules:
    // they came last in the summary although the unit is the first question and the editor the 19th
    const res = await submitForm(editor, '/intern/antraege/neu', '/intern/antraege/neu', {
      ...validForm({ orgUnit: '99.99', name: '', editor2: 'gibt.es.nicht', offboarding: '' }),
      commitLinkBack: '',
      aktion: 'einreichen',
    });
    expect(res.status).toBe(400);
    const targets = summaryTargets(res.text);
    expect(targets).toEqual(['feld-orgUnit', 'feld-name', 'feld-commitLinkBack', 'feld-editor2', 'feld-offboarding']);
    const onPage = targets.map((id) => res.text.indexOf(`id="${id}"`, res.text.indexOf('<form')));
    expect(onPage).toEqual([...onPage].sort((a, b) => a - b));
    expectLinksLandOnFields(res.text);
  });

  it('puts "named twice" at the second naming and names the person', async () => {
    const editor = await signIn(ctx.app, 'redaktion');
    const res = await submitForm(editor, '/intern/antraege/neu', '/intern/antraege/neu', {
      ...validForm({ editor3: 'Redaktion2' }),
      aktion: 'einreichen',
    });
    expect(res.status).toBe(400);
    expect(summaryTargets(res.text)).toEqual(['feld-editor3']);
    const message = 'Kim Nowak ist bereits als Redakteur*in eingetragen.';
    expect(decode(res.text)).toContain(message);
    // at the field: the error text above the third slot, which is marked invalid; the first two are not
    expect(res.text).toMatch(/id="feld-editor3-fehler"[\s\S]*?Kim Nowak ist bereits[\s\S]*?<input[^>]*id="feld-editor3"[^>]*aria-invalid="true"/);
    expect(res.text).not.toMatch(/id="feld-editor2"[^>]*aria-invalid/);
    expect(res.text).not.toMatch(/id="feld-editor1"[^>]*aria-invalid/);
    // and in English
    const en = await submitForm(editor, '/en/intern/antraege/neu', '/en/intern/antraege/neu', { ...validForm({ editor3: 'redaktion2' }), aktion: 'einreichen' });
    expect(decode(en.text)).toContain('Kim Nowak is already named as an editor.');
  });

  it('puts "at least two editors" at the first empty slot', async () => {
    const editor = await signIn(ctx.app, 'redaktion');
    const res = await submitForm(editor, '/intern/antraege/neu', '/intern/antraege/neu', { ...validForm({ editor2: '' }), aktion: 'einreichen' });
    expect(summaryTargets(res.text)).toEqual(['feld-editor2']);
  });

  it('names the person named twice in a change request too', async () => {
    const id = await presence('Doppelt Benannt', ['redaktion', 'redaktion2']);
    const editor = await signIn(ctx.app, 'redaktion');
    const res = await submitForm(editor, `/intern/angebote/${id}/aenderung`, `/intern/angebote/${id}/aenderung`, {
      orgUnit: '41', name: 'Doppelt Benannt', url: 'https://www.facebook.com/doppelt.benannt', description: 'Neu', editor1: 'redaktion', editor2: 'redaktion2', editor3: 'redaktion', aktion: 'einreichen',
    });
    expect(res.status).toBe(400);
    expect(summaryTargets(res.text)).toContain('feld-editor3');
    expect(decode(res.text)).toContain('Robin Schäfer ist bereits als Redakteur*in eingetragen.');
    expectLinksLandOnFields(res.text);
  });

  it('starts the page title with "Fehler:" (English "Error:") only when the form came back with errors', async () => {
    const editor = await signIn(ctx.app, 'redaktion');
    const title = (html: string) => /<title>([^<]*)<\/title>/.exec(html)?.[1] ?? '';
    expect(title((await editor.get('/intern/antraege/neu')).text)).not.toMatch(/^Fehler/);
    const de = await submitForm(editor, '/intern/antraege/neu', '/intern/antraege/neu', { ...validForm({ name: '' }), aktion: 'einreichen' });
    expect(title(de.text)).toMatch(/^Fehler: Antrag bearbeiten – /); // the draft is kept, so the form is its edit form
    const en = await submitForm(editor, '/en/intern/antraege/neu', '/en/intern/antraege/neu', { ...validForm({ name: '' }), aktion: 'einreichen' });
    expect(title(en.text)).toMatch(/^Error: /);
    // the same layout rule on every form: sign-in
    const anon = (await import('supertest')).default.agent(ctx.app);
    const form = await anon.get('/anmelden');
    const signInRes = await anon.post('/anmelden').type('form').send({ _csrf: csrfFrom(form.text), username: '', password: '' });
    expect(signInRes.status).toBe(400);
    expect(title(signInRes.text)).toMatch(/^Fehler: /);
    expectLinksLandOnFields(signInRes.text);
  });

  it('summary links of the decision form land on its first radio and on the comment', async () => {
    const editor = await signIn(ctx.app, 'redaktion');
    const id = await fileRequest(editor, { url: 'https://www.facebook.com/kultur.fehlerlinks', name: 'Fehlerlinks' });
    const head = await signIn(ctx.app, 'leitung');
    const none = await decisionPost(head, id, {});
    expect(none.status).toBe(400);
    expect(summaryTargets(none.text)).toEqual(['feld-entscheidung']);
    expectLinksLandOnFields(none.text);
    const noReason = await decisionPost(head, id, { entscheidung: 'reject', kommentar: '' });
    expect(summaryTargets(noReason.text)).toEqual(['feld-kommentar']);
    expectLinksLandOnFields(noReason.text);
  });
});

describe('the request form', () => {
  it('sends the people search and "take over" back to the editors section, which can take focus', async () => {
    const editor = await signIn(ctx.app, 'redaktion');
    const page = await editor.get('/intern/antraege/neu').expect(200);
    expect(page.text).toMatch(/<fieldset[^>]*id="redaktion"[^>]*tabindex="-1"|<fieldset[^>]*tabindex="-1"[^>]*id="redaktion"/);
    expect(page.text).toMatch(/name="aktion" value="suchen" formaction="\/intern\/antraege\/neu#redaktion"/);
    const found = await editor.post('/intern/antraege/neu').type('form').send({ ...validForm({ editor2: '' }), editorSuche: 'Nowak', aktion: 'suchen', _csrf: csrfFrom(page.text) });
    expect(found.status).toBe(200);
    expect(found.text).toMatch(/name="uebernehmen" value="redaktion2" formaction="\/intern\/antraege\/neu#redaktion"/);
  });

  it('shows the date format in the hints and takes TT.MM.JJJJ as typed', async () => {
    const editor = await signIn(ctx.app, 'redaktion');
    const page = await editor.get('/intern/antraege/neu').expect(200);
    expect(page.text).toMatch(/id="feld-trainingDate-hinweis">[^<]*TT\.MM\.JJJJ/);
    expect(page.text).toMatch(/id="feld-existingSince-hinweis">[^<]*TT\.MM\.JJJJ/);
    const id = await fileRequest(editor, { url: 'https://www.facebook.com/kultur.datum', name: 'Datum', trainingDate: '1.10.2026' });
    expect((await ctx.database.db('requests').where({ id }).first()).data.trainingDate).toBe('2026-10-01');
  });
});

describe('confirmation pages', () => {
  it('rejecting asks "Wirklich ablehnen?" with the reason; nothing is rejected until confirmed', async () => {
    const editor = await signIn(ctx.app, 'redaktion');
    const id = await fileRequest(editor, { url: 'https://www.facebook.com/kultur.bestaetigen', name: 'Ablehnung mit Rückfrage' });
    const head = await signIn(ctx.app, 'leitung');
    const reason = 'Kein Bedarf <erkennbar> & doppelt.';
    const confirmation = await decisionPost(head, id, { entscheidung: 'reject', kommentar: reason });
    expect(confirmation.status).toBe(200);
    const text = decode(confirmation.text);
    expect(text).toContain('Antrag „Ablehnung mit Rückfrage“ wirklich ablehnen?');
    expect(text).toContain('Das ist endgültig.');
    expect(text).toContain(reason);
    expect(confirmation.text).not.toContain('<erkennbar>');
    expect(confirmation.text).toContain(`href="/intern/antraege/${id}"`); // the way back
    expect((await ctx.database.db('requests').where({ id }).first()).status).toBe('in_review');
    expect(await ctx.database.db('decisions').where({ request_id: id })).toHaveLength(0);

    // "change the reason" goes back to the decision form with everything kept
    const back = await head.post(`/intern/antraege/${id}/entscheidung`).type('form').send({ _csrf: csrfFrom(confirmation.text), schritt: 'unit_head', entscheidung: 'reject', kommentar: reason, bestaetigt: 'nein' });
    expect(back.status).toBe(200);
    expect(back.text).toMatch(/id="feld-entscheidung-reject"[^>]*checked/);
    expect(decode(back.text)).toContain(`>${reason}</textarea>`);
    expect((await ctx.database.db('requests').where({ id }).first()).status).toBe('in_review');

    // someone who may not decide this step gets no confirmation page either
    const comms = await signIn(ctx.app, 'kommunikation');
    const refused = await decisionPost(comms, id, { entscheidung: 'reject', kommentar: 'Nein.' });
    expect(refused.status).toBe(403);
    expect(refused.text).not.toContain('wirklich ablehnen');

    const done = await confirmOnPage(head, confirmation);
    expect(done.status).toBe(303);
    expect((await ctx.database.db('requests').where({ id }).first()).status).toBe('rejected');
    expect((await ctx.database.db('decisions').where({ request_id: id }).first()).comment).toBe(reason);
  });

  it('closing a presence asks first; only the confirmation closes; refused for whoever may not close', async () => {
    const id = await presence('Schliessen Mit Frage', ['redaktion', 'redaktion2']);
    const council = await signIn(ctx.app, 'personalrat');
    const seen = await council.get(`/intern/angebote/${id}`).expect(200);
    const refused = await council.post(`/intern/angebote/${id}/schliessen`).type('form').send({ _csrf: csrfFrom(seen.text), grund: 'Grund' });
    expect(refused.status).toBe(403);
    expect(refused.text).not.toContain('wirklich schließen');

    const comms = await signIn(ctx.app, 'kommunikation');
    const confirmation = await submitForm(comms, `/intern/angebote/${id}`, `/intern/angebote/${id}/schliessen`, { grund: 'Wird nicht mehr betreut.' });
    expect(confirmation.status).toBe(200);
    expect(decode(confirmation.text)).toContain('„Schliessen Mit Frage“ wirklich schließen?');
    expect(confirmation.text).toContain('Wird nicht mehr betreut.');
    expect(confirmation.text).toContain(`href="/intern/angebote/${id}"`);
    expect((await ctx.database.db('presences').where({ id }).first()).status).toBe('active');
    expect((await comms.get(`/angebote/schliessen-mit-frage-facebook`)).status).toBe(200);

    expect((await confirmOnPage(comms, confirmation)).status).toBe(303);
    expect(await ctx.database.db('presences').where({ id }).first()).toMatchObject({ status: 'closed', close_reason: 'Wird nicht mehr betreut.' });
  });

  it('disabling a platform asks first, warns when it is the last enabled one, and is for administrators only', async () => {
    const db = ctx.database.db;
    const P = '/intern/verwaltung/plattformen';
    const admin = await signIn(ctx.app, 'admin');
    const enabled = await db('platforms').where({ enabled: true }).pluck('key');
    expect(enabled.length).toBeGreaterThan(0);

    const editor = await signIn(ctx.app, 'redaktion');
    const editorPage = await editor.get('/intern').expect(200);
    expect((await editor.post(`${P}/facebook/freigabe`).type('form').send({ _csrf: csrfFrom(editorPage.text), freigegeben: 'nein' })).status).toBe(403);

    const ask = async (key: string) => submitForm(admin, P, `${P}/${key}/freigabe`, { freigegeben: 'nein' });
    // disable all but the last one (each through its confirmation page): no last-platform warning
    for (const key of enabled.slice(0, -1)) {
      const confirmation = await ask(key);
      expect(confirmation.status).toBe(200);
      expect(confirmation.text).not.toContain('data-testid="confirm-warning"');
      expect((await db('platforms').where({ key }).first()).enabled).toBe(true);
      expect((await confirmOnPage(admin, confirmation)).status).toBe(303);
    }
    const last = enabled[enabled.length - 1] as string;
    const confirmation = await ask(last);
    expect(confirmation.status).toBe(200);
    expect(confirmation.text).toContain('data-testid="confirm-warning"');
    expect(decode(confirmation.text)).toContain('Das ist die letzte freigegebene Plattform.');
    expect((await db('platforms').where({ key: last }).first()).enabled).toBe(true);
    expect((await confirmOnPage(admin, confirmation)).status).toBe(303);
    expect(await db('platforms').where({ enabled: true }).pluck('key')).toEqual([]);
    // enabling needs no confirmation; put everything back
    for (const key of enabled) expect((await submitForm(admin, P, `${P}/${key}/freigabe`, { freigegeben: 'ja' })).status).toBe(303);
  });

  it('the platform list has full-size enable/disable buttons', async () => {
    const admin = await signIn(ctx.app, 'admin');
    const list = await admin.get('/intern/verwaltung/plattformen').expect(200);
    expect(list.text).toContain('class="platform-actions"');
    expect(list.text).not.toMatch(/\/freigabe"[\s\S]{0,400}kern-btn--x-small/);
  });
});
