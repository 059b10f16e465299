import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { createTestContext, type TestContext } from '../helpers/app';
import { signIn } from '../helpers/http';
import { confirmAsEditor, decide, fileRequest } from '../helpers/requests';
import { seedDemoUnits } from '../../src/demo/org-units';
import { recordHistory } from '../../src/audit/history';
import { expectRedirect, post, text, type Agent } from './helpers';

let ctx: TestContext;
let admin: Agent;
let requestId: number;
let presenceId: number;
const db = () => ctx.database.db;

async function approve(agent: Agent, id: number, step: string, comment = '') {
  const res = await decide(agent, id, step, 'approve', comment);
  expect(res.status, res.text.slice(0, 2000)).toBe(303);
}

beforeAll(async () => {
  ctx = await createTestContext();
  await seedDemoUnits(ctx.database.db);
  admin = await signIn(ctx.app, 'admin');

  // a presence that went through every step, one of them decided by a deputy
  const editor = await signIn(ctx.app, 'redaktion');
  const editor2 = await signIn(ctx.app, 'redaktion2');
  const head = await signIn(ctx.app, 'leitung');
  const comms = await signIn(ctx.app, 'kommunikation');
  await signIn(ctx.app, 'datenschutz');
  const council = await signIn(ctx.app, 'personalrat');
  const hde = await signIn(ctx.app, 'hannoverde');
  const today = new Date().toISOString().slice(0, 10);
  expectRedirect(
    await post(
      admin,
      '/intern/vertretung',
      { fuer: 'datenschutz', vertretung: 'personalrat', von: today, bis: today },
      '/intern/vertretung',
    ),
    /gespeichert=1/,
  );

  requestId = await fileRequest(editor);
  await approve(head, requestId, 'unit_head', 'Passt zur Kommunikationsstrategie des Fachbereichs.');
  await approve(council, requestId, 'data_protection', 'Datenschutzhinweis geprüft (in Vertretung).');
  await approve(comms, requestId, 'communications');
  await confirmAsEditor(editor, requestId);
  await confirmAsEditor(editor2, requestId);
  await approve(hde, requestId, 'hannoverde', 'Verlinkt auf hannover.de.');
  presenceId = (await db()('requests').where({ id: requestId }).first()).presence_id;
  expect(presenceId).toBeGreaterThan(0);
});
afterAll(() => ctx.close());

const H = '/intern/verwaltung/verlauf';
const R = '/intern/verwaltung/register';
const csvRows = (body: string): string[][] => parse(body, { delimiter: ';', bom: true, relax_column_count: false });

describe('history search', () => {
  it('finds by request, presence, person (also on behalf of) and action prefix', async () => {
    const byRequest = await admin.get(`${H}?antrag=${requestId}`).expect(200);
    const ids = [...byRequest.text.matchAll(/data-history="(\d+)"/g)].map((m) => Number(m[1]));
    const expected = await db()('history').where({ request_id: requestId }).orderBy('id', 'desc').pluck('id');
    expect(ids).toEqual(expected.map(Number));

    const approvals = await admin.get(`${H}?antrag=${requestId}&aktion=workflow.approved`).expect(200);
    expect([...approvals.text.matchAll(/data-action="([a-z._]+)"/g)].map((m) => m[1])).toEqual([
      'workflow.approved',
      'workflow.approved',
      'workflow.approved',
      'workflow.approved',
    ]);

    const deputy = await admin.get(`${H}?person=datenschutz&antrag=${requestId}`).expect(200);
    expect(text(deputy.text)).toContain('in Vertretung für datenschutz');
    expect(deputy.text).toContain('data-action="workflow.approved"');

    const byPresence = await admin.get(`${H}?praesenz=${presenceId}`).expect(200);
    expect(byPresence.text).toContain('data-testid="count"');
  });

  it('searches a date range by Berlin days and pages through many entries', async () => {
    const old = new Date('2026-01-15T10:00:00Z');
    for (let i = 0; i < 120; i++) {
      await recordHistory(db(), {
        at: new Date(old.getTime() + i * 1000),
        actorUid: 'admin',
        actorName: 'Sascha Wolff',
        action: 'import.presences',
        entityType: 'import',
        entityId: `t${i}`,
      });
    }
    // 23:30 UTC on 14 January is already 15 January in Berlin
    await recordHistory(db(), {
      at: new Date('2026-01-14T23:30:00Z'),
      actorUid: 'admin',
      actorName: 'Sascha Wolff',
      action: 'substitution.revoked',
      entityType: 'substitution',
      entityId: 'm',
    });
    const day = await admin.get(`${H}?von=2026-01-15&bis=2026-01-15`).expect(200);
    expect(text(day.text)).toContain('121 Einträge, Seite 1 von 3.');
    expect(day.text).toContain('data-action="substitution.revoked"');
    const next = /rel="next" href="([^"]+)"/.exec(day.text)?.[1]?.replace(/&amp;/g, '&') ?? '';
    expect(next).toBe(`${H}?von=2026-01-15&bis=2026-01-15&seite=2`);
    const page3 = await admin.get(`${H}?von=2026-01-15&bis=2026-01-15&seite=3`).expect(200);
    expect((page3.text.match(/data-history="/g) ?? []).length).toBe(21);
    const before = await admin.get(`${H}?bis=2026-01-14&aktion=import.`).expect(200);
    expect(text(before.text)).toContain('0 Einträge');
  });

  it('keeps every entry and names every error of a wrong search', async () => {
    const res = await admin.get(
      `${H}?antrag=abc&praesenz=-1&person=${encodeURIComponent('a b')}&aktion=DROP&von=2026-02-30&bis=2026-01-01`,
    );
    expect(res.status).toBe(400);
    for (const field of ['antrag', 'praesenz', 'person', 'aktion', 'von'])
      expect(res.text).toContain(`href="#feld-${field}"`);
    expect(res.text).toContain('value="abc"');
    expect(res.text).toContain('value="2026-02-30"');
    const range = await admin.get(`${H}?von=2026-03-01&bis=2026-01-01`);
    expect(range.status).toBe(400);
    expect(text(range.text)).toContain('Das Enddatum liegt vor dem Anfangsdatum.');
    // year 0 has the date's shape and reads back, but the database has no such day
    const yearZero = await admin.get(`${H}?von=0000-01-01&bis=0000-01-02`);
    expect(yearZero.status).toBe(400);
    expect(yearZero.text).toContain('href="#feld-von"');
    expect(yearZero.text).toContain('value="0000-01-01"');
    expect((await admin.get(`${H}.csv?von=0000-01-01`)).status).toBe(400);
  });

  it('exports the same filter as CSV that parses back, with formulas neutralised', async () => {
    const unit = await db()('org_units').where({ code: '40' }).first();
    expectRedirect(
      await post(admin, `/intern/verwaltung/organisationseinheiten/${unit.id}/aufloesen`, {
        grund: '=HYPERLINK("http://evil.example","klick")',
      }),
      /aufgeloest=1/,
    );
    const res = await admin.get(`${H}.csv?aktion=org_unit.`).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
    expect(res.text.startsWith('\uFEFF')).toBe(true);
    const rows = csvRows(res.text);
    expect(rows[0]).toEqual([
      'id',
      'at',
      'actor_uid',
      'actor_name',
      'on_behalf_of',
      'action',
      'entity_type',
      'entity_id',
      'request_id',
      'presence_id',
      'comment',
      'changes',
      'action_label',
    ]);
    expect(rows).toHaveLength(2);
    expect(rows[1]?.[5]).toBe('org_unit.retired');
    expect(rows[1]?.[12]).toBe('Organisationseinheit aufgelöst');
    expect(rows[1]?.[10]).toBe('\'=HYPERLINK("http://evil.example","klick")');

    const all = csvRows((await admin.get(`${H}.csv?antrag=${requestId}`).expect(200)).text);
    const total = Number((await db()('history').where({ request_id: requestId }).count({ n: '*' }).first())?.n);
    expect(all).toHaveLength(total + 1);
    const onBehalf = all.find((r) => r[4] === 'datenschutz');
    expect(onBehalf?.[2]).toBe('personalrat');
    expect(JSON.parse(all.find((r) => r[5] === 'workflow.step_opened')?.[11] ?? '{}')).toHaveProperty('step');

    const bad = await admin.get(`${H}.csv?antrag=x`);
    expect(bad.status).toBe(400);
  });
});

describe('internal register', () => {
  beforeAll(async () => {
    const museum = await db()('org_units').where({ code: '41.2' }).first();
    const fire = await db()('org_units').where({ code: '37' }).first();
    await db()('presences').insert([
      {
        slug: 'alt-museum',
        platform_key: 'facebook',
        account_id: 'altesmuseum',
        url: 'https://www.facebook.com/altesmuseum',
        name: '+49 511 Museumshotline',
        org_unit_id: museum.id,
        status: 'closed',
        closed_at: new Date('2025-06-30T10:00:00Z'),
        close_reason: 'Eingestellt',
        published_at: new Date('2020-01-01T00:00:00Z'),
      },
      {
        slug: 'feuerwehr-x',
        platform_key: 'x',
        account_id: 'feuerwehrh',
        url: 'https://x.com/feuerwehrh',
        name: 'Feuerwehr Hannover',
        org_unit_id: fire.id,
        status: 'active',
        review_overdue: true,
        editors_flagged: true,
        published_at: new Date('2021-01-01T00:00:00Z'),
        review_due: '2025-01-01',
      },
    ]);
  });

  it('lists every presence in every state with the internal flags, filtered by state, platform and unit (with sub-units)', async () => {
    const all = await admin.get(R).expect(200);
    expect(text(all.text)).toContain('4 Auftritte');
    expect(all.text).toMatch(/data-presence="\d+" data-status="closed"/);
    expect(all.text).toContain('data-flag="review_overdue"');
    expect(all.text).toContain('data-flag="editors_flagged"');

    const closed = await admin.get(`${R}?status=closed`).expect(200);
    expect(text(closed.text)).toContain('1 Auftritte');
    expect(text(closed.text)).toContain('+49 511 Museumshotline');
    const x = await admin.get(`${R}?plattform=x`).expect(200);
    expect(text(x.text)).toContain('Feuerwehr Hannover');
    expect(text(x.text)).not.toContain('Kulturbüro Hannover');
    const kultur = await admin.get(`${R}?einheit=41`).expect(200);
    expect(text(kultur.text)).toContain('2 Auftritte'); // 41 and 41.2
    const flagged = await admin.get(`${R}?markiert=1`).expect(200);
    expect(text(flagged.text)).toContain('1 Auftritte');
    // the filter form keeps its values
    expect(kultur.text).toMatch(/<option value="41" selected>/);
  });

  it('exports the register as CSV with the same filter', async () => {
    const res = await admin.get(`${R}.csv?einheit=41`).expect(200);
    expect(res.headers['content-disposition']).toMatch(/register\.csv/);
    const rows = csvRows(res.text);
    expect(rows[0]).toEqual([
      'id',
      'name',
      'platform',
      'account_id',
      'url',
      'status',
      'unit_code',
      'unit_name',
      'hannover_de_url',
      'published_at',
      'closed_at',
      'close_reason',
      'last_confirmed_at',
      'review_due',
      'review_overdue',
      'editors_flagged',
      'editors',
      'request_id',
    ]);
    expect(rows).toHaveLength(3);
    const published = rows.find((r) => r[0] === String(presenceId));
    expect(published?.slice(1, 8)).toEqual([
      'Kulturbüro Hannover',
      'facebook',
      'kulturbuero.hannover',
      'https://www.facebook.com/kulturbuero.hannover',
      'active',
      '41',
      'Fachbereich Kultur',
    ]);
    expect(published?.[16]).toBe('redaktion redaktion2');
    expect(published?.[17]).toBe(String(requestId));
    const closed = rows.find((r) => r[5] === 'closed');
    expect(closed?.[1]).toBe("'+49 511 Museumshotline");
    expect(closed?.[11]).toBe('Eingestellt');
    const everything = csvRows((await admin.get(`${R}.csv`).expect(200)).text);
    expect(everything).toHaveLength(5);
    expect(everything.find((r) => r[2] === 'x')?.slice(14, 16)).toEqual(['ja', 'ja']);
  });

  it('prints an approval record with every step, decider, deputy, date and comment', async () => {
    const res = await admin.get(`${R}/${presenceId}/nachweis`).expect(200);
    const html = res.text;
    const page = text(html);
    expect(page).toContain('Freigabenachweis: Kulturbüro Hannover');
    for (const step of ['unit_head', 'communications', 'data_protection', 'hannoverde']) {
      expect(html).toContain(`data-step="${step}" data-state="approved"`);
    }
    const decisions = [...html.matchAll(/data-decision="\d+" data-step="([a-z_]+)" data-outcome="approved"/g)].map(
      (m) => m[1],
    );
    expect(decisions).toEqual(['unit_head', 'data_protection', 'communications', 'hannoverde']);
    expect(page).toContain('Dr. Andrea Lange (leitung)');
    expect(page).toContain('Mehmet Demir (personalrat)');
    expect(page).toContain('Fatma Yılmaz (datenschutz)'); // on behalf of
    expect(page).toContain('Jonas Becker (kommunikation)');
    expect(page).toContain('Lena Hoffmann (hannoverde)');
    expect(page).toContain('Passt zur Kommunikationsstrategie des Fachbereichs.');
    expect(page).toContain('Datenschutzhinweis geprüft (in Vertretung).');
    expect(page).toContain('Verlinkt auf hannover.de.');
    expect(page).toContain('Redakteur*in hat Leitlinien und Dienstvereinbarung bestätigt');
    expect(page).toMatch(/\d{2}\.\d{2}\.\d{4}/); // dates
    // printable: the admin stylesheet with its print rules is requested
    const css = await admin.get('/assets/admin.css').expect(200);
    expect(css.text).toContain('@media print');

    const central = await db()('presences').where({ slug: 'hannover-de-facebook' }).first();
    const seeded = await admin.get(`${R}/${central.id}/nachweis`).expect(200);
    expect(seeded.text).toContain('data-testid="no-requests"');
    const en = await admin.get(`/en${R}/${presenceId}/nachweis`).expect(200);
    expect(text(en.text)).toContain('Approval record: Kulturbüro Hannover');
  });
});

describe('role mapping', () => {
  it('shows the directory group of each role and who holds it, and the unit heads', async () => {
    const res = await admin.get('/intern/verwaltung/rollen').expect(200);
    expect(res.text).toMatch(
      /data-role="communications"[\s\S]*?cn=smr-kommunikation,ou=groups,dc=hannover-stadt,dc=de[\s\S]*?data-holder="kommunikation"/,
    );
    expect(res.text).toMatch(/data-role="admin"[\s\S]*?data-holder="admin"/);
    expect(res.text).toMatch(/data-role="staff_council"[\s\S]*?data-holder="personalrat"/);
    expect(res.text).toContain('data-head="leitung" data-unit="41"');
    expect(text(res.text)).toContain('Das eingebaute Demo-Verzeichnis ist aktiv');
  });
});
