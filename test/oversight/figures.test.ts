import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/app';
import { signIn } from '../helpers/http';
import { parseSvg } from './svg-xml';
import { NOW, seedFigures } from './seed';

/**
 * The process figures, as communications sees them: the page's tables, the CSV files and the
 * council report, checked against a seeded register whose numbers were worked out by hand
 * (test/oversight/seed.ts). Period: 1 January – 30 June 2026.
 */

let ctx: TestContext;
let agent: Awaited<ReturnType<typeof signIn>>;
const PERIOD = '?von=2026-01-01&bis=2026-06-30';

beforeAll(async () => {
  ctx = await createTestContext();
  await seedFigures(ctx.database.db);
  ctx.clock.set(NOW);
  agent = await signIn(ctx.app, 'kommunikation');
});
afterAll(() => ctx.close());

const strip = (html: string) =>
  html
    .replace(/<[^>]+>/g, '')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();

/** A figure's table on the page as rows of cell texts (header row first). */
function table(html: string, key: string): string[][] {
  const m = new RegExp(`<table[^>]*data-figure="${key}"[^>]*>([\\s\\S]*?)</table>`).exec(html);
  expect(m, `table ${key}`).not.toBeNull();
  return [...m![1]!.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((row) =>
    [...row[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => strip(c[1]!)),
  );
}

const csvLines = (text: string) =>
  text
    .replace(/^\uFEFF/, '')
    .trimEnd()
    .split('\r\n');

describe('process figures (/intern/auswertung)', () => {
  let html: string;
  beforeAll(async () => {
    html = (await agent.get(`/intern/auswertung${PERIOD}`).expect(200)).text;
  });

  it('requests in progress per step: open, overdue, escalated (today)', () => {
    expect(table(html, 'in-bearbeitung')).toEqual([
      ['Schritt', 'Offen', 'Davon überfällig', 'Davon eskaliert'],
      ['Presse- und Informationsamt (Kommunikation)', '2', '2', '1'],
      ['Datenschutz', '1', '0', '0'],
    ]);
  });

  it('lead times per step and end to end: median and 90th percentile in days', () => {
    // unit head: 1, 3, 5 and 2 days (R4's second round counts from its reopening) → median 2.5, p90 4.4
    // communications: 3 and 7 days → 5.0 and 6.6; end to end: 9 and 19 days → 14.0 and 18.0
    expect(table(html, 'durchlaufzeiten')).toEqual([
      ['Schritt', 'Anzahl', 'Median (Tage)', '90. Perzentil (Tage)'],
      ['Leitung der Organisationseinheit', '4', '2,5', '4,4'],
      ['Presse- und Informationsamt (Kommunikation)', '2', '5,0', '6,6'],
      ['Gesamt: Einreichung bis Veröffentlichung', '2', '14,0', '18,0'],
    ]);
  });

  it('overdue yearly confirmations by Dezernat', () => {
    expect(table(html, 'ueberfaellig')).toEqual([
      ['Dezernat', 'Überfällige Bestätigungen'],
      ['Dezernat I', '1'],
      ['Dezernat II', '1'],
    ]);
  });

  it('active presences per month by platform and by Dezernat', () => {
    expect(table(html, 'aktiv-plattform')).toEqual([
      ['Monat', 'Facebook', 'Instagram'],
      ['Jan. 2026', '3', '0'],
      ['Feb. 2026', '3', '1'],
      ['März 2026', '3', '1'],
      ['Apr. 2026', '2', '1'],
      ['Mai 2026', '2', '2'],
      ['Juni 2026', '2', '2'],
    ]);
    expect(table(html, 'aktiv-dezernat')).toEqual([
      ['Monat', 'Dezernat I', 'Dezernat II', 'Keinem Dezernat zugeordnet'],
      ['Jan. 2026', '1', '1', '1'],
      ['Feb. 2026', '2', '1', '1'],
      ['März 2026', '2', '1', '1'],
      ['Apr. 2026', '2', '0', '1'],
      ['Mai 2026', '2', '1', '1'],
      ['Juni 2026', '2', '1', '1'],
    ]);
  });

  it('new and closed presences per quarter', () => {
    expect(table(html, 'neu-geschlossen')).toEqual([
      ['Quartal', 'Neu', 'Geschlossen'],
      ['1. Quartal 2026', '2', '0'],
      ['2. Quartal 2026', '1', '1'],
    ]);
  });

  it('returns and rejections by step, with their reasons', () => {
    expect(table(html, 'rueckgaben')).toEqual([
      ['Schritt', 'Zurückgegeben', 'Abgelehnt'],
      ['Leitung der Organisationseinheit', '1', '0'],
      ['Presse- und Informationsamt (Kommunikation)', '0', '1'],
    ]);
    const reasons = /data-testid="reasons"[\s\S]*?<\/table>/.exec(html)![0];
    expect(reasons).toContain('Bitte Zielgruppe ergänzen.');
    expect(reasons).toContain('Doppelt zum zentralen Auftritt.');
  });

  it('every chart is an accessible SVG that parses as XML', () => {
    const svgs = [...html.matchAll(/<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" class="chart[\s\S]*?<\/svg>/g)];
    expect(svgs).toHaveLength(7);
    for (const [svg] of svgs) {
      const root = parseSvg(svg);
      expect(root.getAttribute('role')).toBe('img');
      expect(root.getElementsByTagName('title')[0]!.textContent).not.toBe('');
      // the values are written in the chart, not only drawn
      expect(root.getElementsByTagName('text').length).toBeGreaterThan(2);
    }
  });

  it('the CSV of a figure holds the table’s numbers, for the same period', async () => {
    const res = await agent.get(`/intern/auswertung/durchlaufzeiten.csv${PERIOD}`).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toContain('durchlaufzeiten_2026-01-01_2026-06-30.csv');
    expect(csvLines(res.text)).toEqual([
      'Schritt;Anzahl;Median (Tage);90. Perzentil (Tage)',
      'Leitung der Organisationseinheit;4;2,5;4,4',
      'Presse- und Informationsamt (Kommunikation);2;5,0;6,6',
      'Gesamt: Einreichung bis Veröffentlichung;2;14,0;18,0',
    ]);
    const en = await agent.get(`/en/intern/auswertung/aktiv-plattform.csv${PERIOD}`).expect(200);
    expect(csvLines(en.text).slice(0, 2)).toEqual(['Month;Facebook;Instagram', 'Jan 2026;3;0']);
  });

  it('a bad period is refused with the form kept and each error named; an unknown figure is not found', async () => {
    const res = await agent.get('/intern/auswertung?von=31.02.2026&bis=2026-13-01').expect(400);
    expect(res.text).toContain('href="#feld-von"');
    expect(res.text).toContain('href="#feld-bis"');
    expect(res.text).toContain('value="31.02.2026"');
    const order = await agent.get('/intern/auswertung?von=2026-06-01&bis=2026-01-01').expect(400);
    expect(order.text).toContain('Das Ende des Zeitraums darf nicht vor seinem Anfang liegen.');
    await agent.get('/intern/auswertung?von=2010-01-01&bis=2026-01-01').expect(400);
    await agent.get('/intern/auswertung/gibt-es-nicht.csv').expect(404);
    await agent.get('/intern/auswertung/durchlaufzeiten.csv?von=gestern').expect(400);
    // German date as typed without a date picker
    await agent.get('/intern/auswertung?von=1.1.2026&bis=30.06.2026').expect(200);
  });

  it('only communications, data protection and administrators see the figures', async () => {
    for (const uid of ['redaktion', 'leitung', 'hannoverde', 'personalrat']) {
      const other = await signIn(ctx.app, uid);
      await other.get('/intern/auswertung').expect(403);
      await other.get('/intern/auswertung/bericht?jahr=2026').expect(403);
      await other.get('/intern/auswertung/rueckgaben.csv').expect(403);
    }
    for (const uid of ['datenschutz', 'admin']) {
      const allowed = await signIn(ctx.app, uid);
      const home = await allowed.get('/intern');
      expect(home.status).toBe(200);
      expect(home.text).toContain('href="/intern/auswertung"');
      const r = await allowed.get('/intern/auswertung');
      expect(r.status).toBe(200);
    }
  });
});

describe('report to the council (/intern/auswertung/bericht)', () => {
  it('prints the year’s figures, every active presence by unit, what opened and closed — without navigation', async () => {
    const res = await agent.get('/intern/auswertung/bericht?jahr=2026').expect(200);
    const html = res.text;
    expect(html).toContain('<html lang="de">');
    expect(html).toContain('Bericht an den Rat: Dienstliche Social-Media-Angebote 2026');
    expect(html).toContain('href="/assets/report.css"');
    expect(html).not.toContain('class="site-nav"');
    // the year's figures: the whole of 2026 up to "now" (15 July): R3 now counts too
    expect(table(html, 'durchlaufzeiten')[3]).toEqual([
      'Gesamt: Einreichung bis Veröffentlichung',
      '3',
      '10,0',
      '17,2',
    ]);
    expect(table(html, 'neu-geschlossen').slice(1)).toEqual([
      ['1. Quartal 2026', '2', '0'],
      ['2. Quartal 2026', '1', '1'],
      ['3. Quartal 2026', '1', '0'],
      ['4. Quartal 2026', '0', '0'],
    ]);
    // active now (15 July 2026, P5 not yet published): central, P1, P2, P4 — grouped by unit
    expect(strip(/data-testid="active-count"[^>]*>([^<]*)</.exec(html)![1]!)).toBe('Stand: 15. Juli 2026. 4 Angebote.');
    const active = /data-testid="active"[\s\S]*?<\/table>/.exec(html)![0];
    expect([...active.matchAll(/scope="rowgroup"[^>]*>([^<]*)</g)].map((m) => m[1])).toEqual([
      'Hannover.de Internet GmbH',
      'Bereich A1',
      'Fachbereich A',
      'Fachbereich B',
    ]);
    const opened = /data-testid="eroeffnet"[\s\S]*?<\/table>/.exec(html)![0];
    expect([...opened.matchAll(/<td class="kern-table__cell">(Figures \d)</g)].map((m) => m[1])).toEqual([
      'Figures 3',
      'Figures 2',
      'Figures 4',
      'Figures 5',
    ]);
    const closed = /data-testid="geschlossen"[\s\S]*?<\/table>/.exec(html)![0];
    expect(closed).toContain('Figures 3');
    expect(closed).toContain('Aufgabe beendet');
    expect(html).toContain('data-testid="reassessments"');
  });

  it('a year that is not a year, or lies in the future, is refused with the error named', async () => {
    const res = await agent.get('/intern/auswertung/bericht?jahr=20x6').expect(400);
    expect(res.text).toContain('href="#feld-jahr"');
    expect(res.text).toContain('value="20x6"');
    await agent.get('/intern/auswertung/bericht?jahr=2027').expect(400);
    await agent.get('/intern/auswertung/bericht?jahr=1999').expect(400);
  });
});
