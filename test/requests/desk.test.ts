import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/app';
import { confirmOnPage, csrfFrom, signIn } from '../helpers/http';
import { decide, fileRequest } from '../helpers/requests';
import { seedDemoUnits } from '../../src/demo/org-units';
import { validForm } from './fixtures';

/**
 * The deciders' desk on the request page (#15): the deciding person sees their step's
 * sections first, then the checklist, then the decision; the ticks go into the history; a
 * return may point to sections, which the author then sees marked.
 */
let ctx: TestContext;
type Agent = Awaited<ReturnType<typeof signIn>>;
let editor: Agent;
let head: Agent;
let comms: Agent;
let dp: Agent;
beforeAll(async () => {
  ctx = await createTestContext();
  await seedDemoUnits(ctx.database.db);
  editor = await signIn(ctx.app, 'redaktion');
  head = await signIn(ctx.app, 'leitung');
  comms = await signIn(ctx.app, 'kommunikation');
  dp = await signIn(ctx.app, 'datenschutz');
});
afterAll(() => ctx.close());

let n = 0;
const fresh = () => {
  n += 1;
  return { name: `Prüfstand ${n}`, url: `https://www.facebook.com/pruefstand${n}.hannover` };
};

/** Where something first appears on the page (-1: not at all). */
const at = (html: string, needle: string | RegExp) =>
  typeof needle === 'string' ? html.indexOf(needle) : (needle.exec(html)?.index ?? -1);

async function decideWith(agent: Agent, id: number, fields: Record<string, string | string[]>) {
  const page = await agent.get(`/intern/antraege/${id}`).expect(200);
  const version = /name="fassung" value="(\d+)"/.exec(page.text)?.[1] ?? '';
  return agent
    .post(`/intern/antraege/${id}/entscheidung`)
    .type('form')
    .send({ _csrf: csrfFrom(page.text), fassung: version, kommentar: '', ...fields });
}

describe('the request page for the deciding person', () => {
  it('shows their step’s sections first, then the checklist, then the decision; the rest collapsed', async () => {
    const id = await fileRequest(editor, fresh());
    // the unit head reviews sections 1, 3, 7 and 10
    const headPage = (await head.get(`/intern/antraege/${id}`).expect(200)).text;
    const review = at(headPage, 'data-testid="review"');
    const checklist = at(headPage, 'data-testid="checklist"');
    const form = at(headPage, 'name="entscheidung"');
    expect(review).toBeGreaterThan(0);
    expect(checklist).toBeGreaterThan(review);
    expect(form).toBeGreaterThan(checklist);
    for (const s of [1, 3, 7, 10]) {
      const section = at(headPage, new RegExp(`<section class="request-section" id="abschnitt-${s}"`));
      expect(section, `section ${s}`).toBeGreaterThan(review);
      expect(section, `section ${s}`).toBeLessThan(checklist);
    }
    for (const s of [2, 4, 5, 6, 8, 9, 11]) {
      const collapsed = at(headPage, new RegExp(`<details class="request-section" id="abschnitt-${s}"`));
      expect(collapsed, `section ${s}`).toBeGreaterThan(form);
    }
    expect(headPage).toContain('Der Auftritt ist für die Aufgaben der Organisationseinheit erforderlich');

    expect((await decide(head, id, 'unit_head')).status).toBe(303);
    // data protection: section 8 first, its Art. 26 item in the checklist
    const dpPage = (await dp.get(`/intern/antraege/${id}`).expect(200)).text;
    const section8 = at(dpPage, /<section class="request-section" id="abschnitt-8"/);
    expect(section8).toBeGreaterThan(at(dpPage, 'data-testid="review"'));
    expect(section8).toBeLessThan(at(dpPage, 'data-testid="checklist"'));
    expect(dpPage).toContain('https://www.hannover.de/Datenschutz');
    expect(dpPage).toContain('Vereinbarung nach Art. 26 DSGVO');
    expect(at(dpPage, /<details class="request-section" id="abschnitt-3"/)).toBeGreaterThan(
      at(dpPage, 'name="entscheidung"'),
    );
    // the press office reviews 3, 4, 6, 9, 10 — in English, too
    const commsPage = (await comms.get(`/en/intern/antraege/${id}`).expect(200)).text;
    expect(commsPage).toContain('What you review: Press and Information Office (Communications)');
    for (const s of [3, 4, 6, 9, 10])
      expect(at(commsPage, new RegExp(`<section class="request-section" id="abschnitt-${s}"`))).toBeLessThan(
        at(commsPage, 'data-testid="checklist"'),
      );

    // someone who does not decide sees every section open, in the form's order, and no checklist
    const own = (await editor.get(`/intern/antraege/${id}`).expect(200)).text;
    expect(own).not.toContain('data-testid="checklist"');
    expect(own).not.toContain('<details class="request-section"');
    const order = [...own.matchAll(/<section class="request-section" id="abschnitt-(\d+)"/g)].map((m) => Number(m[1]));
    expect(order).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });

  it('records the ticks with the decision in the history', async () => {
    const id = await fileRequest(editor, fresh());
    await decide(head, id, 'unit_head');
    const res = await decideWith(dp, id, {
      schritt: 'data_protection',
      entscheidung: 'approve',
      pruefung: ['art26', 'imprint'],
    });
    expect(res.status).toBe(303);
    const db = ctx.database.db;
    const decision = await db('decisions').where({ request_id: id, step_id: 'data_protection' }).first();
    expect(decision.checklist).toEqual({
      checked: ['imprint', 'art26'],
      unchecked: ['privacy', 'joint_controller_ack'],
    });
    const entry = await db('history')
      .where({ request_id: id, action: 'workflow.approved', actor_uid: 'datenschutz' })
      .first();
    expect(entry.changes).toMatchObject({
      step: { after: 'data_protection' },
      checklist: { after: ['imprint', 'art26'] },
      checklistOpen: { after: ['privacy', 'joint_controller_ack'] },
    });
    // the history on the request page says what was checked, in words
    const page = (await editor.get(`/intern/antraege/${id}`).expect(200)).text;
    expect(page).toMatch(
      /data-testid="history-checklist">geprüft: Das Impressum ist erreichbar und vollständig\.; Für die Plattform liegt eine Vereinbarung nach Art\. 26 DSGVO/,
    );
    expect(page).toContain('nicht angehakt: Die Datenschutzerklärung gilt für diesen Auftritt');
  });

  it('refuses items and sections the step does not offer with a named error, keeping the form', async () => {
    const id = await fileRequest(editor, fresh());
    const unknownItem = await decideWith(head, id, {
      schritt: 'unit_head',
      entscheidung: 'return',
      kommentar: 'Bitte ergänzen.',
      pruefung: ['art26'], // data protection's item, not the unit head's
    });
    expect(unknownItem.status).toBe(400);
    expect(unknownItem.text).toContain('Diesen Prüfpunkt hat Ihr Schritt nicht.');
    expect(unknownItem.text).toContain('href="#feld-pruefung"');
    expect(unknownItem.text).toContain('Bitte ergänzen.');
    const unknownSection = await decideWith(head, id, {
      schritt: 'unit_head',
      entscheidung: 'return',
      kommentar: 'Bitte ergänzen.',
      pruefung: 'training',
      abschnitte: ['3', '99'],
    });
    expect(unknownSection.status).toBe(400);
    expect(unknownSection.text).toContain('Diesen Abschnitt hat der Antrag nicht.');
    expect(unknownSection.text).toMatch(/name="pruefung" value="training" checked/);
    expect(unknownSection.text).toMatch(/name="abschnitte" value="3" checked/);
    expect((await ctx.database.db('requests').where({ id }).first()).status).toBe('in_review');
  });

  it('lets a return point to sections: the author sees them marked on the page and in the form', async () => {
    const names = fresh();
    const id = await fileRequest(editor, names);
    await decide(head, id, 'unit_head');
    const returned = await decideWith(dp, id, {
      schritt: 'data_protection',
      entscheidung: 'return',
      kommentar: 'Die Datenschutzerklärung passt nicht zum Auftritt.',
      pruefung: 'imprint',
      abschnitte: ['8'],
    });
    expect(returned.status).toBe(303);
    const decision = await ctx.database.db('decisions').where({ request_id: id, outcome: 'returned' }).first();
    expect(decision.sections).toEqual([8]);

    const page = (await editor.get(`/intern/antraege/${id}`).expect(200)).text;
    expect(page).toContain('data-testid="flagged-note"');
    expect(page).toMatch(/<section class="request-section request-section--flagged" id="abschnitt-8"/);
    expect(page).toContain('data-testid="flagged-8"');
    expect(page).not.toContain('data-testid="flagged-3"');
    expect(page).toContain('betroffene Abschnitte: 8. Impressum und Datenschutz');

    const form = await editor.get(`/intern/antraege/${id}/bearbeiten`).expect(200);
    expect(form.text).toContain('data-testid="flagged-note"');
    expect(form.text).toContain('href="#abschnitt-8">8. Impressum und Datenschutz</a>');
    expect(form.text).toMatch(/<fieldset class="kern-fieldset request-section--flagged" id="abschnitt-8">/);
    expect(form.text).toContain('data-testid="flagged-8"');

    // the task line on the author's home page: clean typography (no space before a comma or bracket)
    const home = (await editor.get('/intern').expect(200)).text;
    const line = /<li data-request="\d+" class="todo-item">[\s\S]*?<\/li>/.exec(home)?.[0] ?? '';
    expect(line).toContain('8. Impressum und Datenschutz');
    const words = line.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ');
    expect(words).toMatch(/Datenschutz/);
    expect(words).not.toMatch(/ [,.;:)]/);

    // the author fixes section 8; data protection sees the change marked inside it
    const resubmitted = await editor
      .post(`/intern/antraege/${id}/bearbeiten`)
      .type('form')
      .send({
        ...validForm({ ...names, privacyUrl: 'https://www.hannover.de/Datenschutz-Pruefstand' }),
        aktion: 'einreichen',
        _csrf: csrfFrom(form.text),
      });
    expect(resubmitted.status).toBe(303);
    const again = (await dp.get(`/intern/antraege/${id}`).expect(200)).text;
    expect(again).toContain('Änderungen seit Ihrer letzten Ansicht (Fassung 1 → 2) sind in den Abschnitten markiert.');
    const section8 = at(again, /<section class="request-section" id="abschnitt-8"/);
    const marked = at(again, 'data-changed="privacyUrl"');
    expect(marked).toBeGreaterThan(section8);
    expect(marked).toBeLessThan(at(again, 'data-testid="checklist"'));
    expect(again).toMatch(/<ins>https:\/\/www\.hannover\.de\/Datenschutz-Pruefstand<\/ins>/);
    expect(again).toMatch(/<del>https:\/\/www\.hannover\.de\/Datenschutz<\/del>/);
    // no longer returned: the marks are gone for the author
    expect((await editor.get(`/intern/antraege/${id}`)).text).not.toContain('data-testid="flagged-8"');
  });

  it('carries ticks and sections through the confirmation of a rejection', async () => {
    const id = await fileRequest(editor, fresh());
    const confirmation = await decideWith(head, id, {
      schritt: 'unit_head',
      entscheidung: 'reject',
      kommentar: 'Kein Bedarf.',
      pruefung: 'necessity',
      abschnitte: ['3', '4'],
    });
    expect(confirmation.status).toBe(200);
    expect(confirmation.text).toContain('3. Erforderlichkeit');
    expect((await confirmOnPage(head, confirmation)).status).toBe(303);
    const decision = await ctx.database.db('decisions').where({ request_id: id, outcome: 'rejected' }).first();
    expect(decision.sections).toEqual([3, 4]);
    expect(decision.checklist.checked).toEqual(['necessity']);
    const page = (await editor.get(`/intern/antraege/${id}`).expect(200)).text;
    expect(page).toContain('data-testid="flagged-3"');
    expect(page).toContain('data-testid="flagged-4"');
  });
});
