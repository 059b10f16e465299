import type { Locale } from '../i18n/keys';

/**
 * The one place where dates are formatted (issue 17): one format per kind of date, in
 * Hannover time (Europe/Berlin) whatever the server's time zone. Every formatter is built
 * once here; views and mails get the functions through `datesFor(locale)` (res.locals).
 * test/web/dates-single-source.test.ts fails if an ad-hoc format appears anywhere else.
 *
 *                de                              en
 *   dayText      1. Dezember 2026                1 December 2026
 *   dayTable     01.12.2026                      1 Dec 2026
 *   momentText   1. Dezember 2026, 14:05 Uhr     1 December 2026, 14:05
 *   momentTable  01.12.2026, 14:05               1 Dec 2026, 14:05
 *
 * English table days are "1 Dec 2026", not "01/12/2026": a numeric day/month order is read
 * the other way round by American readers (12 January), a short month name is unambiguous
 * for everybody and still fits a table cell. English times use 24 hours like the German
 * ones: the city's opening hours, deadlines and the German pages all count that way, and a
 * person switching languages sees the same time.
 *
 * Running text uses the *Text forms, table cells the *Table forms. A value is a Date, an
 * ISO timestamp, epoch milliseconds, or a calendar date 'YYYY-MM-DD' (DATE columns arrive
 * as such text): a calendar date is that day everywhere and never shifts by a time zone.
 * Empty or invalid values give '' (views add their own dash where a table needs one).
 */

export const TIME_ZONE = 'Europe/Berlin';

export type DateValue = Date | string | number | null | undefined;

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** The instant a value stands for; a calendar date becomes noon UTC, which is that day in Berlin. */
export function toInstant(value: DateValue): Date | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  const d = typeof value === 'string' && DATE_ONLY.test(value) ? new Date(`${value}T12:00:00Z`) : new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

const make = (locale: string, options: Intl.DateTimeFormatOptions) =>
  new Intl.DateTimeFormat(locale, { timeZone: TIME_ZONE, ...options });

const formats = {
  de: {
    dayText: make('de-DE', { day: 'numeric', month: 'long', year: 'numeric' }),
    dayTable: make('de-DE', { day: '2-digit', month: '2-digit', year: 'numeric' }),
    time: make('de-DE', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }),
  },
  en: {
    dayText: make('en-GB', { day: 'numeric', month: 'long', year: 'numeric' }),
    dayTable: make('en-GB', { day: 'numeric', month: 'short', year: 'numeric' }),
    time: make('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }),
  },
} as const satisfies Record<Locale, Record<string, Intl.DateTimeFormat>>;

/** 'YYYY-MM-DD' of the Berlin calendar day (en-CA writes exactly that). */
const isoDayFormat = make('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit' });
/** Wall-clock parts in Berlin, for calculations (working days, deadlines). */
const wallClockFormat = make('en-US', {
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
});
/** "GMT+01:00" / "GMT+02:00": Berlin's offset from UTC at an instant. */
const offsetFormat = make('en-US', { timeZoneName: 'longOffset' });

/** Berlin calendar day 'YYYY-MM-DD' of an instant (a calendar date is returned as it is). */
export function berlinIsoDay(value: DateValue): string {
  const d = toInstant(value);
  return d ? isoDayFormat.format(d) : '';
}

/** Berlin wall-clock parts of an instant (24 hours), for calculations: src/workflow/working-days.ts. */
export function berlinClockParts(d: Date): Intl.DateTimeFormatPart[] {
  return wallClockFormat.formatToParts(d);
}

/** Berlin's offset from UTC at an instant, in milliseconds (+1 h in winter, +2 h in summer). */
export function berlinOffsetMs(at: Date | number): number {
  const name = offsetFormat.formatToParts(new Date(at)).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  if (!match) return 0;
  return (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3])) * 60_000;
}

export type DateKind = 'dayText' | 'dayTable' | 'momentText' | 'momentTable';

export interface DateFormatters {
  dayText: (value: DateValue) => string;
  dayTable: (value: DateValue) => string;
  momentText: (value: DateValue) => string;
  momentTable: (value: DateValue) => string;
  /**
   * The same text inside `<time datetime="…">` (machine-readable: 'YYYY-MM-DD' for a day,
   * the UTC instant for a moment). Returns HTML: output it with `<%-`. The content is built
   * from digits and month names only, and escaped all the same.
   */
  timeTag: (kind: DateKind, value: DateValue) => string;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function build(locale: Locale): DateFormatters {
  const f = formats[locale];
  const uhr = locale === 'de' ? ' Uhr' : '';
  const fns = {
    dayText: (v: DateValue) => {
      const d = toInstant(v);
      return d ? f.dayText.format(d) : '';
    },
    dayTable: (v: DateValue) => {
      const d = toInstant(v);
      return d ? f.dayTable.format(d) : '';
    },
    momentText: (v: DateValue) => {
      const d = toInstant(v);
      return d ? `${f.dayText.format(d)}, ${f.time.format(d)}${uhr}` : '';
    },
    momentTable: (v: DateValue) => {
      const d = toInstant(v);
      return d ? `${f.dayTable.format(d)}, ${f.time.format(d)}` : '';
    },
  };
  return {
    ...fns,
    timeTag(kind, value) {
      const d = toInstant(value);
      if (!d) return '';
      const machine = kind.startsWith('day') ? isoDayFormat.format(d) : d.toISOString();
      return `<time datetime="${escapeHtml(machine)}">${escapeHtml(fns[kind](d))}</time>`;
    },
  };
}

const perLocale: Record<Locale, DateFormatters> = { de: build('de'), en: build('en') };

/** The formatters of a locale (built once per process). */
export function datesFor(locale: Locale): DateFormatters {
  return perLocale[locale] ?? perLocale.de;
}
