import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Element } from '@xmldom/xmldom';
import { parseSvg } from './svg-xml';
import { drawRoute } from '../../src/oversight/route-svg';
import { AENDERUNG_V1, DIENSTANWEISUNG_V1 } from '../../src/workflow/default-definitions';
import { catalogues } from '../../src/messages';
import type { MessageKey } from '../../src/i18n/keys';
import { datesFor } from '../../src/web/dates';
import { createTestContext, type TestContext } from '../helpers/app';
import { signIn } from '../helpers/http';
import { decide, fileRequest } from '../helpers/requests';
import { seedDemoUnits } from '../../src/demo/org-units';

const t = (key: MessageKey, params: Record<string, string | number> = {}) =>
  catalogues.de[key].replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? `{${k}}`));
const tEn = (key: MessageKey, params: Record<string, string | number> = {}) =>
  catalogues.en[key].replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? `{${k}}`));

// wrapped lines joined again, as a reader reads them
const texts = (el: Element) => Array.from(el.getElementsByTagName('text')).map((x) => x.textContent);
const stepGroups = (el: Element) =>
  Array.from(el.getElementsByTagName('g')).filter((g) => g.getAttribute('class')?.startsWith('route__step'));
const rectOf = (g: Element) => {
  const r = g.getElementsByTagName('rect')[0]!;
  return { x: Number(r.getAttribute('x')), y: Number(r.getAttribute('y')) };
};

describe('the route drawn as SVG', () => {
  const moment = datesFor('de').momentText;

  it('shows each state in words, who decided and when, and parallel steps side by side', () => {
    const svg = drawRoute({
      id: 'r1',
      definition: DIENSTANWEISUNG_V1,
      instance: {
        steps: {
          unit_head: {
            state: 'approved',
            decidedBy: 'leitung',
            onBehalfOf: 'chefin',
            decidedAt: '2026-03-02T09:05:00.000Z',
          },
          communications: { state: 'open', openedAt: '2026-03-02T09:05:00.000Z' },
          data_protection: {
            state: 'returned',
            decidedBy: 'datenschutz',
            decidedAt: '2026-03-04T13:30:00.000Z',
            comment: 'x',
          },
        },
      },
      locale: 'de',
      t,
      names: { leitung: 'Lea Leitung', chefin: 'Clara Chefin', datenschutz: 'Dana Datenschutz' },
      moment,
    });
    const root = parseSvg(svg);
    expect(root.getAttribute('role')).toBe('img');
    const [titleId, descId] = root.getAttribute('aria-labelledby')!.split(' ');
    expect(root.getElementsByTagName('title')[0]!.getAttribute('id')).toBe(titleId);
    expect(root.getElementsByTagName('desc')[0]!.getAttribute('id')).toBe(descId);
    expect(root.getElementsByTagName('title')[0]!.textContent).toContain('Antrag auf ein dienstliches');
    const desc = root.getElementsByTagName('desc')[0]!.textContent!;
    expect(desc).toContain('Datenschutz: zurückgegeben');
    expect(desc).toContain('Redaktion Hannover.de: wartet');

    const all = texts(root).join(' ');
    expect(all).toContain('Stand: freigegeben');
    expect(all).toContain('von Lea Leitung in Vertretung für Clara');
    expect(all).toContain('am 2. März 2026, 10:05 Uhr');
    expect(all).toContain('Stand: offen');
    expect(all).toContain('seit 2. März 2026, 10:05 Uhr');
    expect(all).toContain('Stand: zurückgegeben');
    expect(all).toContain('von Dana Datenschutz');
    expect(all).toContain('Stand: wartet');

    const groups = stepGroups(root);
    expect(groups.map((g) => g.getAttribute('class'))).toEqual([
      'route__step route__step--approved',
      'route__step route__step--open',
      'route__step route__step--returned',
      'route__step route__step--waiting',
    ]);
    const [head, comms, dp, hde] = groups.map(rectOf);
    // communications and data protection run in parallel: one row, two columns
    expect(comms!.y).toBe(dp!.y);
    expect(comms!.x).toBeLessThan(dp!.x);
    expect(head!.y).toBeLessThan(comms!.y);
    expect(hde!.y).toBeGreaterThan(comms!.y);
    // one arrow per "after" edge: 1 + 1 + 2
    expect(root.getElementsByTagName('polygon').length).toBe(4);
  });

  it('shows a skipped step of a change request as skipped, with the reason', () => {
    const svg = drawRoute({
      id: 'r2',
      definition: AENDERUNG_V1,
      instance: {
        steps: {
          communications: { state: 'approved', decidedBy: 'kommunikation', decidedAt: '2026-05-01T08:00:00.000Z' },
          hannoverde: { state: 'skipped' },
        },
      },
      locale: 'en',
      t: tEn,
      names: { kommunikation: 'Kai Kommunikation' },
      moment: datesFor('en').momentText,
    });
    const root = parseSvg(svg);
    const all = texts(root).join(' ');
    expect(all).toContain('State: not needed');
    expect(all).toContain('only needed when these change: name, url');
    expect(all).toContain('by Kai Kommunikation');
    expect(stepGroups(root)[1]!.getAttribute('class')).toBe('route__step route__step--skipped');
  });

  it('escapes names and draws a workflow version without states, naming each decider', () => {
    const svg = drawRoute({
      id: 'r3',
      definition: DIENSTANWEISUNG_V1,
      locale: 'de',
      t,
      moment,
    });
    const root = parseSvg(svg);
    const all = texts(root).join(' ');
    expect(all).toContain('Entscheidet: Leitung der Organisationseinheit');
    expect(all).toContain('Entscheidet: Datenschutz');
    expect(all).toContain('Veröffentlicht den Antrag');
    expect(all).not.toContain('Stand:');
    const hostile = drawRoute({
      id: 'r4',
      definition: DIENSTANWEISUNG_V1,
      instance: { steps: { unit_head: { state: 'approved', decidedBy: 'x', decidedAt: '2026-01-01T00:00:00Z' } } },
      locale: 'de',
      t,
      names: { x: '<script>alert(1)</script> & "Co"' },
      moment,
    });
    expect(hostile).not.toContain('<script>');
    expect(texts(parseSvg(hostile)).join(' ')).toContain('von <script>alert(1)</script>');
  });
});

describe('the route on the request page and on the workflow version page', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext();
    await seedDemoUnits(ctx.database.db);
  });
  afterAll(() => ctx.close());

  const svgOf = (html: string) => {
    const m = /<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" class="route"[\s\S]*?<\/svg>/.exec(html);
    expect(m).not.toBeNull();
    return parseSvg(m![0]);
  };

  it('a request waiting for the unit head shows the route with its states, beside the step list', async () => {
    const editor = await signIn(ctx.app, 'redaktion');
    const id = await fileRequest(editor);
    const head = await signIn(ctx.app, 'leitung');
    expect((await decide(head, id, 'unit_head')).status).toBe(303);
    const page = await editor.get(`/intern/antraege/${id}`).expect(200);
    const root = svgOf(page.text);
    const all = texts(root).join(' ');
    expect(all).toContain('Stand: freigegeben');
    expect(all).toContain('von Dr. Andrea Lange'); // the demo directory's unit head
    expect(stepGroups(root).filter((g) => g.getAttribute('class')!.endsWith('--open'))).toHaveLength(2);
    // the step list stays
    expect(page.text).toContain('data-step="communications" data-state="open"');

    const en = await editor.get(`/en/intern/antraege/${id}`).expect(200);
    expect(texts(svgOf(en.text)).join(' ')).toContain('State: approved');
  });

  it('the workflow version page draws the definition', async () => {
    const admin = await signIn(ctx.app, 'admin');
    const row = await ctx.database.db('workflow_definitions').where({ key: 'dienstanweisung' }).first('id');
    const page = await admin.get(`/intern/verwaltung/ablaeufe/${row.id}`).expect(200);
    expect(texts(svgOf(page.text)).join(' ')).toContain('Entscheidet: Redaktion Hannover.de');
  });
});
