import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/app';
import { confirmOnPage, csrfFrom, signIn, submitForm } from '../helpers/http';
import { seedDemoUnits } from '../../src/demo/org-units';
import { validForm } from './fixtures';

/**
 * Issue 17, "Forms that help instead of trap": errors in the order of the page and at the
 * field they concern, summary links that land on a focusable field, "Fehler:" titles, the
 * people search returning to its section, date hints, and confirmation pages before rejecting,
 * closing and disabling a platform; the deputies form with the same people search, "Bis"
 * required, German days.
 */
let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
  await seedDemoUnits(ctx.database.db);
});
afterAll(() => ctx.close());

type Agent = Awaited<ReturnType<typeof signIn>>;

const decode = (s: string) =>
  s
    .replace(/&#34;|&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** The error summary's links, in the order it lists them. */
function summaryTargets(html: string): string[] {
  const summary = /<div class="kern-alert kern-alert--danger error-summary"[\s\S]*?<\/ul>/.exec(html)?.[0] ?? '';
  return [...summary.matchAll(/href="#([^"]+)"/g)].map((m) => m[1] as string);
}

/** The element a summary link points to (its opening tag), or undefined. */
const elementWithId = (html: string, id: string) =>
  new RegExp(`<(input|select|textarea)\\b[^>]*\\bid="${id}"[^>]*>`).exec(html);

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
  const res = await submitForm(agent, '/intern/antraege/neu', '/intern/antraege/neu', {
    ...validForm(overrides),
    aktion: 'einreichen',
  });
  expect(res.status, res.text.slice(0, 2000)).toBe(303);
  return Number(/\/intern\/antraege\/(\d+)/.exec(res.headers.location as string)?.[1]);
}

async function decisionPost(agent: Agent, id: number, fields: Record<string, string>) {
  const page = await agent.get(`/intern/antraege/${id}`).expect(200);
  const version = /name="fassung" value="(\d+)"/.exec(page.text)?.[1] ?? '';
  return agent
    .post(`/intern/antraege/${id}/entscheidung`)
    .type('form')
    .send({ _csrf: csrfFrom(page.text), schritt: 'unit_head', fassung: version, ...fields });
}

async function presence(name: string, editors: string[]): Promise<number> {
  const db = ctx.database.db;
  const unit = await db('org_units').where({ code: '41' }).first('id');
  const account = name.toLowerCase().replace(/[^a-z]+/g, '.');
  const now = ctx.clock.now;
  const [row] = await db('presences')
    .insert({
      slug: `${account.replace(/\./g, '-')}-facebook`,
      platform_key: 'facebook',
      account_id: account,
      url: `https://www.facebook.com/${account}`,
      name,
      description: 'Beschreibung',
      org_unit_id: unit.id,
      hannover_de_url: 'https://www.hannover.de/',
      status: 'active',
      published_at: now,
      last_confirmed_at: now,
      review_due: '2099-01-01',
      created_at: now,
      updated_at: now,
    })
    .returning('id');
  const id = (row as { id: number }).id;
  for (const [i, uid] of editors.entries())
    await db('presence_editors').insert({ presence_id: id, uid, name: uid, position: i + 1 });
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
    expect(res.text).toMatch(
      /id="feld-editor3-fehler"[\s\S]*?Kim Nowak ist bereits[\s\S]*?<input[^>]*id="feld-editor3"[^>]*aria-invalid="true"/,
    );
    expect(res.text).not.toMatch(/id="feld-editor2"[^>]*aria-invalid/);
    expect(res.text).not.toMatch(/id="feld-editor1"[^>]*aria-invalid/);
    // and in English
    const en = await submitForm(editor, '/en/intern/antraege/neu', '/en/intern/antraege/neu', {
      ...validForm({ editor3: 'redaktion2' }),
      aktion: 'einreichen',
    });
    expect(decode(en.text)).toContain('Kim Nowak is already named as an editor.');
  });

  it('puts "at least two editors" at the first empty slot', async () => {
    const editor = await signIn(ctx.app, 'redaktion');
    const res = await submitForm(editor, '/intern/antraege/neu', '/intern/antraege/neu', {
      ...validForm({ editor2: '' }),
      aktion: 'einreichen',
    });
    expect(summaryTargets(res.text)).toEqual(['feld-editor2']);
  });

  it('names the person named twice in a change request too', async () => {
    const id = await presence('Doppelt Benannt', ['redaktion', 'redaktion2']);
    const editor = await signIn(ctx.app, 'redaktion');
    const res = await submitForm(editor, `/intern/angebote/${id}/aenderung`, `/intern/angebote/${id}/aenderung`, {
      orgUnit: '41',
      name: 'Doppelt Benannt',
      url: 'https://www.facebook.com/doppelt.benannt',
      description: 'Neu',
      editor1: 'redaktion',
      editor2: 'redaktion2',
      editor3: 'redaktion',
      aktion: 'einreichen',
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
    const de = await submitForm(editor, '/intern/antraege/neu', '/intern/antraege/neu', {
      ...validForm({ name: '' }),
      aktion: 'einreichen',
    });
    expect(title(de.text)).toMatch(/^Fehler: Antrag bearbeiten – /); // the draft is kept, so the form is its edit form
    const en = await submitForm(editor, '/en/intern/antraege/neu', '/en/intern/antraege/neu', {
      ...validForm({ name: '' }),
      aktion: 'einreichen',
    });
    expect(title(en.text)).toMatch(/^Error: /);
    // the same layout rule on every form: sign-in
    const anon = (await import('supertest')).default.agent(ctx.app);
    const form = await anon.get('/anmelden');
    const signInRes = await anon
      .post('/anmelden')
      .type('form')
      .send({ _csrf: csrfFrom(form.text), username: '', password: '' });
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
    expect(page.text).toMatch(
      /<fieldset[^>]*id="redaktion"[^>]*tabindex="-1"|<fieldset[^>]*tabindex="-1"[^>]*id="redaktion"/,
    );
    expect(page.text).toMatch(/name="aktion" value="suchen" formaction="\/intern\/antraege\/neu#redaktion"/);
    const found = await editor
      .post('/intern/antraege/neu')
      .type('form')
      .send({ ...validForm({ editor2: '' }), editorSuche: 'Nowak', aktion: 'suchen', _csrf: csrfFrom(page.text) });
    expect(found.status).toBe(200);
    expect(found.text).toMatch(/name="uebernehmen" value="redaktion2" formaction="\/intern\/antraege\/neu#redaktion"/);
  });

  it('shows the date format in the hints and takes TT.MM.JJJJ as typed', async () => {
    const editor = await signIn(ctx.app, 'redaktion');
    const page = await editor.get('/intern/antraege/neu').expect(200);
    expect(page.text).toMatch(/id="feld-trainingDate-hinweis">[^<]*TT\.MM\.JJJJ/);
    expect(page.text).toMatch(/id="feld-existingSince-hinweis">[^<]*TT\.MM\.JJJJ/);
    const id = await fileRequest(editor, {
      url: 'https://www.facebook.com/kultur.datum',
      name: 'Datum',
      trainingDate: '1.10.2026',
    });
    expect((await ctx.database.db('requests').where({ id }).first()).data.trainingDate).toBe('2026-10-01');
  });
});

describe('confirmation pages', () => {
  it('rejecting asks "Wirklich ablehnen?" with the reason; nothing is rejected until confirmed', async () => {
    const editor = await signIn(ctx.app, 'redaktion');
    const id = await fileRequest(editor, {
      url: 'https://www.facebook.com/kultur.bestaetigen',
      name: 'Ablehnung mit Rückfrage',
    });
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
    const back = await head
      .post(`/intern/antraege/${id}/entscheidung`)
      .type('form')
      .send({
        _csrf: csrfFrom(confirmation.text),
        schritt: 'unit_head',
        entscheidung: 'reject',
        kommentar: reason,
        bestaetigt: 'nein',
      });
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
    const refused = await council
      .post(`/intern/angebote/${id}/schliessen`)
      .type('form')
      .send({ _csrf: csrfFrom(seen.text), grund: 'Grund' });
    expect(refused.status).toBe(403);
    expect(refused.text).not.toContain('wirklich schließen');

    const comms = await signIn(ctx.app, 'kommunikation');
    const confirmation = await submitForm(comms, `/intern/angebote/${id}`, `/intern/angebote/${id}/schliessen`, {
      grund: 'Wird nicht mehr betreut.',
    });
    expect(confirmation.status).toBe(200);
    expect(decode(confirmation.text)).toContain('„Schliessen Mit Frage“ wirklich schließen?');
    expect(confirmation.text).toContain('Wird nicht mehr betreut.');
    expect(confirmation.text).toContain(`href="/intern/angebote/${id}"`);
    expect((await ctx.database.db('presences').where({ id }).first()).status).toBe('active');
    expect((await comms.get(`/angebote/schliessen-mit-frage-facebook`)).status).toBe(200);

    expect((await confirmOnPage(comms, confirmation)).status).toBe(303);
    expect(await ctx.database.db('presences').where({ id }).first()).toMatchObject({
      status: 'closed',
      close_reason: 'Wird nicht mehr betreut.',
    });
  });

  it('disabling a platform asks first, warns when it is the last enabled one, and is for administrators only', async () => {
    const db = ctx.database.db;
    const P = '/intern/verwaltung/plattformen';
    const admin = await signIn(ctx.app, 'admin');
    const enabled = await db('platforms').where({ enabled: true }).pluck('key');
    expect(enabled.length).toBeGreaterThan(0);

    const editor = await signIn(ctx.app, 'redaktion');
    const editorPage = await editor.get('/intern').expect(200);
    expect(
      (
        await editor
          .post(`${P}/facebook/freigabe`)
          .type('form')
          .send({ _csrf: csrfFrom(editorPage.text), freigegeben: 'nein' })
      ).status,
    ).toBe(403);

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
    for (const key of enabled)
      expect((await submitForm(admin, P, `${P}/${key}/freigabe`, { freigegeben: 'ja' })).status).toBe(303);
  });

  it('the platform list has full-size enable/disable buttons', async () => {
    const admin = await signIn(ctx.app, 'admin');
    const list = await admin.get('/intern/verwaltung/plattformen').expect(200);
    expect(list.text).toContain('class="platform-actions"');
    expect(list.text).not.toMatch(/\/freigabe"[\s\S]{0,400}kern-btn--x-small/);
  });
});

describe('the deputies form', () => {
  // the substitution rows below start today: they stay at the end of this file
  const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(ctx.clock.now);
  /** today as a person types it after the hint: D.M.YYYY, no leading zeros */
  const todayTyped = () => {
    const [y, m, d] = today().split('-');
    return `${Number(d)}.${Number(m)}.${y}`;
  };
  const count = async () =>
    Number(((await ctx.database.db('substitutions').count({ n: '*' }).first()) as { n: string | number }).n);
  /** POSTs the deputies form as its page holds it (CSRF token included) with these fields. */
  async function post(agent: Agent, fields: Record<string, string>) {
    const page = await agent.get('/intern/vertretung').expect(200);
    return agent
      .post('/intern/vertretung')
      .type('form')
      .send({ ...fields, _csrf: csrfFrom(page.text) });
  }
  const inputValue = (html: string, name: string) =>
    new RegExp(`<input[^>]*name="${name}"[^>]*value="([^"]*)"`).exec(html)?.[1];
  /** the error shown at a field (its text), or undefined */
  const fieldError = (html: string, field: string) =>
    new RegExp(`id="feld-${field}-fehler">[\\s\\S]*?<span class="kern-body">([^<]*)<`).exec(html)?.[1];

  it('starts with "Von" today, "Bis" empty, the date hints and the people search instead of a user id field', async () => {
    const head = await signIn(ctx.app, 'leitung');
    const page = await head.get('/intern/vertretung').expect(200);
    expect(inputValue(page.text, 'von')).toBe(today());
    expect(inputValue(page.text, 'bis')).toBe('');
    expect(page.text).toMatch(/id="feld-von-hinweis">[^<]*TT\.MM\.JJJJ/);
    expect(page.text).toMatch(/id="feld-bis-hinweis">[^<]*TT\.MM\.JJJJ/);
    expect(page.text).not.toMatch(/<input[^>]*name="vertretung"/);
    expect(page.text).toMatch(/<input[^>]*name="vertretungSuche"[^>]*type="search"/);
    expect(page.text).toMatch(/name="aktion" value="suchen" formaction="\/intern\/vertretung#vertretung-wahl"/);
    // Enter in a field (no JavaScript) searches while nobody is chosen: saving could not succeed yet
    expect(/<form method="post" action="\/intern\/vertretung"[\s\S]*?<button[^>]*>/.exec(page.text)?.[0]).toMatch(
      /value="suchen"/,
    );
  });

  it('picks the deputy by searching a name (no JavaScript needed); the deputy then sees the principal’s tasks', async () => {
    const editor = await signIn(ctx.app, 'redaktion');
    const id = await fileRequest(editor, {
      url: 'https://www.facebook.com/kultur.vertretung.suche',
      name: 'Vertretung gesucht',
    });
    const deputy = await signIn(ctx.app, 'datenschutz');
    const task = `data-request="${id}" data-step="unit_head"`;
    expect((await deputy.get('/intern').expect(200)).text).not.toContain(task);

    const head = await signIn(ctx.app, 'leitung');
    const found = await post(head, { vertretungSuche: 'Fatma', aktion: 'suchen', von: today(), bis: '' });
    expect(found.status).toBe(200);
    expect(found.text).toMatch(
      /name="uebernehmen" value="datenschutz" formaction="\/intern\/vertretung#vertretung-wahl"/,
    );
    expect(decode(found.text)).toContain('Fatma Yılmaz übernehmen');
    expect(inputValue(found.text, 'vertretungSuche')).toBe('Fatma');

    const taken = await post(head, { vertretungSuche: 'Fatma', uebernehmen: 'datenschutz', von: today(), bis: '' });
    expect(taken.status).toBe(200);
    expect(decode(taken.text)).toContain('Gewählt: Fatma Yılmaz (datenschutz)');
    expect(taken.text).toContain('<input type="hidden" name="vertretung" value="datenschutz">');
    expect(taken.text).toMatch(/name="aktion" value="aendern" formaction="\/intern\/vertretung#vertretung-wahl"/);
    expect(inputValue(taken.text, 'von')).toBe(today());
    // with a deputy chosen, Enter saves
    expect(/<form method="post" action="\/intern\/vertretung"[\s\S]*?<button[^>]*>/.exec(taken.text)?.[0]).toMatch(
      /value="speichern"/,
    );

    // "Andere Person wählen" goes back to the search and keeps the dates
    const change = await post(head, { vertretung: 'datenschutz', aktion: 'aendern', von: today(), bis: '31.12.2099' });
    expect(change.status).toBe(200);
    expect(change.text).not.toContain('name="vertretung"');
    expect(change.text).toMatch(/<input[^>]*name="vertretungSuche"/);
    expect(inputValue(change.text, 'bis')).toBe('2099-12-31');

    const saved = await post(head, { vertretung: 'datenschutz', aktion: 'speichern', von: today(), bis: todayTyped() });
    expect(saved.status, saved.text.slice(0, 300)).toBe(303);
    expect(
      await ctx.database.db('substitutions').where({ principal_uid: 'leitung', deputy_uid: 'datenschutz' }).first(),
    ).toMatchObject({ deputy_name: 'Fatma Yılmaz', starts_on: today(), ends_on: today() });
    expect((await deputy.get('/intern').expect(200)).text).toContain(task);

    // the list says the days in German words
    const list = decode((await head.get('/intern/vertretung').expect(200)).text);
    expect(list).toMatch(
      /Fatma Yılmaz vertritt Dr\. Andrea Lange vom \d{1,2}\. (Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember) \d{4} bis /,
    );
  });

  it('refuses an empty "Bis" at its field and keeps every entry', async () => {
    const head = await signIn(ctx.app, 'leitung');
    const before = await count();
    const res = await post(head, { vertretung: 'redaktion2', aktion: 'speichern', von: '1.5.2027', bis: '' });
    expect(res.status).toBe(400);
    expect(res.text).toMatch(/<title>Fehler: /);
    expect(summaryTargets(res.text)).toEqual(['feld-bis']);
    expectLinksLandOnFields(res.text);
    expect(fieldError(res.text, 'bis')).toContain('Geben Sie an, bis wann die Vertretung gilt');
    expect(decode(res.text)).toContain('Gewählt: Kim Nowak (redaktion2)');
    expect(inputValue(res.text, 'vertretung')).toBe('redaktion2');
    expect(inputValue(res.text, 'von')).toBe('2027-05-01');
    expect(await count()).toBe(before);
  });

  it('refuses "Bis" before "Von" and a day that does not exist', async () => {
    const head = await signIn(ctx.app, 'leitung');
    const before = await count();
    const backwards = await post(head, {
      vertretung: 'redaktion2',
      aktion: 'speichern',
      von: '1.5.2027',
      bis: '30.4.2027',
    });
    expect(backwards.status).toBe(400);
    expect(summaryTargets(backwards.text)).toEqual(['feld-bis']);
    expect(fieldError(backwards.text, 'bis')).toBe('Das Ende darf nicht vor dem Beginn liegen.');
    expect(inputValue(backwards.text, 'von')).toBe('2027-05-01');
    expect(inputValue(backwards.text, 'bis')).toBe('2027-04-30');
    const impossible = await post(head, {
      vertretung: 'redaktion2',
      aktion: 'speichern',
      von: '31.2.2027',
      bis: '1.3.2027',
    });
    expect(impossible.status).toBe(400);
    expect(fieldError(impossible.text, 'von')).toContain('Geben Sie ein gültiges Datum an (TT.MM.JJJJ)');
    expect(inputValue(impossible.text, 'von')).toBe('2027-02-31');
    expect(await count()).toBe(before);
  });

  it('refuses oneself as deputy, and offers no "übernehmen" for oneself', async () => {
    const head = await signIn(ctx.app, 'leitung');
    const before = await count();
    const found = await post(head, { vertretungSuche: 'Lange', aktion: 'suchen', von: today(), bis: '' });
    expect(found.status).toBe(200);
    expect(decode(found.text)).toContain('Dr. Andrea Lange (<code>leitung</code>');
    expect(found.text).not.toContain('name="uebernehmen" value="leitung"');
    expect(found.text).toContain('vertretene Person, nicht wählbar');
    for (const fields of [
      { uebernehmen: 'leitung', vertretungSuche: 'Lange' },
      { vertretung: 'leitung', aktion: 'speichern' },
    ] as Array<Record<string, string>>) {
      const res = await post(head, { ...fields, von: '1.5.2027', bis: '2.5.2027' });
      expect(res.status).toBe(400);
      expect(summaryTargets(res.text)).toEqual(['feld-vertretungSuche']);
      expectLinksLandOnFields(res.text);
      expect(fieldError(res.text, 'vertretungSuche')).toBe(
        'Niemand kann sich selbst vertreten. Wählen Sie eine andere Person.',
      );
      expect(res.text).not.toContain('name="vertretung"');
      expect(inputValue(res.text, 'von')).toBe('2027-05-01');
    }
    expect(await count()).toBe(before);
  });

  it('refuses someone not in the directory and keeps what was sent in the search box', async () => {
    const head = await signIn(ctx.app, 'leitung');
    const before = await count();
    for (const fields of [
      { uebernehmen: 'niemand.hier', vertretungSuche: 'niemand.hier' },
      { vertretung: 'niemand.hier', aktion: 'speichern' },
    ] as Array<Record<string, string>>) {
      const res = await post(head, { ...fields, von: '1.5.2027', bis: '2.5.2027' });
      expect(res.status).toBe(400);
      expect(decode(fieldError(res.text, 'vertretungSuche') ?? '')).toBe(
        '„niemand.hier“ steht nicht im Verzeichnis. Suchen Sie die Person mit ihrem Namen und wählen Sie sie mit „übernehmen“ aus.',
      );
      expect(inputValue(res.text, 'vertretungSuche')).toBe('niemand.hier');
      expect(inputValue(res.text, 'bis')).toBe('2027-05-02');
    }
    expect(await count()).toBe(before);
  });

  it('an empty form lists every error in page order; a typed search is answered on the way', async () => {
    const head = await signIn(ctx.app, 'leitung');
    const res = await post(head, { vertretungSuche: 'Nowak', aktion: 'speichern', von: '', bis: '' });
    expect(res.status).toBe(400);
    expect(summaryTargets(res.text)).toEqual(['feld-vertretungSuche', 'feld-von', 'feld-bis']);
    expectLinksLandOnFields(res.text);
    expect(fieldError(res.text, 'vertretungSuche')).toContain('Wählen Sie die Vertretung aus');
    expect(res.text).toContain('name="uebernehmen" value="redaktion2"');
    const empty = await post(head, { vertretungSuche: '', aktion: 'suchen', von: today(), bis: '' });
    expect(empty.status).toBe(400);
    expect(fieldError(empty.text, 'vertretungSuche')).toBe(
      'Geben Sie einen Namen oder eine Benutzerkennung ein, um zu suchen.',
    );
  });
});
