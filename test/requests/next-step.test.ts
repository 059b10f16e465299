import { afterEach, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/app';
import { csrfFrom, signIn, submitForm } from '../helpers/http';
import { seedDemoUnits } from '../../src/demo/org-units';
import { addVersion } from '../../src/guidelines/store';
import { validForm } from './fixtures';

/**
 * The editor's next step is always in sight (issue 17): what to do now on "Meine Aufgaben",
 * the wait for the editors' confirmation with its reminder, one confirmation for all
 * requests until the texts change, the "what happens next" panel, deleting a draft, and the
 * publishing step's wording. Each test on a fresh database: confirmations are per person.
 */
let ctx: TestContext | undefined;
afterEach(async () => {
  await ctx?.close();
  ctx = undefined;
});

async function fresh() {
  ctx = await createTestContext();
  await seedDemoUnits(ctx.database.db);
  return ctx;
}

type Agent = Awaited<ReturnType<typeof signIn>>;
let accounts = 0;

/** Files a complete request of Fachbereich Kultur (editors redaktion and redaktion2) and submits it. */
async function fileRequest(agent: Agent, name = `Antrag ${++accounts}`): Promise<number> {
  const res = await submitForm(agent, '/intern/antraege/neu', '/intern/antraege/neu', {
    ...validForm({ name, url: `https://www.facebook.com/naechster.schritt.${++accounts}` }),
    aktion: 'einreichen',
  });
  expect(res.status, res.text.slice(0, 2000)).toBe(303);
  return Number(/\/intern\/antraege\/(\d+)/.exec(String(res.headers.location))?.[1]);
}

async function decide(agent: Agent, id: number, step: string, outcome: 'approve' | 'return', comment = '') {
  const page = await agent.get(`/intern/antraege/${id}`).expect(200);
  const version = /name="fassung" value="(\d+)"/.exec(page.text)?.[1] ?? '';
  const res = await agent
    .post(`/intern/antraege/${id}/entscheidung`)
    .type('form')
    .send({ _csrf: csrfFrom(page.text), schritt: step, entscheidung: outcome, kommentar: comment, fassung: version });
  expect(res.status, res.text.slice(0, 1000)).toBe(303);
}

async function confirm(agent: Agent, id: number) {
  const page = await agent.get(`/intern/antraege/${id}`).expect(200);
  const res = await agent
    .post(`/intern/antraege/${id}/bestaetigen`)
    .type('form')
    .send({ _csrf: csrfFrom(page.text), bestaetigung: 'ja' });
  expect(res.status).toBe(303);
}

async function post(agent: Agent, pageUrl: string, action: string, fields: Record<string, string> = {}) {
  const page = await agent.get(pageUrl).expect(200);
  return agent
    .post(action)
    .type('form')
    .send({ ...fields, _csrf: csrfFrom(page.text) });
}

const stepState = async (agent: Agent, id: number, step: string) =>
  new RegExp(`data-step="${step}" data-state="([a-z]+)"`).exec((await agent.get(`/intern/antraege/${id}`)).text)?.[1];

/** The text a person reads: tags dropped, entities of the templates decoded, whitespace collapsed. */
const visible = (html: string) =>
  html
    .replace(/<\/?(?:span|a|code|time|strong|em|del|ins|label)\b[^>]*>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#34;|&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');

/** Everyone who decides before the last step: unit head, communications, data protection. */
async function throughToLastStep(c: TestContext, id: number) {
  await decide(await signIn(c.app, 'leitung'), id, 'unit_head', 'approve');
  await decide(await signIn(c.app, 'kommunikation'), id, 'communications', 'approve');
  await decide(await signIn(c.app, 'datenschutz'), id, 'data_protection', 'approve');
}

describe('"Meine Aufgaben" starts with what this person must do now', () => {
  it('shows a returned request first, with who returned it, when, the comment and an "Überarbeiten" button', async () => {
    const c = await fresh();
    const editor = await signIn(c.app, 'redaktion');
    const other = await fileRequest(editor, 'Stadtteilkultur');
    const id = await fileRequest(editor, 'Literaturhaus');
    const comment = 'Bitte die Betreuungszeiten auch für das Wochenende angeben.';
    await decide(await signIn(c.app, 'leitung'), id, 'unit_head', 'return', comment);

    const home = (await editor.get('/intern').expect(200)).text;
    const todo = home.indexOf('id="jetzt-zu-tun"');
    const item = home.indexOf(`data-testid="returned"`);
    const mine = home.indexOf('id="meine-antraege"');
    expect(todo).toBeGreaterThan(0);
    expect(item).toBeGreaterThan(todo);
    expect(mine).toBeGreaterThan(item);
    // nothing but the heading and the welcome come before it
    expect(home.slice(0, todo)).not.toContain(`/intern/antraege/`);
    const returned = home.slice(item, mine);
    expect(returned).toContain(`data-request="${id}"`);
    expect(returned).not.toContain(`data-request="${other}"`);
    expect(visible(returned)).toMatch(
      /Zurückgegeben von Dr\. Andrea Lange \(Leitung der Organisationseinheit\) am \d{1,2}\. (Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember) \d{4}, \d{2}:\d{2} Uhr/,
    );
    expect(returned).toContain(comment);
    expect(returned).toContain(`href="/intern/antraege/${id}/bearbeiten"`);
    expect(returned).toMatch(
      new RegExp(
        `href="/intern/antraege/${id}/bearbeiten" aria-label="Überarbeiten: Literaturhaus"><span class="kern-label">Überarbeiten</span>`,
      ),
    );
    expect(home).not.toContain('Zurzeit gibt es für Sie nichts zu tun.');

    // the button leads to the form with the comment, and resubmitting takes it off the list
    const form = await editor.get(`/intern/antraege/${id}/bearbeiten`).expect(200);
    expect(form.text).toContain(comment);
    const resubmit = await editor
      .post(`/intern/antraege/${id}/bearbeiten`)
      .type('form')
      .send({
        ...validForm({ name: 'Literaturhaus', url: /name="url"[^>]*value="([^"]+)"/.exec(form.text)?.[1] ?? '' }),
        aktion: 'einreichen',
        _csrf: csrfFrom(form.text),
      });
    expect(resubmit.status, resubmit.text.slice(0, 1500)).toBe(303);
    expect((await editor.get('/intern')).text).not.toContain('data-testid="returned"');
  });

  it('says once and plainly when there is nothing to do', async () => {
    const c = await fresh();
    const council = await signIn(c.app, 'personalrat');
    const home = (await council.get('/intern').expect(200)).text;
    expect(home.split('Zurzeit gibt es für Sie nichts zu tun.')).toHaveLength(2);
    expect(home).not.toContain('Zurzeit wartet keine Entscheidung auf Sie');
  });

  it('lists guideline confirmations and presences due for the yearly confirmation before the own requests', async () => {
    const c = await fresh();
    const editor = await signIn(c.app, 'redaktion');
    const id = await fileRequest(editor, 'Kulturzentrum');
    const db = c.database.db;
    const [presence] = await db('presences')
      .insert({
        slug: 'jaehrlich-facebook',
        platform_key: 'facebook',
        account_id: 'jaehrlich.pruefen',
        url: 'https://www.facebook.com/jaehrlich.pruefen',
        name: 'Jährlich prüfen',
        description: 'x',
        org_unit_id: (await db('org_units').where({ code: '41' }).first('id')).id,
        status: 'active',
        hannover_de_url: 'https://www.hannover.de/Kultur-Freizeit',
        review_due: '2026-12-10',
        published_at: c.clock.now,
        created_at: c.clock.now,
        updated_at: c.clock.now,
      })
      .returning('id');
    await db('presence_editors').insert({
      presence_id: presence.id,
      uid: 'redaktion2',
      name: 'Kim Nowak',
      position: 0,
    });

    const home = (await (await signIn(c.app, 'redaktion2')).get('/intern').expect(200)).text;
    const mine = home.indexOf('id="meine-antraege"');
    const confirmations = home.indexOf('data-testid="confirmations"');
    const due = home.indexOf('data-testid="presences-due"');
    expect(confirmations).toBeGreaterThan(0);
    expect(confirmations).toBeLessThan(mine);
    expect(home.slice(confirmations, mine)).toContain(`/intern/antraege/${id}#bestaetigung-titel`);
    expect(due).toBeGreaterThan(0);
    expect(due).toBeLessThan(mine);
    expect(home.slice(due, mine)).toContain(`href="/intern/angebote/${presence.id}"`);
    expect(visible(home.slice(due, mine))).toContain('Jährlich prüfen: Prüftermin 10. Dezember 2026');
  });

  it('writes the task line without a space before a comma', async () => {
    const c = await fresh();
    await fileRequest(await signIn(c.app, 'redaktion'), 'Kommaprobe');
    const page = (await (await signIn(c.app, 'leitung')).get('/intern').expect(200)).text;
    // the task is a row: request, unit, the step it waits at, since when (#15 columns)
    const row = visible(
      /<tr class="kern-table__row" data-request="\d+" data-step="unit_head">[\s\S]*?<\/tr>/.exec(page)?.[0] ?? '',
    );
    expect(row.trim()).toMatch(
      /^Kommaprobe Fachbereich Kultur Leitung der Organisationseinheit \d{2}\.\d{2}\.\d{4}, \d{2}:\d{2} /,
    );
    expect(visible(page)).not.toMatch(/ ,/);
  });
});

describe('after submitting, a panel names the next step and who decides it', () => {
  it('names the unit head first, then the two offices deciding at the same time', async () => {
    const c = await fresh();
    const editor = await signIn(c.app, 'redaktion');
    const id = await fileRequest(editor, 'Panelprobe');
    const submitted = await editor.get(`/intern/antraege/${id}?eingereicht=1`).expect(200);
    expect(submitted.text).toContain('Der Antrag wurde eingereicht.');
    const panel = visible(/data-testid="next-step"[\s\S]*?<\/section>/.exec(submitted.text)?.[0] ?? '');
    expect(panel).toContain('Wie geht es weiter?');
    expect(panel).toContain(
      'Als Nächstes entscheidet die Leitung der Organisationseinheit 41 Fachbereich Kultur (Dr. Andrea Lange).',
    );
    expect(panel).toContain('Sie bekommen eine E-Mail, sobald entschieden ist.');

    await decide(await signIn(c.app, 'leitung'), id, 'unit_head', 'approve');
    const later = visible((await editor.get(`/intern/antraege/${id}`).expect(200)).text);
    expect(later).toContain('Als Nächstes entscheiden gleichzeitig:');
    expect(later).toMatch(
      /Als Nächstes entscheiden gleichzeitig: das Presse- und Informationsamt der Datenschutz Sie bekommen/,
    );

    const en = visible((await editor.get(`/en/intern/antraege/${id}`).expect(200)).text);
    expect(en).toContain('What happens next');
  });
});

describe('one confirmation of the guidelines covers all of a person’s requests until the texts change', () => {
  it('carries a confirmation over to a second request, and asks again for a new version of a text', async () => {
    const c = await fresh();
    const db = c.database.db;
    const editor = await signIn(c.app, 'redaktion');
    const editor2 = await signIn(c.app, 'redaktion2');
    const hde = await signIn(c.app, 'hannoverde');
    const first = await fileRequest(editor, 'Erster Antrag');
    const second = await fileRequest(editor, 'Zweiter Antrag');
    await throughToLastStep(c, first);
    expect(await stepState(hde, first, 'hannoverde')).toBe('waiting');

    // the confirmation form links the texts the portal serves, with version and date
    const page = (await editor2.get(`/intern/antraege/${first}`).expect(200)).text;
    expect(visible(page)).toContain(
      'Social-Media-Leitlinien der Landeshauptstadt Hannover (Fassung 1 vom 13. Mai 2013)',
    );
    expect(page).toContain('href="/intern/leitlinien"');
    expect(page).toContain('href="/intern/dienstvereinbarung"');
    const texts = (await editor2.get('/intern/leitlinien').expect(200)).text;
    expect(visible(texts)).toContain('Fassung 1, gültig ab 13. Mai 2013');
    expect(texts).toContain('Sie haben diese Fassung noch nicht bestätigt.');
    expect(visible((await editor2.get('/intern/dienstvereinbarung').expect(200)).text)).toContain(
      'Dienstvereinbarung zur dienstlichen Nutzung von Social-Media-Angeboten',
    );

    await confirm(editor, first);
    await confirm(editor2, first);
    expect(await stepState(hde, first, 'hannoverde')).toBe('open');
    expect(
      await db('guideline_confirmations').where({ uid: 'redaktion2' }).orderBy('key').select('key', 'version'),
    ).toEqual([
      { key: 'dienstvereinbarung', version: 1 },
      { key: 'leitlinien', version: 1 },
    ]);
    expect((await editor2.get('/intern/leitlinien')).text).toContain('Sie haben diese Fassung am');

    // the second request needs no further confirmation: its last step opens at once
    expect((await editor2.get('/intern')).text).not.toContain('data-testid="confirmations"');
    await throughToLastStep(c, second);
    expect(await stepState(hde, second, 'hannoverde')).toBe('open');
    expect(visible((await editor.get(`/intern/antraege/${second}`)).text)).toContain(
      'Kim Nowak (redaktion2) – hat Leitlinien und Dienstvereinbarung am',
    );

    // a new version of the guidelines: everybody is asked again
    await addVersion(db, {
      key: 'leitlinien',
      valid_from: '2026-12-01',
      title_de: 'Social-Media-Leitlinien der Landeshauptstadt Hannover',
      title_en: 'Social-media guidelines of the City of Hannover',
      body_de: 'Neue Fassung.',
      body_en: 'New version.',
    });
    const third = await fileRequest(editor, 'Dritter Antrag');
    const home = (await editor2.get('/intern')).text;
    expect(home).toContain('data-testid="confirmations"');
    expect(home).toContain(`/intern/antraege/${third}#bestaetigung-titel`);
    expect(visible((await editor2.get('/intern/leitlinien')).text)).toContain('Fassung 2, gültig ab 1. Dezember 2026');
    await throughToLastStep(c, third);
    expect(await stepState(hde, third, 'hannoverde')).toBe('waiting');
    expect(visible((await editor.get(`/intern/antraege/${third}`)).text)).toMatch(
      /wartet auf die Bestätigung durch Robin Schäfer und Kim Nowak seit \d{1,2}\. (Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember) \d{4}, \d{2}:\d{2} Uhr/,
    );
    await confirm(editor, third);
    expect(visible((await editor.get(`/intern/antraege/${third}`)).text)).toMatch(
      /wartet auf die Bestätigung durch Kim Nowak seit/,
    );
    await confirm(editor2, third);
    expect(await stepState(hde, third, 'hannoverde')).toBe('open');
    expect(
      await db('guideline_confirmations')
        .where({ uid: 'redaktion2', key: 'leitlinien' })
        .orderBy('version')
        .pluck('version'),
    ).toEqual([1, 2]);
    // the published first request keeps the confirmation it was published with
    await decide(hde, first, 'hannoverde', 'approve');
    expect(visible((await editor.get(`/intern/antraege/${first}`)).text)).not.toContain('Bestätigung ausstehend');
  });

  it('refuses a confirmation from someone not named as editor, and records nothing', async () => {
    const c = await fresh();
    const id = await fileRequest(await signIn(c.app, 'redaktion'), 'Fremdbestätigung');
    const comms = await signIn(c.app, 'kommunikation');
    expect(
      (await post(comms, `/intern/antraege/${id}`, `/intern/antraege/${id}/bestaetigen`, { bestaetigung: 'ja' }))
        .status,
    ).toBe(403);
    expect(await c.database.db('guideline_confirmations').where({ uid: 'kommunikation' })).toHaveLength(0);
  });
});

describe('a step waiting for the editors says so, with a reminder', () => {
  it('names the editor it waits for; author and unit head may remind, once a day per editor; others are refused', async () => {
    const c = await fresh();
    const db = c.database.db;
    const editor = await signIn(c.app, 'redaktion');
    const id = await fileRequest(editor, 'Erinnerungsprobe');
    await confirm(editor, id);
    await throughToLastStep(c, id);
    const page = (await editor.get(`/intern/antraege/${id}`).expect(200)).text;
    expect(visible(page)).toMatch(
      /Redaktion Hannover\.de wartet auf die Bestätigung durch Kim Nowak seit \d{1,2}\. (Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember) \d{4}, \d{2}:\d{2} Uhr/,
    );
    expect(page).toContain(`action="/intern/antraege/${id}/erinnern"`);
    const reminders = () =>
      db('outbox').where({ request_id: id, template: 'editor_confirmation_needed', recipient_uid: 'redaktion2' });
    const before = (await reminders()).length; // the mail when the step became due
    const toAuthor = (
      await db('outbox').where({ request_id: id, template: 'editor_confirmation_needed', recipient_uid: 'redaktion' })
    ).length;
    // when the step became due, only the editor without a confirmation was asked
    expect(before).toBe(1);
    expect(toAuthor).toBe(0);

    const first = await post(editor, `/intern/antraege/${id}`, `/intern/antraege/${id}/erinnern`);
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe(`/intern/antraege/${id}?erinnert=1`);
    expect((await editor.get(first.headers.location as string)).text).toContain(
      'Die Erinnerung wurde verschickt an: Kim Nowak.',
    );
    expect(await reminders()).toHaveLength(before + 1);
    // Robin Schäfer has confirmed: no reminder for them
    expect(
      await db('outbox').where({ request_id: id, template: 'editor_confirmation_needed', recipient_uid: 'redaktion' }),
    ).toHaveLength(toAuthor);
    expect((await reminders()).at(-1)?.dedupe_key).toBe(`editor-reminder:${id}:redaktion2:2026-12-01`);

    // the unit head on the same day: nothing more is sent
    const head = await signIn(c.app, 'leitung');
    expect((await head.get(`/intern/antraege/${id}`)).text).toContain(`action="/intern/antraege/${id}/erinnern"`);
    const second = await post(head, `/intern/antraege/${id}`, `/intern/antraege/${id}/erinnern`);
    expect(second.headers.location).toBe(`/intern/antraege/${id}?erinnert=0`);
    expect((await head.get(second.headers.location as string)).text).toContain('Heute wurde bereits erinnert.');
    expect(await reminders()).toHaveLength(before + 1);

    // others see no button and are refused
    for (const uid of ['kommunikation', 'redaktion2', 'personalrat']) {
      const agent = await signIn(c.app, uid);
      const view = await agent.get(`/intern/antraege/${id}`).expect(200);
      expect(view.text).not.toContain(`/erinnern"`);
      const res = await agent
        .post(`/intern/antraege/${id}/erinnern`)
        .type('form')
        .send({ _csrf: csrfFrom(view.text) });
      expect(res.status, uid).toBe(403);
    }
    const stranger = await signIn(c.app, 'admin');
    expect(
      (
        await stranger
          .post(`/intern/antraege/${id}/erinnern`)
          .type('form')
          .send({ _csrf: csrfFrom((await stranger.get('/intern')).text) })
      ).status,
    ).toBe(403);
    expect(await reminders()).toHaveLength(before + 1);

    // the next day a reminder may go out again
    // (a day later the sessions of yesterday have reached their maximum lifetime: sign in again)
    c.clock.advance(24 * 3600 * 1000);
    const nextDay = await signIn(c.app, 'redaktion');
    expect((await post(nextDay, `/intern/antraege/${id}`, `/intern/antraege/${id}/erinnern`)).headers.location).toBe(
      `/intern/antraege/${id}?erinnert=1`,
    );
    expect(await reminders()).toHaveLength(before + 2);

    // once everybody confirmed, there is nothing to remind of
    await confirm(await signIn(c.app, 'redaktion2'), id);
    const done = await nextDay.get(`/intern/antraege/${id}`);
    expect(done.text).not.toContain('/erinnern"');
    expect(
      (
        await nextDay
          .post(`/intern/antraege/${id}/erinnern`)
          .type('form')
          .send({ _csrf: csrfFrom(done.text) })
      ).status,
    ).toBe(409);
  });
});

describe('the publishing step’s button says that it publishes', () => {
  it('offers "Freigeben und veröffentlichen" at the Hannover.de step only', async () => {
    const c = await fresh();
    const editor = await signIn(c.app, 'redaktion');
    const id = await fileRequest(editor, 'Veröffentlichungsprobe');
    const head = await signIn(c.app, 'leitung');
    const first = (await head.get(`/intern/antraege/${id}`)).text;
    expect(first).toContain('>Freigeben</label>');
    expect(first).not.toContain('Freigeben und veröffentlichen');
    await confirm(editor, id);
    await confirm(await signIn(c.app, 'redaktion2'), id);
    await throughToLastStep(c, id);
    const last = (await (await signIn(c.app, 'hannoverde')).get(`/intern/antraege/${id}`)).text;
    expect(last).toContain('>Freigeben und veröffentlichen</label>');
    expect(last).not.toContain('>Freigeben</label>');
    const en = (await (await signIn(c.app, 'hannoverde')).get(`/en/intern/antraege/${id}`)).text;
    expect(en).toContain('>Approve and publish</label>');
  });
});

describe('a draft that was never submitted can be deleted', () => {
  it('asks first, deletes it for its author only, and leaves nothing of it but its history', async () => {
    const c = await fresh();
    const db = c.database.db;
    const editor = await signIn(c.app, 'redaktion');
    const saved = await submitForm(editor, '/intern/antraege/neu', '/intern/antraege/neu', {
      aktion: 'entwurf',
      orgUnit: '41',
      platform: 'facebook',
      name: 'Nur ein Entwurf',
    });
    expect(saved.status).toBe(303);
    const id = Number(/antraege\/(\d+)/.exec(String(saved.headers.location))?.[1]);

    const page = (await editor.get(`/intern/antraege/${id}`).expect(200)).text;
    expect(page).toContain(`href="/intern/antraege/${id}/loeschen"`);
    expect(page).not.toContain('Antrag zurückziehen');
    expect(page).not.toContain(`/zurueckziehen"`);

    // the confirmation page, in the author's words
    const confirmPage = await editor.get(`/intern/antraege/${id}/loeschen`).expect(200);
    expect(visible(confirmPage.text)).toContain('Der Entwurf „Nur ein Entwurf“ wird mit allen Angaben gelöscht.');
    expect(confirmPage.text).toContain(`action="/intern/antraege/${id}/loeschen"`);

    // nobody else, not even a named editor or an administrator: a draft is its author's alone,
    // so everybody else gets the answer of a missing id
    for (const uid of ['redaktion2', 'admin', 'leitung']) {
      const agent = await signIn(c.app, uid);
      expect((await agent.get(`/intern/antraege/${id}/loeschen`)).status, uid).toBe(404);
      const res = await agent
        .post(`/intern/antraege/${id}/loeschen`)
        .type('form')
        .send({ _csrf: csrfFrom((await agent.get('/intern')).text) });
      expect(res.status, uid).toBe(404);
    }
    expect(await db('requests').where({ id })).toHaveLength(1);

    const res = await editor
      .post(`/intern/antraege/${id}/loeschen`)
      .type('form')
      .send({ _csrf: csrfFrom(confirmPage.text) });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/intern?geloescht=1');
    expect((await editor.get('/intern?geloescht=1')).text).toContain('Der Entwurf wurde gelöscht.');
    expect(await db('requests').where({ id })).toHaveLength(0);
    expect(await db('request_editors').where({ request_id: id })).toHaveLength(0);
    expect((await db('history').where({ request_id: id }).orderBy('id').pluck('action')).at(-1)).toBe(
      'request.draft_deleted',
    );
    await editor.get(`/intern/antraege/${id}`).expect(404);
    expect(
      (
        await editor
          .post(`/intern/antraege/${id}/loeschen`)
          .type('form')
          .send({ _csrf: csrfFrom(confirmPage.text) })
      ).status,
    ).toBe(404);
  });

  it('refuses to delete a submitted or returned request, and offers no deletion there', async () => {
    const c = await fresh();
    const db = c.database.db;
    const editor = await signIn(c.app, 'redaktion');
    const submitted = await fileRequest(editor, 'Eingereicht');
    const returned = await fileRequest(editor, 'Zurückgegeben');
    await decide(await signIn(c.app, 'leitung'), returned, 'unit_head', 'return', 'Bitte ergänzen.');
    for (const id of [submitted, returned]) {
      const page = await editor.get(`/intern/antraege/${id}`).expect(200);
      expect(page.text).not.toContain('/loeschen"');
      expect(page.text).toContain('Antrag zurückziehen');
      expect((await editor.get(`/intern/antraege/${id}/loeschen`)).status).toBe(409);
      expect(
        (
          await editor
            .post(`/intern/antraege/${id}/loeschen`)
            .type('form')
            .send({ _csrf: csrfFrom(page.text) })
        ).status,
      ).toBe(409);
      expect(await db('requests').where({ id })).toHaveLength(1);
    }
  });
});
