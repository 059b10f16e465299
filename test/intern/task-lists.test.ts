import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/app';
import { signIn } from '../helpers/http';
import { fileRequest } from '../helpers/requests';
import { seedDemoUnits } from '../../src/demo/org-units';
import { syncWaits } from '../../src/requests/waits';
import type { Instance } from '../../src/workflow/core';

/**
 * "Meine Aufgaben" and the request list with known data (#15): filters, sorting, paging and
 * the CSV download, through the real app, and bad query values answered with a 400 page.
 */
let ctx: TestContext;
type Agent = Awaited<ReturnType<typeof signIn>>;
let editor: Agent;
let head: Agent;
let comms: Agent;
const NOW = new Date('2027-03-01T10:00:00Z');
const DAY = 86_400_000;

/** Copies a request in review (same instance, its own title, unit, platform and opening time). */
async function copyOf(
  sourceId: number,
  opts: { title: string; unit?: string; platform?: string; url?: string; openedAt: Date },
): Promise<number> {
  const db = ctx.database.db;
  const source = await db('requests').where({ id: sourceId }).first();
  const unit = opts.unit ? await db('org_units').where({ code: opts.unit }).first('id') : undefined;
  const data = {
    ...source.data,
    name: opts.title,
    orgUnit: opts.unit ?? source.data.orgUnit,
    platform: opts.platform ?? source.data.platform,
    url: opts.url ?? `https://www.facebook.com/${opts.title.toLowerCase().replace(/\W+/g, '')}`,
  };
  const [row] = await db('requests')
    .insert({
      ...Object.fromEntries(Object.entries(source).filter(([k]) => k !== 'id')),
      title: opts.title,
      data: JSON.stringify(data),
      org_unit_id: unit?.id ?? source.org_unit_id,
      updated_at: opts.openedAt,
    })
    .returning('id');
  const instance = await db('workflow_instances').where({ request_id: sourceId }).first();
  const state: Instance = {
    ...instance.state,
    unit: data.orgUnit,
    steps: { ...instance.state.steps, unit_head: { state: 'open', openedAt: opts.openedAt.toISOString() } },
  };
  await db('workflow_instances').insert({
    request_id: row.id,
    definition_id: instance.definition_id,
    status: 'in_review',
    state: JSON.stringify(state),
    revision: 1,
  });
  const definition = (await db('workflow_definitions').where({ id: instance.definition_id }).first()).definition;
  await syncWaits(db, row.id, definition, state);
  return row.id;
}

const rowsOf = (html: string) =>
  [...html.matchAll(/<tr class="kern-table__row" data-request="(\d+)"/g)].map((m) => Number(m[1]));
const csvLines = (text: string) =>
  text
    .replace(/^\uFEFF/, '')
    .trim()
    .split('\r\n');

let original: number;
const copies: number[] = [];
let museum: number;
let instagram: number;
let formula: number;
beforeAll(async () => {
  ctx = await createTestContext();
  await seedDemoUnits(ctx.database.db);
  ctx.clock.set(new Date(NOW.getTime() - 2 * DAY));
  original = await fileRequest(await signIn(ctx.app, 'redaktion'), { name: 'Kulturbüro Original' });
  ctx.clock.set(NOW);
  editor = await signIn(ctx.app, 'redaktion');
  head = await signIn(ctx.app, 'leitung');
  comms = await signIn(ctx.app, 'kommunikation');
  // 52 more at the unit head's step, each opened a day before the next (the oldest 60 days ago)
  for (let i = 0; i < 52; i++)
    copies.push(
      await copyOf(original, {
        title: `Kulturreihe ${String(i).padStart(2, '0')}`,
        openedAt: new Date(NOW.getTime() - (60 - i) * DAY),
      }),
    );
  museum = await copyOf(original, {
    title: 'Museum August Kestner',
    unit: '41.2',
    openedAt: new Date(NOW.getTime() - 3 * DAY),
  });
  instagram = await copyOf(original, {
    title: 'Bildband Hannover',
    platform: 'instagram',
    url: 'https://www.instagram.com/bildband.hannover',
    openedAt: new Date(NOW.getTime() - DAY),
  });
  formula = await copyOf(original, { title: '=HYPERLINK("x")', openedAt: new Date(NOW.getTime() - 4 * DAY) });
}, 120_000);
afterAll(() => ctx.close());

describe('Meine Aufgaben', () => {
  it('pages the unit head’s tasks, longest waiting first, with step and “since” columns', async () => {
    const page1 = await head.get('/intern').expect(200);
    expect(page1.text).toContain('56 Einträge, Seite 1 von 2');
    const first = rowsOf(page1.text);
    expect(first).toHaveLength(50);
    expect(first[0]).toBe(copies[0]); // opened 60 days ago
    expect(first.slice(0, 3)).toEqual(copies.slice(0, 3));
    expect(page1.text).toMatch(/<th class="kern-table__cell" scope="col">Wartet bei Schritt<\/th>/);
    expect(page1.text).toMatch(/<th class="kern-table__cell" scope="col">Seit<\/th>/);
    const page2 = await head.get('/intern?seite=2').expect(200);
    const second = rowsOf(page2.text);
    expect(second).toHaveLength(6);
    expect(new Set([...first, ...second]).size).toBe(56);
    expect(second).toContain(instagram);
  });

  it('filters by free text, unit with its sub-units, platform, step and overdue', async () => {
    expect(rowsOf((await head.get('/intern?q=kestner').expect(200)).text)).toEqual([museum]);
    expect(rowsOf((await head.get('/intern?q=bildband.hannover').expect(200)).text)).toEqual([instagram]); // the account
    expect(rowsOf((await head.get('/intern?einheit=41.2').expect(200)).text)).toEqual([museum]);
    const withSubUnits = await head.get('/intern?einheit=41&seite=2').expect(200);
    expect(withSubUnits.text).toContain('56 Einträge');
    expect(rowsOf((await head.get('/intern?plattform=instagram').expect(200)).text)).toEqual([instagram]);
    expect((await head.get('/intern?schritt=communications').expect(200)).text).toContain('data-testid="tasks-none"');
    // the reminder falls due after 5 working days: those opened a week or more ago are overdue
    const overdue = rowsOf((await head.get('/intern?ueberfaellig=ja&seite=2').expect(200)).text);
    const overduePage1 = await head.get('/intern?ueberfaellig=ja').expect(200);
    expect(overduePage1.text).toContain('52 Einträge');
    expect([...rowsOf(overduePage1.text), ...overdue]).not.toContain(museum);
    expect(overduePage1.text).toContain('Frist überschritten');
  });

  it('sorts by deadline, nearest first', async () => {
    const rows = rowsOf((await head.get('/intern?sortierung=frist&q=kulturreihe').expect(200)).text);
    expect(rows.slice(0, 2)).toEqual(copies.slice(0, 2));
  });

  it('downloads the filtered tasks as CSV, with formulas neutralised', async () => {
    const res = await head.get('/intern/aufgaben.csv?q=%3DHYPER').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toContain('aufgaben.csv');
    const lines = csvLines(res.text);
    expect(lines[0]).toBe(
      'Nr.;Antrag;Organisationseinheit;Plattform;Adresse;Wartet bei Schritt;Seit;Frist;Frist überschritten',
    );
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(new RegExp(`^${formula};"'=HYPERLINK\\(""x""\\)";`));
    expect(lines[1]).toContain('Leitung der Organisationseinheit');
    const all = csvLines((await head.get('/intern/aufgaben.csv').expect(200)).text);
    expect(all).toHaveLength(57); // header and every task, not one page
  });

  it('answers bad filter values with the page, the error named, 400', async () => {
    const cases: Array<[string, string]> = [
      ['/intern?sortierung=zufall', 'Wählen Sie eine Sortierung aus der Liste.'],
      ['/intern?seite=0', 'Die Seitenzahl ist ungültig.'],
      ['/intern?schritt=buergermeister', 'Diesen Schritt gibt es nicht.'],
      ['/intern?einheit=99', 'Diese Organisationseinheit gibt es nicht.'],
      ['/intern?plattform=myspace', 'Diese Plattform gibt es nicht.'],
      ['/intern?ueberfaellig=vielleicht', 'Wählen Sie „Nur mit überschrittener Frist“ an oder ab.'],
      ['/intern?q=a&q=b', 'Diese Angabe ist ungültig.'],
      [`/intern?q=${'x'.repeat(101)}`, 'Der Eintrag ist zu lang.'],
    ];
    for (const [url, message] of cases) {
      const res = await head.get(url);
      expect(res.status, url).toBe(400);
      expect(res.text, url).toContain(message);
      expect(res.text, url).toContain('id="fehler"');
    }
    // the CSV of a bad filter leads to the page that names the problem
    const csv = await head.get('/intern/aufgaben.csv?sortierung=zufall');
    expect(csv.status).toBe(303);
    expect(csv.headers.location).toBe('/intern?sortierung=zufall');
  });

  it('shows the author no decisions of their own requests', async () => {
    const own = await editor.get('/intern').expect(200);
    expect(own.text).not.toContain('data-testid="tasks"');
  });
});

describe('the request list of the central offices', () => {
  it('shows where each request waits and since when; filters by state and step; pages', async () => {
    const page = await comms.get('/intern/antraege?schritt=unit_head&sortierung=wartezeit').expect(200);
    expect(page.text).toContain('56 Einträge, Seite 1 von 2');
    const rows = rowsOf(page.text);
    expect(rows[0]).toBe(copies[0]);
    expect(page.text).toMatch(
      new RegExp(
        `data-request="${copies[0]}"[\\s\\S]*?data-testid="waiting-at"><ul class="kern-list plain-list"><li data-step="unit_head">Leitung der Organisationseinheit</li>`,
      ),
    );
    expect(rowsOf((await comms.get('/intern/antraege?stand=published').expect(200)).text)).toEqual([]);
    expect(rowsOf((await comms.get('/intern/antraege?q=Kestner&stand=in_review').expect(200)).text)).toEqual([museum]);
    expect((await comms.get('/intern/antraege?stand=erfunden')).status).toBe(400);
  });

  it('downloads the selection as CSV for the press office', async () => {
    const res = await comms.get('/intern/antraege.csv?einheit=41.2').expect(200);
    const lines = csvLines(res.text);
    expect(lines[0]).toBe(
      'Nr.;Antrag;Organisationseinheit;Plattform;Adresse;Stand;Wartet bei Schritt;Seit;Frist;Zuletzt geändert',
    );
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(`${museum};Museum August Kestner;`);
    expect(lines[1]).toContain(';In Prüfung;Leitung der Organisationseinheit;');
  });

  it('gives the press office no tasks at a step that is not theirs', async () => {
    const res = await comms.get('/intern').expect(200);
    expect(res.text).not.toContain('data-testid="tasks"');
    expect(res.text).toContain('data-testid="nothing-to-do"');
  });
});
