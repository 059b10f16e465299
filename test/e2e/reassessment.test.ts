import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import {
  foreignRequests,
  launchBrowser,
  personContext,
  startPortal,
  texts,
  type Observed,
  type Portal,
} from './harness';
import { deliverEverything } from '../helpers/outbox';
import { runReassessmentDeadlines } from '../../src/reassessments/job';

/**
 * Issue 13, platform re-assessment in the browser, by labels and roles, with JavaScript off
 * (it must work without): data protection opens a re-assessment of Facebook and closes it to
 * new requests → an editor confirms from "Meine Aufgaben" → another editor closes their
 * presence through the confirmation page → at the deadline the unanswered presences are
 * reported to communications and data protection, and the progress page says so.
 */
const t = texts.de;
const field = (page: Page, label: string) => page.getByLabel(label, { exact: true });
const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });
async function go(page: Page, target: Locator) {
  await Promise.all([page.waitForEvent('load'), target.click()]);
}
const sees = (page: Page, text: string) => page.getByText(text, { exact: false }).first().waitFor({ state: 'visible' });

let portal: Portal;
let browser: Browser;
const observed: Observed[] = [];
const presences: Record<string, number> = {};
const deadline = new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  portal = await startPortal({ seed: true });
  browser = await launchBrowser();
  const db = portal.ctx.database.db;
  for (const name of ['Museum August Kestner', 'Historisches Museum Hannover'])
    presences[name] = (await db('presences').where({ name }).first('id')).id;
  await db('presence_editors').insert([
    { presence_id: presences['Museum August Kestner'], uid: 'redaktion2', name: 'Kim Nowak', position: 0 },
    { presence_id: presences['Historisches Museum Hannover'], uid: 'redaktion', name: 'Robin Schäfer', position: 0 },
  ]);
});
afterAll(async () => {
  await browser?.close();
  await portal?.close();
});

async function person(uid: string) {
  const made = await personContext(browser, portal, uid, { javaScriptEnabled: false });
  observed.push(made.observed);
  return made.page;
}

describe('platform re-assessment journey (JavaScript off)', () => {
  it('open → an editor confirms → another closes → the deadline report', async () => {
    const db = portal.ctx.database.db;

    // data protection opens it, closing Facebook to new requests meanwhile
    const dp = await person('datenschutz');
    await dp.goto('/intern');
    await go(dp, dp.getByRole('link', { name: t['reassessments.nav'], exact: true }));
    await field(dp, t['reassessments.field.platform']).selectOption('facebook');
    await field(dp, t['reassessments.field.reason']).fill(
      'Urteil zu Facebook-Fanpages: Bedarf und Datenschutzhinweise sind neu zu prüfen.',
    );
    await field(dp, t['reassessments.field.deadline']).fill(deadline);
    await field(dp, t['reassessments.field.block']).check();
    await go(dp, button(dp, t['reassessments.open.submit']));
    await sees(dp, t['reassessments.open.confirmBlock']);
    await go(dp, button(dp, t['reassessments.open.confirmSubmit']));
    await sees(dp, t['reassessments.opened']);
    const id = Number(/neubewertungen\/(\d+)/.exec(dp.url())?.[1]);
    expect(id).toBeGreaterThan(0);
    expect((await db('platforms').where({ key: 'facebook' }).first()).enabled).toBe(false);

    // an editor finds the task in "Meine Aufgaben" and confirms; a missing box is named first
    const editor = await person('redaktion2');
    await editor.goto('/intern');
    const museumTask = editor
      .locator(`[data-testid="reassessment-tasks"] a`)
      .filter({ hasText: 'Museum August Kestner' });
    await go(editor, museumTask);
    await field(editor, t['reassessments.answer.need']).check();
    await go(editor, button(editor, t['reassessments.answer.confirmSubmit']));
    await sees(editor, t['reassessments.error.privacy']);
    expect(await field(editor, t['reassessments.answer.need']).isChecked()).toBe(true);
    await field(editor, t['reassessments.answer.privacy']).check();
    await field(editor, t['reassessments.answer.comment']).fill('Datenschutzhinweis ist seit heute aktualisiert.');
    await go(editor, button(editor, t['reassessments.answer.confirmSubmit']));
    await sees(editor, t['reassessments.answer.done.confirmed']);

    // another editor closes their presence, from the presence page's note, through the confirmation page
    const other = await person('redaktion');
    await other.goto(`/intern/angebote/${presences['Historisches Museum Hannover']}`);
    await go(other, other.getByRole('link', { name: t['reassessments.presence.answer'], exact: true }));
    await field(other, t['reassessments.answer.closeReason']).fill('Wir kommunizieren nur noch über Hannover.de.');
    await go(other, button(other, t['reassessments.answer.closeSubmit']));
    await go(other, button(other, t['reassessments.answer.closeConfirmSubmit']));
    await sees(other, t['reassessments.answer.done.closed']);
    expect((await db('presences').where({ id: presences['Historisches Museum Hannover'] }).first()).status).toBe(
      'closed',
    );

    // the deadline passes: the job reports the unanswered presences to both offices once
    const dayAfter = new Date(`${deadline}T12:00:00Z`);
    dayAfter.setUTCDate(dayAfter.getUTCDate() + 1);
    expect((await runReassessmentDeadlines(db, dayAfter, portal.baseUrl)).reported).toBe(1);
    await deliverEverything(db, portal.ctx.services.directory);
    const reports = await db('outbox').where({ template: 'reassessment_report' }).whereNotNull('recipient_uid');
    expect(reports.map((m) => m.recipient_uid).sort()).toEqual(['datenschutz', 'kommunikation']);
    expect(reports[0].body).toContain('Herrenhäuser Gärten');
    expect(reports[0].body).not.toContain('Museum August Kestner');

    // communications follow the progress: answered / closed / open, the report noted
    portal.ctx.clock.set(dayAfter);
    const comms = await person('kommunikation');
    await comms.goto(`/intern/neubewertungen/${id}`);
    await sees(comms, t['reassessments.status.reported']);
    expect(await comms.locator('[data-count="confirmed"] strong').textContent()).toBe('1');
    expect(await comms.locator('[data-count="closed"] strong').textContent()).toBe('1');
    const active = await db('reassessment_tasks').where({ reassessment_id: id }).count({ n: '*' }).first();
    expect(await comms.locator('[data-count="open"] strong').textContent()).toBe(String(Number(active?.n) - 2));
    expect(await comms.locator('[data-state="overdue"]').count()).toBe(Number(active?.n) - 2);

    for (const o of observed) {
      expect(o.csp).toEqual([]);
      expect(foreignRequests(o, portal)).toEqual([]);
    }
  }, 120_000);
});
