import type { Knex } from 'knex';
import { z } from 'zod';
import type { Locale, MessageKey, Translate } from '../i18n/keys';
import { isCalendarDate, isoDay } from '../limits';
import { berlinIsoDay, berlinOffsetMs } from '../web/dates';
import * as store from './store';
import { barChart, lineChart } from './svg';

/**
 * The process figures: the period a person chose, the figures for it (each a table with a
 * chart drawn from the same numbers, and a CSV), and the council report's lists. SQL does
 * the counting (./store); this module turns days, months and quarters of Hannover time into
 * instants and labels the results in the page's language.
 */

export const FIGURE_KEYS = [
  'in-bearbeitung',
  'durchlaufzeiten',
  'ueberfaellig',
  'aktiv-plattform',
  'aktiv-dezernat',
  'neu-geschlossen',
  'rueckgaben',
] as const;
export type FigureKey = (typeof FIGURE_KEYS)[number];

export interface Figure {
  key: FigureKey;
  title: string;
  /** What the figure counts, for the page and for screen readers (the chart's <desc>). */
  desc: string;
  chart: 'bars' | 'lines';
  rowHeader: string;
  columns: string[];
  /** Columns the chart draws (all when absent): counts and days do not share one axis. */
  chartColumns?: number[];
  rows: Array<{ label: string; values: Array<number | null> }>;
  decimals: number;
}

// ---------------------------------------------------------------- the period

/** The longest period one page shows: five years of months. */
const MAX_MONTHS = 60;

export interface Period {
  /** 'YYYY-MM-DD', both inclusive */
  from: string;
  to: string;
}

const day = z
  .string()
  .trim()
  .max(10, 'oversight.period.invalid')
  .transform((v) => isoDay(v))
  .refine((v) => v === '' || isCalendarDate(v), 'oversight.period.invalid');

/** The period chooser (GET): both fields optional; empty means the default. */
export const periodSchema = z.strictObject({ von: day.optional(), bis: day.optional() }).superRefine((v, ctx) => {
  if (!v.von || !v.bis) return;
  if (v.von > v.bis) ctx.addIssue({ code: 'custom', path: ['bis'], message: 'oversight.period.order' });
  else if (monthsBetween(v.von, v.bis) > MAX_MONTHS)
    ctx.addIssue({ code: 'custom', path: ['bis'], message: 'oversight.period.tooLong' });
  if (v.von < '2000-01-01') ctx.addIssue({ code: 'custom', path: ['von'], message: 'oversight.period.tooEarly' });
});

const monthsBetween = (from: string, to: string) =>
  (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 + Number(to.slice(5, 7)) - Number(from.slice(5, 7)) + 1;

/** Without a choice: the last twelve months, this one included. */
export function resolvePeriod(input: { von?: string; bis?: string }, now: Date): Period {
  const today = berlinIsoDay(now);
  const to = input.bis || (input.von && input.von > today ? input.von : today);
  let from = input.von;
  if (!from) {
    const y = Number(to.slice(0, 4));
    const m = Number(to.slice(5, 7)) - 11;
    const start = new Date(Date.UTC(y, m - 1, 1));
    from = start.toISOString().slice(0, 10);
  }
  return { from, to };
}

export const yearPeriod = (year: number): Period => ({ from: `${year}-01-01`, to: `${year}-12-31` });

/** Midnight in Hannover at the start of a calendar day. */
export function berlinMidnight(isoDate: string): Date {
  const utc = Date.UTC(Number(isoDate.slice(0, 4)), Number(isoDate.slice(5, 7)) - 1, Number(isoDate.slice(8, 10)));
  return new Date(utc - berlinOffsetMs(utc));
}

const addDays = (isoDate: string, days: number) =>
  new Date(Date.parse(`${isoDate}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** The instants the period runs between (the end is the midnight after its last day). */
export const rangeOf = (p: Period): store.Range => ({
  from: berlinMidnight(p.from),
  to: berlinMidnight(addDays(p.to, 1)),
});

/** Months of the period: their label parts and the instant each is counted at (its end, or now, or the period's end). */
export function monthsOf(p: Period, now: Date): Array<{ year: number; month: number; at: Date }> {
  const out: Array<{ year: number; month: number; at: Date }> = [];
  const end = rangeOf(p).to;
  let y = Number(p.from.slice(0, 4));
  let m = Number(p.from.slice(5, 7));
  const lastY = Number(p.to.slice(0, 4));
  const lastM = Number(p.to.slice(5, 7));
  while (y < lastY || (y === lastY && m <= lastM)) {
    const next = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
    const at = new Date(Math.min(berlinMidnight(next).getTime(), end.getTime(), now.getTime()));
    out.push({ year: y, month: m, at });
    m += 1;
    if (m === 13) {
      m = 1;
      y += 1;
    }
  }
  return out;
}

/** Quarters the period touches, each cut to the period. */
export function quartersOf(p: Period): Array<{ year: number; quarter: number; range: store.Range }> {
  const out: Array<{ year: number; quarter: number; range: store.Range }> = [];
  const whole = rangeOf(p);
  let y = Number(p.from.slice(0, 4));
  let q = Math.floor((Number(p.from.slice(5, 7)) - 1) / 3) + 1;
  const lastY = Number(p.to.slice(0, 4));
  const lastQ = Math.floor((Number(p.to.slice(5, 7)) - 1) / 3) + 1;
  while (y < lastY || (y === lastY && q <= lastQ)) {
    const start = berlinMidnight(`${y}-${String(q * 3 - 2).padStart(2, '0')}-01`);
    const end = berlinMidnight(q === 4 ? `${y + 1}-01-01` : `${y}-${String(q * 3 + 1).padStart(2, '0')}-01`);
    out.push({
      year: y,
      quarter: q,
      range: {
        from: new Date(Math.max(start.getTime(), whole.from.getTime())),
        to: new Date(Math.min(end.getTime(), whole.to.getTime())),
      },
    });
    q += 1;
    if (q === 5) {
      q = 1;
      y += 1;
    }
  }
  return out;
}

// ---------------------------------------------------------------- labelled figures

export interface Labels {
  t: Translate;
  locale: Locale;
}

export function numberFormat(locale: Locale, decimals: number) {
  const f = new Intl.NumberFormat(locale === 'de' ? 'de-DE' : 'en-GB', {
    minimumFractionDigits: decimals,
    maximumFractionDigits: decimals,
    useGrouping: false,
  });
  return (v: number | null) => (v === null ? '–' : f.format(v));
}

const monthLabel = (l: Labels, year: number, month: number) =>
  `${l.t('oversight.months').split(',')[month - 1]} ${year}`;

export function createFigureService(deps: { db: Knex; clock: () => Date }) {
  const { db, clock } = deps;

  async function stepLabel(l: Labels): Promise<(id: string) => string> {
    const names = await store.stepNames(db);
    return (id) => names.get(id)?.[l.locale] ?? id;
  }

  /** Rows by step in route order (the order the definitions name the steps), unknown ids last. */
  async function inRouteOrder<T extends { step_id: string | null }>(rows: T[]): Promise<T[]> {
    const order = [...(await store.stepNames(db)).keys()];
    const rank = (id: string | null) => (id === null ? Infinity : order.indexOf(id) === -1 ? 1e6 : order.indexOf(id));
    return [...rows].sort((a, b) => rank(a.step_id) - rank(b.step_id));
  }

  const noDezernat = (l: Labels, name: string | null) => name ?? l.t('oversight.noDezernat');

  /** Months × groups from activeAt rows; groups in the order SQL gave them (sort order, name). */
  function matrix(
    rows: store.ActiveAt[],
    months: ReturnType<typeof monthsOf>,
    l: Labels,
  ): { columns: string[]; rows: Figure['rows'] } {
    const keys: Array<string | null> = [];
    const names = new Map<string | null, string | null>();
    for (const r of rows)
      if (!names.has(r.group_key)) {
        keys.push(r.group_key);
        names.set(r.group_key, r.group_name);
      }
    // groups without a key ("no Dezernat") last
    keys.sort((a, b) => (a === null ? 1 : 0) - (b === null ? 1 : 0));
    return {
      columns: keys.map((k) => noDezernat(l, names.get(k) ?? null)),
      rows: months.map((m, i) => ({
        label: monthLabel(l, m.year, m.month),
        values: keys.map((k) => rows.find((r) => r.i === i && r.group_key === k)?.n ?? 0),
      })),
    };
  }

  async function figure(key: FigureKey, period: Period, l: Labels): Promise<Figure> {
    const { t } = l;
    const range = rangeOf(period);
    const base = {
      key,
      title: t(`oversight.figure.${key}` as MessageKey),
      desc: t(`oversight.figure.${key}.desc` as MessageKey),
    };
    switch (key) {
      case 'in-bearbeitung': {
        const name = await stepLabel(l);
        const rows = await inRouteOrder(await store.openSteps(db));
        return {
          ...base,
          chart: 'bars',
          rowHeader: t('oversight.col.step'),
          columns: [t('oversight.col.open'), t('oversight.col.overdue'), t('oversight.col.escalated')],
          rows: rows.map((r) => ({ label: name(r.step_id), values: [r.open, r.overdue, r.escalated] })),
          decimals: 0,
        };
      }
      case 'durchlaufzeiten': {
        const name = await stepLabel(l);
        const rows = await inRouteOrder(await store.leadTimes(db, range));
        return {
          ...base,
          chart: 'bars',
          rowHeader: t('oversight.col.step'),
          columns: [t('oversight.col.count'), t('oversight.col.median'), t('oversight.col.p90')],
          chartColumns: [1, 2],
          rows: rows.map((r) => ({
            label: r.step_id === null ? t('oversight.endToEnd') : name(r.step_id),
            values: [r.n, round1(r.median), round1(r.p90)],
          })),
          decimals: 1,
        };
      }
      case 'ueberfaellig': {
        const rows = await store.overdueConfirmations(db);
        return {
          ...base,
          chart: 'bars',
          rowHeader: t('oversight.col.dezernat'),
          columns: [t('oversight.col.overdueConfirmations')],
          rows: rows.map((r) => ({ label: noDezernat(l, r.dezernat_name), values: [r.n] })),
          decimals: 0,
        };
      }
      case 'aktiv-plattform':
      case 'aktiv-dezernat': {
        const months = monthsOf(period, clock());
        const rows = await store.activeAt(
          db,
          months.map((m) => m.at),
          key === 'aktiv-plattform' ? 'platform' : 'dezernat',
        );
        return {
          ...base,
          chart: 'lines',
          rowHeader: t('oversight.col.month'),
          ...matrix(rows, months, l),
          decimals: 0,
        };
      }
      case 'neu-geschlossen': {
        const quarters = quartersOf(period);
        const counts = await store.openedAndClosed(
          db,
          quarters.map((q) => q.range),
        );
        return {
          ...base,
          chart: 'bars',
          rowHeader: t('oversight.col.quarter'),
          columns: [t('oversight.col.opened'), t('oversight.col.closed')],
          rows: quarters.map((q, i) => ({
            label: t('oversight.quarter', { quarter: q.quarter, year: q.year }),
            values: [counts[i]?.opened ?? 0, counts[i]?.closed ?? 0],
          })),
          decimals: 0,
        };
      }
      case 'rueckgaben': {
        const name = await stepLabel(l);
        const rows = await inRouteOrder(await store.returnsAndRejections(db, range));
        return {
          ...base,
          chart: 'bars',
          rowHeader: t('oversight.col.step'),
          columns: [t('oversight.col.returned'), t('oversight.col.rejected')],
          rows: rows.map((r) => ({ label: name(r.step_id), values: [r.returned, r.rejected] })),
          decimals: 0,
        };
      }
    }
  }

  return {
    figure,
    figures: (period: Period, l: Labels) => Promise.all(FIGURE_KEYS.map((k) => figure(k, period, l))),
    async reasons(period: Period, l: Labels) {
      const name = await stepLabel(l);
      return (await store.reasons(db, rangeOf(period))).map((r) => ({ ...r, step_name: name(r.step_id) }));
    },
    /** The council report's lists: active at the year's end (or now), opened and closed in it. */
    async yearLists(period: Period) {
      const range = rangeOf(period);
      const at = new Date(Math.min(range.to.getTime(), clock().getTime()));
      return {
        activeAt: at,
        active: await store.presencesActiveAt(db, at),
        opened: await store.presencesWhere(db, 'published_at', range),
        closed: await store.presencesWhere(db, 'closed_at', range),
        // the platform re-assessment (issue 13, part B) brings this table; until then the report says so
        reassessmentsAvailable: await store.hasTable(db, 'reassessments'),
      };
    },
  };
}

export type FigureService = ReturnType<typeof createFigureService>;

const round1 = (v: number | null) => (v === null ? null : Math.round(v * 10) / 10);

/** The figure's chart as SVG, drawn from the same rows the table shows. */
export function chartOf(figure: Figure, l: Labels, id = `grafik-${figure.key}`): string {
  const cols = figure.chartColumns ?? figure.columns.map((_, i) => i);
  const input = {
    id,
    title: figure.title,
    desc: `${figure.desc} ${l.t('oversight.tableBelow')}`,
    categories: figure.rows.map((r) => r.label),
    series: cols.map((c) => ({ name: figure.columns[c]!, values: figure.rows.map((r) => r.values[c] ?? null) })),
    format: numberFormat(l.locale, figure.decimals),
  };
  return figure.chart === 'lines' ? lineChart(input) : barChart(input);
}

/** The table's cells as text: counts whole, the chart's columns with the figure's decimals. */
export function cellsOf(figure: Figure, l: Labels): string[][] {
  const format = numberFormat(l.locale, figure.decimals);
  const count = numberFormat(l.locale, 0);
  return figure.rows.map((r) =>
    r.values.map((v, i) => (figure.chartColumns && !figure.chartColumns.includes(i) ? count(v) : format(v))),
  );
}

/** The figure as CSV: the table's header and cells, row labels first. */
export function csvOf(figure: Figure, l: Labels): { header: string[]; rows: string[][] } {
  const cells = cellsOf(figure, l);
  return {
    header: [figure.rowHeader, ...figure.columns],
    rows: figure.rows.map((r, i) => [r.label, ...cells[i]!]),
  };
}
