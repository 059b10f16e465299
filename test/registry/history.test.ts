import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { createTestContext, type TestContext } from '../helpers/app';
import { confirmOnPage, csrfFrom, signIn, submitForm } from '../helpers/http';
import { confirmAsEditor, decide, fileRequest } from '../helpers/requests';
import { seedDemoUnits } from '../../src/demo/org-units';
import { de, en, type MessageKey } from '../../src/messages';
import { HISTORY_ACTIONS, type HistoryAction } from '../../src/audit/actions';
import { validForm } from '../requests/fixtures';

type Agent = Awaited<ReturnType<typeof signIn>>;
const catalogues = { de, en };
const label = (locale: 'de' | 'en', action: HistoryAction) =>
  catalogues[locale][`history.action.${action}` as MessageKey];

let ctx: TestContext;
let comms: Agent;
let requestId: number;
let changeId: number;
let presenceId: number;

/** The visible text of a page: no tags, no attributes, entities decoded. */
const visible = (html: string) =>
  html
    .replace(/<(script|style)[\s\S]*?<\/\1>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#34;|&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');

/** The first words of every message key and history action: "requests", "history", "presence", … */
const namespaces = new Set([...Object.keys(de), ...HISTORY_ACTIONS].map((k) => k.split('.')[0]));

/**
 * Anything in the visible text shaped like a message key or history action
 * ("presence.closed", "requests.status.draft"): dotted lower-case words that start with a
 * namespace of the catalogue. A web address such as hannover.de is not one.
 */
const keyLike = (html: string) =>
  (visible(html).match(/\b[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+\b/g) ?? []).filter((w) => namespaces.has(w.split('.')[0]));

/** The history list of a page, oldest first: action, request and text of each entry. */
function timeline(html: string) {
  const section = /<section aria-labelledby="verlauf">([\s\S]*?)<\/section>/.exec(html)?.[1] ?? '';
  const entries = [...section.matchAll(/<li data-action="([a-z_.]+)"(?: data-request="(\d+)")?>([\s\S]*?)<\/li>/g)].map(
    (m) => ({
      action: m[1] as HistoryAction,
      request: m[2] ? Number(m[2]) : undefined,
      text: visible(m[3] ?? '').trim(),
    }),
  );
  return entries.reverse(); // the page lists the newest first
}

/** `expected` occurs in `actual` in this order (other entries may lie between). */
function inOrder<T>(actual: T[], expected: T[], same: (a: T, e: T) => boolean): T[] {
  const missing: T[] = [];
  let i = 0;
  for (const e of expected) {
    while (i < actual.length && !same(actual[i] as T, e)) i++;
    if (i === actual.length) missing.push(e);
    else i++;
  }
  return missing;
}

beforeAll(async () => {
  ctx = await createTestContext();
  await seedDemoUnits(ctx.database.db);
  const editor = await signIn(ctx.app, 'redaktion');
  const editor2 = await signIn(ctx.app, 'redaktion2');
  const head = await signIn(ctx.app, 'leitung');
  const dp = await signIn(ctx.app, 'datenschutz');
  const hde = await signIn(ctx.app, 'hannoverde');
  comms = await signIn(ctx.app, 'kommunikation');

  // the request: a decision, a return for changes, a resubmission, the other decisions, publication
  requestId = await fileRequest(editor);
  expect((await decide(head, requestId, 'unit_head', 'approve', 'Passt zur Strategie.')).status).toBe(303);
  expect(
    (await decide(dp, requestId, 'data_protection', 'return', 'Bitte Datenschutzerklärung ergänzen.')).status,
  ).toBe(303);
  const form = await editor.get(`/intern/antraege/${requestId}/bearbeiten`).expect(200);
  const resubmitted = await editor
    .post(`/intern/antraege/${requestId}/bearbeiten`)
    .type('form')
    .send({
      ...validForm({ privacyUrl: 'https://www.hannover.de/Datenschutz-Kultur' }),
      aktion: 'einreichen',
      _csrf: csrfFrom(form.text),
    });
  expect(resubmitted.status).toBe(303);
  expect((await decide(dp, requestId, 'data_protection')).status).toBe(303);
  expect((await decide(comms, requestId, 'communications')).status).toBe(303);
  await confirmAsEditor(editor, requestId);
  await confirmAsEditor(editor2, requestId);
  expect((await decide(hde, requestId, 'hannoverde', 'approve', 'Verlinkt.')).status).toBe(303);
  presenceId = (await ctx.database.db('requests').where({ id: requestId }).first()).presence_id;
  expect(presenceId).toBeGreaterThan(0);

  // after publication: a change request and its decision, the yearly confirmation, the closing
  const changeForm = await editor.get(`/intern/angebote/${presenceId}/aenderung`).expect(200);
  const change = await editor
    .post(`/intern/angebote/${presenceId}/aenderung`)
    .type('form')
    .send({
      ...validForm(),
      description: 'Neue Beschreibung des Kulturbüros.',
      aktion: 'einreichen',
      _csrf: csrfFrom(changeForm.text),
    });
  expect(change.status, change.text.slice(0, 1000)).toBe(303);
  changeId = Number(/antraege\/(\d+)/.exec(String(change.headers.location))?.[1]);
  expect((await decide(comms, changeId, 'communications', 'approve', 'Beschreibung passt.')).status).toBe(303);
  expect(
    (await submitForm(editor2, `/intern/angebote/${presenceId}`, `/intern/angebote/${presenceId}/bestaetigen`, {}))
      .status,
  ).toBe(303);
  const closing = await submitForm(
    comms,
    `/intern/angebote/${presenceId}`,
    `/intern/angebote/${presenceId}/schliessen`,
    { grund: 'Kanal wird nicht mehr betreut.' },
  );
  expect(closing.status).toBe(200); // the confirmation page
  expect((await confirmOnPage(comms, closing)).status).toBe(303);
});
afterAll(() => ctx.close());

/** A presence's whole life, as its page must tell it: [action, request it belongs to]. */
const life = (): Array<[HistoryAction, number | undefined]> => [
  ['request.created', requestId],
  ['workflow.submitted', requestId],
  ['workflow.approved', requestId],
  ['workflow.returned', requestId],
  ['workflow.resubmitted', requestId],
  ['workflow.approved', requestId],
  ['workflow.approved', requestId],
  ['request.editor_confirmed', requestId],
  ['request.editor_confirmed', requestId],
  ['workflow.approved', requestId],
  ['workflow.published', requestId],
  ['request.created', changeId],
  ['workflow.submitted', changeId],
  ['workflow.approved', changeId],
  ['presence.changed', changeId],
  ['workflow.published', changeId],
  ['presence.confirmed', undefined],
  ['presence.closed', undefined],
];

describe("a presence's page", () => {
  for (const locale of ['de', 'en'] as const) {
    const prefix = locale === 'en' ? '/en' : '';

    it(`tells its whole life in words, in order, with the creating request's history (${locale})`, async () => {
      const page = await comms.get(`${prefix}/intern/angebote/${presenceId}`).expect(200);
      const entries = timeline(page.text);
      const missing = inOrder(
        entries.map((e) => [e.action, e.request] as [HistoryAction, number | undefined]),
        life(),
        (a, e) => a[0] === e[0] && a[1] === e[1],
      );
      expect(missing).toEqual([]);
      // every entry in words of this language, never its key
      for (const e of entries) {
        expect(e.text).toContain(label(locale, e.action));
        expect(e.text).not.toContain(e.action);
      }
      // exactly the entries the database holds for this presence and its requests
      const db = ctx.database.db;
      const ids = await db('history')
        .where({ presence_id: presenceId })
        .orWhereIn('request_id', [requestId, changeId])
        .count({ n: '*' })
        .first();
      expect(entries).toHaveLength(Number(ids?.n));
      const words = visible(page.text);
      expect(words).toContain('Bitte Datenschutzerklärung ergänzen.');
      expect(words).toContain('Kanal wird nicht mehr betreut.');
      if (locale === 'de') {
        for (const w of [
          'Antrag eingereicht',
          'Zur Überarbeitung zurückgegeben',
          'Veröffentlicht',
          'Auftritt geändert',
          'Auftritt bestätigt',
          'Auftritt geschlossen',
        ])
          expect(words).toContain(w);
        expect(words).toContain('Freigegeben (Leitung der Organisationseinheit)');
      } else {
        for (const w of [
          'Request submitted',
          'Returned for changes',
          'Published',
          'Presence changed',
          'Presence confirmed',
          'Presence closed',
        ])
          expect(words).toContain(w);
      }
      expect(keyLike(page.text)).toEqual([]);
    });

    it(`leaves the creating request's page with its own history, in words (${locale})`, async () => {
      const page = await comms.get(`${prefix}/intern/antraege/${requestId}`).expect(200);
      const entries = timeline(page.text);
      const own = await ctx.database.db('history').where({ request_id: requestId }).orderBy('id').pluck('action');
      expect(entries.map((e) => e.action)).toEqual(own);
      expect(own).toContain('workflow.published');
      for (const e of entries) expect(e.text).toContain(label(locale, e.action));
      expect(keyLike(page.text)).toEqual([]);

      const changePage = await comms.get(`${prefix}/intern/antraege/${changeId}`).expect(200);
      const changeEntries = timeline(changePage.text);
      expect(changeEntries.map((e) => e.action)).toContain('presence.changed');
      for (const e of changeEntries) expect(e.text).toContain(label(locale, e.action));
      expect(keyLike(changePage.text)).toEqual([]);
    });
  }
});

describe('the administration', () => {
  it('labels the same entries in words in the history search, the approval record and the CSV', async () => {
    const admin = await signIn(ctx.app, 'admin');
    const search = await admin.get(`/intern/verwaltung/verlauf?praesenz=${presenceId}`).expect(200);
    for (const a of ['workflow.submitted', 'presence.changed', 'presence.confirmed', 'presence.closed'] as const) {
      expect(search.text).toMatch(
        new RegExp(
          `data-action="${a.replace('.', '\\.')}">[\\s\\S]*?<td class="kern-table__cell">${label('de', a)}<br>`,
        ),
      );
    }
    const record = await admin.get(`/en/intern/verwaltung/register/${presenceId}/nachweis`).expect(200);
    expect(record.text).toMatch(
      new RegExp(
        `data-action="presence\\.closed"><td class="kern-table__cell"><time datetime="[^"]+">\\d{1,2} [A-Z][a-z]{2,3} \\d{4}, \\d{2}:\\d{2}</time></td><td class="kern-table__cell">${label('en', 'presence.closed')}</td>`,
      ),
    );
    expect(visible(record.text)).not.toMatch(/\bpresence\.[a-z_]+\b/);
    const csv: string[][] = parse(
      (await admin.get(`/en/intern/verwaltung/verlauf.csv?praesenz=${presenceId}`).expect(200)).text,
      { delimiter: ';', bom: true },
    );
    const header = csv[0] ?? [];
    const closed = csv.find((r) => r[header.indexOf('action')] === 'presence.closed');
    expect(closed?.[header.indexOf('action_label')]).toBe(label('en', 'presence.closed'));
    for (const row of csv.slice(1))
      expect(row[header.indexOf('action_label')]).toBe(label('en', row[header.indexOf('action')] as HistoryAction));
  });
});

describe('an entry an older version wrote', () => {
  it('shows in neutral words, never as its key', async () => {
    // an action no code writes any more (recordHistory refuses it at compile time)
    await ctx.database.db('history').insert({
      at: new Date(),
      actor_uid: null,
      actor_name: null,
      action: 'presence.archived',
      entity_type: 'presence',
      entity_id: String(presenceId),
      presence_id: presenceId,
    });
    const page = await comms.get(`/intern/angebote/${presenceId}`).expect(200);
    const newest = timeline(page.text).at(-1);
    expect(newest?.action).toBe('presence.archived');
    expect(newest?.text).toContain('Sonstiger Vorgang');
    expect(keyLike(page.text)).toEqual([]);
  });
});
