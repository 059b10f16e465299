import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { createTestContext, type TestContext } from '../helpers/app';
import { confirmOnPage, csrfFrom, signIn, submitForm } from '../helpers/http';
import { seedDemoUnits } from '../../src/demo/org-units';
import { validForm } from './fixtures';
import { deliverEverything } from '../helpers/outbox';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
  await seedDemoUnits(ctx.database.db);
});
afterAll(() => ctx.close());

type Agent = Awaited<ReturnType<typeof signIn>>;

async function fileRequest(agent: Agent, overrides: Record<string, string> = {}): Promise<number> {
  const res = await submitForm(agent, '/intern/antraege/neu', '/intern/antraege/neu', {
    ...validForm(overrides),
    aktion: 'einreichen',
  });
  expect(res.status, res.text.slice(0, 2000)).toBe(303);
  const id = Number(/\/intern\/antraege\/(\d+)/.exec(res.headers.location as string)?.[1]);
  expect(id).toBeGreaterThan(0);
  return id;
}

async function decide(agent: Agent, id: number, step: string, outcome: 'approve' | 'return' | 'reject', comment = '') {
  const page = await agent.get(`/intern/antraege/${id}`).expect(200);
  const version = /name="fassung" value="(\d+)"/.exec(page.text)?.[1] ?? '';
  return agent
    .post(`/intern/antraege/${id}/entscheidung`)
    .type('form')
    .send({ _csrf: csrfFrom(page.text), schritt: step, entscheidung: outcome, kommentar: comment, fassung: version });
}

async function confirm(agent: Agent, id: number) {
  const page = await agent.get(`/intern/antraege/${id}`).expect(200);
  const res = await agent
    .post(`/intern/antraege/${id}/bestaetigen`)
    .type('form')
    .send({ _csrf: csrfFrom(page.text), bestaetigung: 'ja' });
  expect(res.status).toBe(303);
}

const stepState = async (agent: Agent, id: number, step: string) =>
  new RegExp(`data-step="${step}" data-state="([a-z]+)"`).exec((await agent.get(`/intern/antraege/${id}`)).text)?.[1];

describe('from an editor’s draft to a published presence', () => {
  let editor: Agent;
  let editor2: Agent;
  let head: Agent;
  let comms: Agent;
  let dp: Agent;
  let hde: Agent;
  let council: Agent;

  beforeAll(async () => {
    editor = await signIn(ctx.app, 'redaktion');
    editor2 = await signIn(ctx.app, 'redaktion2');
    head = await signIn(ctx.app, 'leitung');
    comms = await signIn(ctx.app, 'kommunikation');
    dp = await signIn(ctx.app, 'datenschutz');
    hde = await signIn(ctx.app, 'hannoverde');
    council = await signIn(ctx.app, 'personalrat');
  });

  it('walks every step of the directive and publishes the presence', async () => {
    const id = await fileRequest(editor);
    const db = ctx.database.db;
    expect((await db('requests').where({ id }).first()).status).toBe('in_review');

    // step 1: the head of Fachbereich Kultur sees the task and approves
    const tasks = await head.get('/intern').expect(200);
    expect(tasks.text).toContain(`data-request="${id}" data-step="unit_head"`);
    expect((await decide(head, id, 'unit_head', 'approve')).status).toBe(303);

    // steps 2a and 2b run in parallel
    expect(await stepState(comms, id, 'communications')).toBe('open');
    expect(await stepState(comms, id, 'data_protection')).toBe('open');
    expect((await decide(dp, id, 'data_protection', 'approve', 'Datenschutzhinweis vorhanden')).status).toBe(303);
    expect(await stepState(comms, id, 'hannoverde')).toBe('waiting');
    expect((await decide(comms, id, 'communications', 'approve')).status).toBe(303);

    // step 3 waits until both editors confirmed the guidelines
    expect(await stepState(hde, id, 'hannoverde')).toBe('waiting');
    expect((await hde.get('/intern')).text).not.toContain(`data-request="${id}" data-step="hannoverde"`);
    expect((await editor2.get('/intern')).text).toContain('data-testid="confirmations"');
    await confirm(editor, id);
    await confirm(editor2, id);
    expect(await stepState(hde, id, 'hannoverde')).toBe('open');

    const published = await decide(hde, id, 'hannoverde', 'approve');
    expect(published.status).toBe(303);
    const row = await db('requests').where({ id }).first();
    expect(row.status).toBe('published');
    const presence = await db('presences').where({ id: row.presence_id }).first();
    expect(presence).toMatchObject({
      status: 'active',
      platform_key: 'facebook',
      account_id: 'kulturbuero.hannover',
      name: 'Kulturbüro Hannover',
    });
    expect(presence.published_at).toBeInstanceOf(Date);
    expect(
      (await db('presence_editors').where({ presence_id: presence.id }).orderBy('position')).map((e) => e.uid),
    ).toEqual(['redaktion', 'redaktion2']);

    // every step and every message recorded
    const history = await db('history').where({ request_id: id }).orderBy('id');
    const actions = history.map((h) => h.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'request.created',
        'workflow.submitted',
        'workflow.approved',
        'request.editor_confirmed',
        'workflow.published',
      ]),
    );
    expect(actions.filter((a) => a === 'workflow.approved')).toHaveLength(4);
    const decisions = await db('decisions').where({ request_id: id }).orderBy('id');
    expect(decisions.map((d) => [d.step_id, d.actor_uid])).toEqual([
      ['unit_head', 'leitung'],
      ['data_protection', 'datenschutz'],
      ['communications', 'kommunikation'],
      ['hannoverde', 'hannoverde'],
    ]);
    // mails to a role go to the members of its directory group when they are delivered
    await deliverEverything(db, ctx.services.directory);
    const mails = await db('outbox').where({ request_id: id }).whereNull('recipient_role');
    const templates = mails.map((m) => `${m.template}:${m.recipient_uid}`);
    expect(templates).toEqual(
      expect.arrayContaining([
        'step_waiting:leitung',
        'step_waiting:kommunikation',
        'step_waiting:datenschutz',
        'step_waiting:hannoverde',
        'staff_council_notice:personalrat',
        'published:redaktion',
        'published:redaktion2',
      ]),
    );

    // the staff council may read the request but decides nothing
    const councilView = await council.get(`/intern/antraege/${id}`).expect(200);
    expect(councilView.text).not.toContain('name="entscheidung"');
  });

  it('returns a request for changes and takes it back to the step that returned it', async () => {
    const id = await fileRequest(editor, { url: 'https://facebook.com/museen.hannover', name: 'Museen Hannover' });
    await decide(head, id, 'unit_head', 'approve');
    await decide(comms, id, 'communications', 'approve');
    const noComment = await decide(dp, id, 'data_protection', 'return');
    expect(noComment.status).toBe(400);
    expect(noComment.text).toContain('Geben Sie eine Begründung an.');
    const returned = await decide(dp, id, 'data_protection', 'return', 'Bitte Datenschutzerklärung ergänzen.');
    expect(returned.status).toBe(303);
    expect((await ctx.database.db('requests').where({ id }).first()).status).toBe('returned');

    // the author sees the comment, fixes the form and resubmits
    const form = await editor.get(`/intern/antraege/${id}/bearbeiten`).expect(200);
    expect(form.text).toContain('Bitte Datenschutzerklärung ergänzen.');
    const res = await editor
      .post(`/intern/antraege/${id}/bearbeiten`)
      .type('form')
      .send({
        ...validForm({
          url: 'https://facebook.com/museen.hannover',
          name: 'Museen Hannover',
          privacyUrl: 'https://www.hannover.de/Datenschutz-Museen',
        }),
        aktion: 'einreichen',
        _csrf: csrfFrom(form.text),
      });
    expect(res.status).toBe(303);
    expect(await stepState(dp, id, 'data_protection')).toBe('open');
    expect(await stepState(dp, id, 'unit_head')).toBe('approved');
    expect(await stepState(dp, id, 'communications')).toBe('approved');
    // the decider sees what changed since the version they saw
    const page = await dp.get(`/intern/antraege/${id}`).expect(200);
    expect(page.text).toContain('Fassung 1 → 2');
    expect(page.text).toContain('https://www.hannover.de/Datenschutz-Museen');
  });

  it('rejects with a reason, and a rejected request accepts nothing more', async () => {
    const id = await fileRequest(editor, { url: 'https://facebook.com/kultur.abgelehnt', name: 'Abgelehnt' });
    expect((await decide(head, id, 'unit_head', 'reject')).status).toBe(400);
    // rejecting is final: the decision form leads to a confirmation page; only its button rejects
    const confirmation = await decide(head, id, 'unit_head', 'reject', 'Kein Bedarf erkennbar.');
    expect(confirmation.status).toBe(200);
    expect((await ctx.database.db('requests').where({ id }).first()).status).toBe('in_review');
    expect((await confirmOnPage(head, confirmation)).status).toBe(303);
    expect((await ctx.database.db('requests').where({ id }).first()).status).toBe('rejected');
    const again = await decide(comms, id, 'communications', 'approve');
    expect(again.status).toBe(409);
    expect(again.text).toContain('abgeschlossen');
  });

  it('lets the author withdraw until publication', async () => {
    const id = await fileRequest(editor, { url: 'https://facebook.com/kultur.zurueck', name: 'Zurückgezogen' });
    const page = await editor.get(`/intern/antraege/${id}`).expect(200);
    const res = await editor
      .post(`/intern/antraege/${id}/zurueckziehen`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), grund: 'Doch nicht nötig' });
    expect(res.status).toBe(303);
    expect((await ctx.database.db('requests').where({ id }).first()).status).toBe('withdrawn');
  });

  it('lets a deputy decide on behalf of the unit head during a substitution', async () => {
    const id = await fileRequest(editor, { url: 'https://facebook.com/kultur.vertretung', name: 'Vertretung' });
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(ctx.clock.now);
    const sub = await submitForm(head, '/intern/vertretung', '/intern/vertretung', {
      vertretung: 'admin',
      von: today,
      bis: today,
    });
    expect(sub.status).toBe(303);
    const admin = await signIn(ctx.app, 'admin');
    const tasks = await admin.get('/intern').expect(200);
    expect(tasks.text).toContain(`data-request="${id}" data-step="unit_head"`);
    expect((await decide(admin, id, 'unit_head', 'approve')).status).toBe(303);
    const decision = await ctx.database.db('decisions').where({ request_id: id, step_id: 'unit_head' }).first();
    expect(decision).toMatchObject({ actor_uid: 'admin', on_behalf_of: 'leitung' });
    const page = await editor.get(`/intern/antraege/${id}`).expect(200);
    expect(page.text).toContain('in Vertretung für Dr. Andrea Lange');
  });

  it('lets a deputy without any central role see and decide the request of their principal', async () => {
    const id = await fileRequest(editor, {
      url: 'https://facebook.com/kultur.vertretung2',
      name: 'Vertretung 2',
      editor2: 'datenschutz',
    });
    // before the substitution Kim Nowak may not even read it: to them it does not exist
    await editor2.get(`/intern/antraege/${id}`).expect(404);
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(ctx.clock.now);
    expect(
      (
        await submitForm(head, '/intern/vertretung', '/intern/vertretung', {
          vertretung: 'redaktion2',
          von: today,
          bis: today,
        })
      ).status,
    ).toBe(303);
    const page = await editor2.get(`/intern/antraege/${id}`).expect(200);
    expect(page.text).toContain('Sie entscheiden in Vertretung für Dr. Andrea Lange.');
    expect((await decide(editor2, id, 'unit_head', 'approve')).status).toBe(303);
    expect(await ctx.database.db('decisions').where({ request_id: id }).first()).toMatchObject({
      actor_uid: 'redaktion2',
      on_behalf_of: 'leitung',
    });
  });

  it('refuses a decision from someone who may not decide, and shows them no decision form', async () => {
    const id = await fileRequest(editor, { url: 'https://facebook.com/kultur.verboten', name: 'Verboten' });
    const page = await council.get(`/intern/antraege/${id}`).expect(200);
    expect(page.text).not.toContain('name="entscheidung"');
    const res = await council
      .post(`/intern/antraege/${id}/entscheidung`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), schritt: 'unit_head', entscheidung: 'approve', fassung: '1' });
    expect(res.status).toBe(403);
    // the author may not decide their own request either
    const own = await editor.get(`/intern/antraege/${id}`).expect(200);
    expect(own.text).not.toContain('name="entscheidung"');
    // an employee of another unit may not even read it
    const stranger = await signIn(ctx.app, 'hannoverde');
    await stranger.get(`/intern/antraege/${id}`).expect(200); // hannoverde is a central office and may read
    expect((await ctx.database.db('decisions').where({ request_id: id })).length).toBe(0);
  });
});

describe('the request form', () => {
  it('comes back with every entry kept and every error named when submitted incomplete', async () => {
    const editor = await signIn(ctx.app, 'redaktion');
    const res = await submitForm(editor, '/intern/antraege/neu', '/intern/antraege/neu', {
      ...validForm({
        name: '',
        url: 'https://facebook.co/falsch',
        hannoverDeUrl: 'https://hannover.example.org/',
        editor2: '',
      }),
      commitLinkBack: '',
      aktion: 'einreichen',
    });
    expect(res.status).toBe(400);
    expect(res.text).toContain('class="kern-alert kern-alert--danger error-summary"');
    for (const message of [
      'Geben Sie den Namen des Auftritts an.',
      'Das ist keine Adresse von Facebook.',
      'Die Seite muss auf hannover.de liegen',
      'Bestätigen Sie, dass der Auftritt auf Hannover.de verlinkt.',
      'Benennen Sie mindestens zwei Redakteur*innen.',
    ]) {
      expect(res.text).toContain(message);
    }
    // "at least two editors" sits at the first empty slot: the deputy (editor 1 is filled in)
    for (const field of ['name', 'url', 'hannoverDeUrl', 'commitLinkBack', 'editor2'])
      expect(res.text).toContain(`href="#feld-${field}"`);
    expect(res.text).toMatch(/id="feld-url"[^>]*value="https:\/\/facebook.co\/falsch"/);
    expect(res.text).toContain('Viele Kulturschaffende erreichen wir nur noch über Facebook.');
    expect(res.text).toMatch(/id="feld-commitHannoverDeOnly"[^>]*checked/);
    // the draft was kept in the database too
    const draft = await ctx.database
      .db('requests')
      .where({ author_uid: 'redaktion', status: 'draft' })
      .orderBy('id', 'desc')
      .first();
    expect(draft.data.necessity).toBe('Viele Kulturschaffende erreichen wir nur noch über Facebook.');
  });

  it('saves an empty draft at any point', async () => {
    const editor = await signIn(ctx.app, 'redaktion');
    const res = await submitForm(editor, '/intern/antraege/neu', '/intern/antraege/neu', {
      name: 'Nur ein Anfang',
      aktion: 'entwurf',
    });
    expect(res.status).toBe(303);
    const page = await editor.get(String(res.headers.location)).expect(200);
    expect(page.text).toContain('Der Entwurf wurde gespeichert.');
    expect(page.text).toContain('Entwurf');
  });

  it('finds editors in the directory without JavaScript and adds the one picked', async () => {
    const editor = await signIn(ctx.app, 'redaktion');
    const search = await submitForm(editor, '/intern/antraege/neu', '/intern/antraege/neu', {
      ...validForm({ editor2: '' }),
      editorSuche: 'Nowak',
      aktion: 'suchen',
    });
    expect(search.status).toBe(200);
    expect(search.text).toContain('Kim Nowak');
    expect(search.text).toContain('name="uebernehmen" value="redaktion2"');
    const take = await editor
      .post('/intern/antraege/neu')
      .type('form')
      .send({ ...validForm({ editor2: '' }), uebernehmen: 'redaktion2', _csrf: csrfFrom(search.text) });
    expect(take.status).toBe(200);
    expect(take.text).toMatch(/id="feld-editor2"[^>]*value="redaktion2"/);
  });

  it('refuses a URL that is already registered and one with a look-alike host', async () => {
    const editor = await signIn(ctx.app, 'redaktion');
    const dup = await submitForm(editor, '/intern/antraege/neu', '/intern/antraege/neu', {
      ...validForm({ url: 'https://m.facebook.com/Hannover.de/' }),
      aktion: 'einreichen',
    });
    expect(dup.status).toBe(400);
    expect(dup.text).toContain('Dieses Konto ist bereits im Register eingetragen');
    const look = await submitForm(editor, '/intern/antraege/neu', '/intern/antraege/neu', {
      ...validForm({ url: 'https://facebook.com.example.org/kultur' }),
      aktion: 'einreichen',
    });
    expect(look.text).toContain('Das ist keine Adresse von Facebook.');
  });

  it('answers unknown or malformed request ids with a friendly 404', async () => {
    const editor = await signIn(ctx.app, 'redaktion');
    await editor.get('/intern/antraege/999999').expect(404);
    const bad = await editor.get('/intern/antraege/abc').expect(404);
    expect(bad.text).toContain('Seite nicht gefunden');
    await editor.get('/intern/antraege/1%27%20or%201=1').expect(404);
  });

  it('keeps a draft private to its author', async () => {
    const editor = await signIn(ctx.app, 'redaktion');
    const res = await submitForm(editor, '/intern/antraege/neu', '/intern/antraege/neu', {
      name: 'Geheim',
      aktion: 'entwurf',
    });
    const url = String(res.headers.location).split('?')[0] as string;
    const comms = await signIn(ctx.app, 'kommunikation');
    // a draft someone may not see is answered like a missing one
    await comms.get(url).expect(404);
    await request(ctx.app).get(url).expect(302);
  });
});

describe('who may use a request form', () => {
  it('keeps every button of the edit form, the directory search included, to the author', async () => {
    const author = await signIn(ctx.app, 'redaktion');
    const draft = await submitForm(author, '/intern/antraege/neu', '/intern/antraege/neu', {
      name: 'Nur für mich',
      aktion: 'entwurf',
    });
    const id = Number(/antraege\/(\d+)/.exec(String(draft.headers.location))?.[1]);
    const other = await signIn(ctx.app, 'kommunikation');
    const page = await other.get('/intern').expect(200);
    for (const fields of [
      { aktion: 'suchen', editorSuche: 'Nowak' },
      { uebernehmen: 'redaktion2' },
      { aktion: 'entwurf', name: 'Fremd' },
    ]) {
      const res = await other
        .post(`/intern/antraege/${id}/bearbeiten`)
        .type('form')
        .send({ ...fields, _csrf: csrfFrom(page.text) });
      // somebody else's draft is invisible: the same 404 as a missing id
      expect(res.status).toBe(404);
      expect(res.text).not.toContain('Nur für mich');
    }
    await other
      .post('/intern/antraege/999999/bearbeiten')
      .type('form')
      .send({ aktion: 'suchen', _csrf: csrfFrom(page.text) })
      .expect(404);
  });

  it('refuses a guideline confirmation from someone who is not named as editor with 403', async () => {
    const author = await signIn(ctx.app, 'redaktion');
    const res = await submitForm(author, '/intern/antraege/neu', '/intern/antraege/neu', {
      ...validForm({ url: 'https://facebook.com/kultur.bestaetigung', name: 'Bestätigung 403' }),
      aktion: 'einreichen',
    });
    const id = Number(/antraege\/(\d+)/.exec(String(res.headers.location))?.[1]);
    const comms = await signIn(ctx.app, 'kommunikation');
    const page = await comms.get(`/intern/antraege/${id}`).expect(200);
    await comms
      .post(`/intern/antraege/${id}/bestaetigen`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), bestaetigung: 'ja' })
      .expect(403);
    expect(
      await ctx.database.db('request_editors').where({ request_id: id }).whereNotNull('confirmed_at'),
    ).toHaveLength(0);
  });
});
