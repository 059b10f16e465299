import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/app';
import { confirmOnPage, csrfFrom, signIn } from '../helpers/http';
import { deliverEverything } from '../helpers/outbox';
import { seedDemo } from '../../src/demo/seed';
import { runReassessmentDeadlines } from '../../src/reassessments/job';
import { reminderDay } from '../../src/reassessments/service';

/**
 * Platform re-assessment (issue 13) the way people meet it: over HTTP with the demo accounts,
 * CSRF on, on the real app and this run's backend. Data protection opens a re-assessment of
 * Facebook and closes the platform to new requests meanwhile; one editor confirms, another
 * closes, communications close a third presence on its own page; the job reminds once and
 * reports the unanswered presences to communications and data protection once.
 */

let ctx: TestContext;
type Agent = Awaited<ReturnType<typeof signIn>>;
const agents = new Map<string, { agent: Agent; at: number }>();
/** The person's signed-in agent; signed in again when the test moved the clock (sessions end). */
async function as(uid: string): Promise<Agent> {
  const known = agents.get(uid);
  if (known && known.at === ctx.clock.now.getTime()) return known.agent;
  const agent = await signIn(ctx.app, uid);
  agents.set(uid, { agent, at: ctx.clock.now.getTime() });
  return agent;
}
let facebookActive = 0;
const BASE_URL = 'http://portal.test';
const OPENED = new Date('2026-12-01T09:00:00Z');
const DEADLINE = '2026-12-15';
const ids: Record<string, number> = {};
let reassessmentId = 0;

const db = () => ctx.database.db;

async function post(agent: Agent, pageUrl: string, action: string, fields: Record<string, string>) {
  const page = await agent.get(pageUrl);
  expect(page.status, `${pageUrl}: ${page.text.slice(0, 300)}`).toBe(200);
  return agent
    .post(action)
    .type('form')
    .send({ ...fields, _csrf: csrfFrom(page.text) });
}

const task = (presenceId: number) => `/intern/neubewertungen/${reassessmentId}/angebote/${presenceId}`;

beforeAll(async () => {
  ctx = await createTestContext();
  ctx.clock.set(OPENED);
  await seedDemo(db(), ctx.services.directory, () => ctx.clock.now, BASE_URL);
  for (const name of [
    'Museum August Kestner',
    'Historisches Museum Hannover',
    'Sprengel Museum Hannover',
    'Feuerwehr Hannover',
  ]) {
    ids[name] = (await db()('presences').where({ name }).first('id')).id;
  }
  // the museums of unit 41.2 are edited by the two demo editors; Sprengel (41.4) by redaktion
  // alone; the fire brigade (37, a unit without a head in the demo) by redaktion2
  await db()('presence_editors').insert([
    { presence_id: ids['Museum August Kestner'], uid: 'redaktion', name: 'Robin Schäfer', position: 0 },
    { presence_id: ids['Museum August Kestner'], uid: 'redaktion2', name: 'Kim Nowak', position: 1 },
    { presence_id: ids['Historisches Museum Hannover'], uid: 'redaktion', name: 'Robin Schäfer', position: 0 },
    { presence_id: ids['Sprengel Museum Hannover'], uid: 'redaktion', name: 'Robin Schäfer', position: 0 },
    { presence_id: ids['Feuerwehr Hannover'], uid: 'redaktion2', name: 'Kim Nowak', position: 0 },
  ]);
  // signing in remembers each person (name, address) as the portal knows them
  for (const uid of ['redaktion', 'redaktion2', 'leitung', 'kommunikation', 'datenschutz', 'personalrat'])
    await as(uid);
});
afterAll(() => ctx?.close());

describe('platform re-assessment over HTTP', () => {
  it('only the central offices see the re-assessments; only communications and data protection open one', async () => {
    expect((await (await as('redaktion')).get('/intern/neubewertungen')).status).toBe(403);
    expect((await (await as('leitung')).get('/intern/neubewertungen')).status).toBe(403);
    const council = await (await as('personalrat')).get('/intern/neubewertungen');
    expect(council.status).toBe(200);
    expect(council.text).not.toContain('name="grund"');
    const refused = await post(await as('personalrat'), '/intern/neubewertungen', '/intern/neubewertungen', {
      plattform: 'facebook',
      grund: 'Versuch',
      frist: DEADLINE,
    });
    expect(refused.status).toBe(403);
    const form = await (await as('kommunikation')).get('/intern/neubewertungen');
    expect(form.status).toBe(200);
    expect(form.text).toContain('name="grund"');
    expect(await db()('reassessments')).toHaveLength(0);
  });

  it('a wrong open form is refused with every error named and every entry kept', async () => {
    const res = await post(await as('datenschutz'), '/intern/neubewertungen', '/intern/neubewertungen', {
      plattform: '',
      grund: '   ',
      frist: '31.02.2027',
      sperren: 'ja',
    });
    expect(res.status).toBe(400);
    for (const field of ['plattform', 'grund', 'frist']) expect(res.text).toContain(`href="#feld-${field}"`);
    expect(res.text).toContain('value="31.02.2027"');
    expect(res.text).toMatch(/id="feld-sperren"[^>]*checked/);
    const past = await post(await as('datenschutz'), '/intern/neubewertungen', '/intern/neubewertungen', {
      plattform: 'facebook',
      grund: 'Urteil des <b>EuGH</b>',
      frist: '2026-12-01',
    });
    expect(past.status).toBe(400);
    expect(past.text).toContain('Die Frist muss nach dem heutigen Tag liegen.');
    expect(past.text).toContain('Urteil des &lt;b&gt;EuGH&lt;/b&gt;');
    expect(await db()('reassessments')).toHaveLength(0);
  });

  it('data protection opens a re-assessment: a task for every active presence, mails, platform closed to new requests', async () => {
    const active: number[] = await db()('presences').where({ platform_key: 'facebook', status: 'active' }).pluck('id');
    expect(active.length).toBeGreaterThanOrEqual(6);
    facebookActive = active.length;
    const ask = await post(await as('datenschutz'), '/intern/neubewertungen', '/intern/neubewertungen', {
      plattform: 'facebook',
      grund: 'Urteil des BVerwG zu Facebook-Fanpages: gemeinsame Verantwortung neu zu bewerten.',
      frist: '15.12.2026',
      sperren: 'ja',
    });
    // it reaches far: first a confirmation page that says what will happen; nothing happened yet
    expect(ask.status).toBe(200);
    expect(ask.text).toContain(`Für ${active.length} aktive Auftritte entsteht je eine Aufgabe`);
    expect(ask.text).toContain('data-testid="confirm-warning"');
    expect(await db()('reassessments')).toHaveLength(0);
    expect((await db()('platforms').where({ key: 'facebook' }).first()).enabled).toBe(true);
    const res = await confirmOnPage(await as('datenschutz'), ask);
    expect(res.status, res.text.slice(0, 500)).toBe(303);
    reassessmentId = Number(/neubewertungen\/(\d+)/.exec(res.headers.location as string)?.[1]);
    expect(reassessmentId).toBeGreaterThan(0);

    const tasks = await db()('reassessment_tasks').where({ reassessment_id: reassessmentId });
    expect(tasks.map((t) => t.presence_id).sort()).toEqual([...active].sort());
    expect(tasks.every((t) => t.state === 'open')).toBe(true);
    expect((await db()('platforms').where({ key: 'facebook' }).first()).enabled).toBe(false);
    // closed to new requests: the request form no longer offers Facebook
    const newRequest = await (await as('redaktion')).get('/intern/antraege/neu');
    expect(newRequest.text).not.toMatch(/<option value="facebook"/);

    // the museum's task mail goes to both editors and the head of Fachbereich Kultur, once each
    const mails = await db()('outbox')
      .where({ template: 'reassessment_task', presence_id: ids['Museum August Kestner'] })
      .orderBy('recipient_uid');
    expect(mails.map((m) => m.recipient_uid)).toEqual(['leitung', 'redaktion', 'redaktion2']);
    expect(mails[0].body).toContain('bis zum 15. Dezember 2026');
    expect(mails[0].body).toContain('Urteil des BVerwG');
    expect(mails[0].body).toContain(`${BASE_URL}/intern/neubewertungen/${reassessmentId}/angebote/`);

    const history = await db()('history').where({ entity_type: 'reassessment', entity_id: String(reassessmentId) });
    expect(history.filter((h) => h.action === 'reassessment.opened')).toHaveLength(1);
    expect(history.filter((h) => h.action === 'reassessment.task_opened')).toHaveLength(active.length);
    const disabled = await db()('history').where({ action: 'platform.disabled', entity_id: 'facebook' });
    expect(disabled).toHaveLength(1);
    expect(disabled[0].actor_uid).toBe('datenschutz');

    // the council report lists it among the open re-assessments
    const report = await (await as('kommunikation')).get('/intern/auswertung/bericht?jahr=2026');
    expect(report.status).toBe(200);
    const section = /data-testid="reassessments"[\s\S]*?<\/section>/.exec(report.text)![0];
    expect(section).toContain('Urteil des BVerwG');
    expect(section).toContain(`0 bestätigt, 0 geschlossen, ${active.length} offen`);
    const page = await (await as('datenschutz')).get(res.headers.location as string);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Die Neubewertung ist eröffnet');
    expect(page.text).toContain(`data-count="open"><strong>${active.length}</strong>`);
  });

  it('a second re-assessment of the same platform is refused while one runs', async () => {
    const res = await post(await as('kommunikation'), '/intern/neubewertungen', '/intern/neubewertungen', {
      plattform: 'facebook',
      grund: 'Noch einmal',
      frist: '2027-01-10',
    });
    expect(res.status).toBe(400);
    expect(res.text).toContain('Für diese Plattform läuft bereits eine Neubewertung.');
    expect(await db()('reassessments')).toHaveLength(1);
  });

  it('the tasks appear in "Meine Aufgaben" and on the presence page of the editors and the unit head', async () => {
    const museum = ids['Museum August Kestner']!;
    const editorHome = await (await as('redaktion2')).get('/intern');
    expect(editorHome.text).toContain(`href="${task(museum)}"`);
    expect(editorHome.text).not.toContain(`href="${task(ids['Historisches Museum Hannover']!)}"`);
    const headHome = await (await as('leitung')).get('/intern');
    for (const name of ['Museum August Kestner', 'Historisches Museum Hannover', 'Sprengel Museum Hannover'])
      expect(headHome.text).toContain(`href="${task(ids[name]!)}"`);
    const presencePage = await (await as('redaktion2')).get(`/intern/angebote/${museum}`);
    expect(presencePage.text).toContain('data-testid="reassessment-note"');
    expect(presencePage.text).toContain(`href="${task(museum)}"`);
    // communications see the note on the presence, but the task is not theirs
    const central = await (await as('kommunikation')).get(`/intern/angebote/${museum}`);
    expect(central.text).toContain('data-testid="reassessment-note"');
    expect(central.text).not.toContain(`href="${task(museum)}"`);
    expect((await (await as('kommunikation')).get(task(museum))).status).toBe(403);
  });

  it('an editor confirms the continued need and the updated privacy notice; both boxes are needed', async () => {
    const museum = ids['Museum August Kestner']!;
    const missing = await post(await as('redaktion2'), task(museum), task(museum), {
      bedarf: 'ja',
      kommentar: 'Datenschutzhinweis am 1.12. ergänzt',
    });
    expect(missing.status).toBe(400);
    expect(missing.text).toContain('href="#feld-datenschutz"');
    expect(missing.text).not.toContain('href="#feld-bedarf"');
    expect(missing.text).toContain('Datenschutzhinweis am 1.12. ergänzt');

    ctx.clock.set(new Date('2026-12-03T10:00:00Z'));
    const res = await post(await as('redaktion2'), task(museum), task(museum), {
      bedarf: 'ja',
      datenschutz: 'ja',
      kommentar: 'Datenschutzhinweis am 1.12. ergänzt',
    });
    expect(res.status).toBe(303);
    const row = await db()('reassessment_tasks')
      .where({ reassessment_id: reassessmentId, presence_id: museum })
      .first();
    expect(row).toMatchObject({ state: 'confirmed', answered_by_uid: 'redaktion2' });
    expect(row.comment).toBe('Datenschutzhinweis am 1.12. ergänzt');
    const confirmed = await db()('history').where({ presence_id: museum, action: 'reassessment.confirmed' });
    expect(confirmed).toHaveLength(1);
    // the presence's timeline shows it
    const presencePage = await (await as('leitung')).get(`/intern/angebote/${museum}`);
    expect(presencePage.text).toContain('data-action="reassessment.confirmed"');
    expect(presencePage.text).not.toContain('data-testid="reassessment-note"');
    // answered once: a second answer is refused
    const again = await (
      await as('redaktion')
    )
      .post(task(museum))
      .type('form')
      .send({
        bedarf: 'ja',
        datenschutz: 'ja',
        _csrf: csrfFrom((await (await as('redaktion')).get('/intern')).text),
      });
    expect(again.status).toBe(409);
    expect(again.text).toContain('data-testid="answered-by"');
    expect(again.text).toContain('Kim Nowak');
    expect(await db()('history').where({ presence_id: museum, action: 'reassessment.confirmed' })).toHaveLength(1);
  });

  it('a unit head may confirm but not close; an editor closes through the confirmation page', async () => {
    const historical = ids['Historisches Museum Hannover']!;
    const headPage = await (await as('leitung')).get(task(historical));
    expect(headPage.status).toBe(200);
    expect(headPage.text).not.toContain(`action="${task(historical)}/schliessen"`);
    const headClose = await (
      await as('leitung')
    )
      .post(`${task(historical)}/schliessen`)
      .type('form')
      .send({
        grund: 'Wird nicht mehr gebraucht',
        bestaetigt: '1',
        _csrf: csrfFrom(headPage.text),
      });
    expect(headClose.status).toBe(403);

    const empty = await post(await as('redaktion'), task(historical), `${task(historical)}/schliessen`, { grund: '' });
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('href="#feld-grund"');
    const ask = await post(await as('redaktion'), task(historical), `${task(historical)}/schliessen`, {
      grund: 'Das Museum kommuniziert künftig nur noch über Hannover.de.',
    });
    expect(ask.status).toBe(200);
    expect((await db()('presences').where({ id: historical }).first()).status).toBe('active');
    const done = await confirmOnPage(await as('redaktion'), ask);
    expect(done.status).toBe(303);
    const presence = await db()('presences').where({ id: historical }).first();
    expect(presence.status).toBe('closed');
    expect(presence.close_reason).toBe('Das Museum kommuniziert künftig nur noch über Hannover.de.');
    const row = await db()('reassessment_tasks')
      .where({ reassessment_id: reassessmentId, presence_id: historical })
      .first();
    expect(row).toMatchObject({ state: 'closed', answered_by_uid: 'redaktion' });
    const actions = (await db()('history').where({ presence_id: historical }).orderBy('id')).map((h) => h.action);
    expect(actions).toContain('presence.closed');
    expect(actions).toContain('reassessment.presence_closed');
  });

  it('a presence closed on its own page counts as closed; progress shows answered / closed / open', async () => {
    const sprengel = ids['Sprengel Museum Hannover']!;
    const ask = await post(
      await as('kommunikation'),
      `/intern/angebote/${sprengel}`,
      `/intern/angebote/${sprengel}/schliessen`,
      {
        grund: 'Auftritt seit einem Jahr verwaist.',
      },
    );
    expect((await confirmOnPage(await as('kommunikation'), ask)).status).toBe(303);

    const page = await (await as('kommunikation')).get(`/intern/neubewertungen/${reassessmentId}`);
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/data-count="confirmed"><strong>1<\/strong>/);
    expect(page.text).toMatch(/data-count="closed"><strong>2<\/strong>/);
    expect(page.text).toContain(`data-count="open"><strong>${facebookActive - 3}</strong>`);
    expect(page.text).toContain(`data-presence="${sprengel}" data-state="closed"`);
    const list = await (await as('kommunikation')).get('/intern/neubewertungen');
    expect(list.text).toContain(`1 bestätigt, 2 geschlossen, ${facebookActive - 3} offen`);
    const english = await (await as('kommunikation')).get(`/en/intern/neubewertungen/${reassessmentId}`);
    expect(english.status).toBe(200);
    expect(english.text).toContain('Re-assessment of Facebook');
  });

  it('reminds the open tasks once from a week before the deadline, and reports the unanswered ones once after it', async () => {
    expect(reminderDay('2026-12-01', DEADLINE)).toBe('2026-12-08');
    const open: number[] = await db()('reassessment_tasks')
      .join('presences as p', 'p.id', 'presence_id')
      .where({ reassessment_id: reassessmentId, state: 'open', 'p.status': 'active' })
      .pluck('presence_id');
    expect(open).toHaveLength(facebookActive - 3);

    expect(await runReassessmentDeadlines(db(), new Date('2026-12-07T10:00:00Z'), BASE_URL)).toEqual({
      reminded: 0,
      reported: 0,
    });
    expect(await runReassessmentDeadlines(db(), new Date('2026-12-08T10:00:00Z'), BASE_URL)).toEqual({
      reminded: facebookActive - 3,
      reported: 0,
    });
    expect(await runReassessmentDeadlines(db(), new Date('2026-12-09T10:00:00Z'), BASE_URL)).toEqual({
      reminded: 0,
      reported: 0,
    });
    // every open task is reminded once (in its history); mails go to those it has: the fire
    // brigade's editor (the other open presences have neither editors nor a unit head in the demo)
    const remindedHistory: number[] = await db()('history')
      .where({ action: 'reassessment.reminder_sent' })
      .pluck('presence_id');
    expect(remindedHistory.sort()).toEqual([...open].sort());
    const reminders = await db()('outbox').where({ template: 'reassessment_reminder' });
    expect(reminders.map((m) => [m.presence_id, m.recipient_uid])).toEqual([[ids['Feuerwehr Hannover'], 'redaktion2']]);
    expect(reminders[0].body).toContain('Die Frist endet am 15. Dezember 2026');

    // the deadline day itself is still in time
    expect((await runReassessmentDeadlines(db(), new Date('2026-12-15T20:00:00Z'), BASE_URL)).reported).toBe(0);
    expect(await runReassessmentDeadlines(db(), new Date('2026-12-16T06:00:00Z'), BASE_URL)).toEqual({
      reminded: 0,
      reported: 1,
    });
    expect((await runReassessmentDeadlines(db(), new Date('2026-12-17T06:00:00Z'), BASE_URL)).reported).toBe(0);

    const reports = await db()('outbox').where({ template: 'reassessment_report' });
    expect(reports.map((m) => m.recipient_role).sort()).toEqual(['communications', 'data_protection']);
    await deliverEverything(db(), ctx.services.directory);
    const delivered = await db()('outbox').where({ template: 'reassessment_report' }).whereNotNull('recipient_uid');
    expect(delivered.map((m) => m.recipient_uid).sort()).toEqual(['datenschutz', 'kommunikation']);
    const body = delivered[0].body as string;
    expect(body).toContain('am 15. Dezember 2026 abgelaufen');
    for (const id of open) {
      const name = (await db()('presences').where({ id }).first('name')).name as string;
      expect(body).toContain(name);
    }
    expect(body).not.toContain('Museum August Kestner');

    expect(await db()('history').where({ action: 'reassessment.unanswered' })).toHaveLength(facebookActive - 3);
    const r = await db()('reassessments').where({ id: reassessmentId }).first();
    expect(r.status).toBe('reported');
    ctx.clock.set(new Date('2026-12-16T08:00:00Z'));
    const page = await (await as('datenschutz')).get(`/intern/neubewertungen/${reassessmentId}`);
    expect(page.text).toContain('Frist abgelaufen, gemeldet');
    expect(page.text.match(/data-state="overdue"/g)).toHaveLength(facebookActive - 3);

    // a late answer is still taken
    ctx.clock.set(new Date('2026-12-18T10:00:00Z'));
    const fire = ids['Feuerwehr Hannover']!;
    expect(open).toContain(fire);
    const latePage = await (await as('redaktion2')).get(task(fire));
    expect(latePage.text).toContain('Die Frist ist abgelaufen');
    const late = await post(await as('redaktion2'), task(fire), task(fire), { bedarf: 'ja', datenschutz: 'ja' });
    expect(late.status).toBe(303);
    expect(
      await db()('reassessment_tasks').where({ reassessment_id: reassessmentId, presence_id: fire }).first(),
    ).toMatchObject({ state: 'confirmed', unanswered_at_deadline: true });
  });

  it('people who may not see a presence get the page of a missing one; the central offices may look, not answer', async () => {
    const museum = ids['Museum August Kestner']!;
    const hannoverde = await signIn(ctx.app, 'hannoverde');
    expect((await hannoverde.get(task(museum))).status).toBe(403);
    expect((await (await as('personalrat')).get(task(museum))).status).toBe(403);
    // Sprengel (unit 41.4) is neither redaktion2's presence nor their unit's
    expect((await (await as('redaktion2')).get(task(ids['Sprengel Museum Hannover']!))).status).toBe(404);
    expect((await (await as('redaktion')).get(`/intern/neubewertungen/${reassessmentId}/angebote/999999`)).status).toBe(
      404,
    );
    expect((await (await as('kommunikation')).get(`/intern/neubewertungen/999999`)).status).toBe(404);
  });
});
