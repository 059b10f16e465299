/**
 * Working days in Hannover: Monday to Friday, except the public holidays of Lower Saxony.
 * Deadlines are counted in calendar days of Europe/Berlin, whatever time zone the server runs in.
 *
 * Berlin time comes from src/web/dates.ts (one algorithm for the whole app). The holidays stay a
 * short hand-written table rather than the `date-holidays` package: the workflow core stays free
 * of dependencies (and of a data set for 200 countries loaded at start), and the table is checked
 * against `new Holidays('DE', 'NI')` (public holidays only) for every year 1995–2100 in
 * test/workflow/working-days.test.ts, so it cannot silently drift from the maintained data.
 */

import { berlinClockParts, berlinOffsetMs } from '../web/dates';

const MS_PER_DAY = 86_400_000;

/** A calendar date as days since 1970-01-01 (no time, no zone); makes day arithmetic exact. */
type DayNumber = number;

export interface CalendarDate {
  year: number;
  month: number; // 1-12
  day: number;
}

interface WallClock extends CalendarDate {
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

function berlinWallClock(instant: Date): WallClock {
  const parts: Record<string, number> = {};
  for (const part of berlinClockParts(instant)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const field = (name: string) => {
    const value = parts[name];
    if (value === undefined || Number.isNaN(value))
      throw new RangeError(`cannot read ${name} of ${instant.toISOString()}`);
    return value;
  };
  return {
    year: field('year'),
    month: field('month'),
    day: field('day'),
    hour: field('hour'),
    minute: field('minute'),
    second: field('second'),
    millisecond: instant.getUTCMilliseconds(),
  };
}

/** The calendar date in Hannover at this instant. */
export function berlinDate(instant: Date): CalendarDate {
  const { year, month, day } = berlinWallClock(instant);
  return { year, month, day };
}

/** The instant at which Hannover's clocks show this wall-clock time. */
function fromBerlinWallClock(wall: WallClock): Date {
  const asIfUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second, wall.millisecond);
  // Berlin is UTC+1 or UTC+2; take the offset in force near the target, then correct once
  // in case the guess landed on the other side of a DST switch.
  let instant = asIfUtc - berlinOffsetMs(asIfUtc);
  instant = asIfUtc - berlinOffsetMs(instant);
  return new Date(instant);
}

const toDayNumber = (d: CalendarDate): DayNumber => Date.UTC(d.year, d.month - 1, d.day) / MS_PER_DAY;

function fromDayNumber(n: DayNumber): CalendarDate {
  const d = new Date(n * MS_PER_DAY);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** Easter Sunday (Gregorian), by the anonymous Gregorian algorithm (Meeus/Jones/Butcher). */
export function easterSunday(year: number): CalendarDate {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return { year, month, day };
}

export interface PublicHoliday {
  date: CalendarDate;
  name: string;
}

/** Statutory public holidays of Lower Saxony (Niedersachsen) in a year, in date order. */
export function publicHolidays(year: number): PublicHoliday[] {
  const easter = toDayNumber(easterSunday(year));
  const fixed = (month: number, day: number, name: string): PublicHoliday => ({ date: { year, month, day }, name });
  const movable = (offset: number, name: string): PublicHoliday => ({ date: fromDayNumber(easter + offset), name });
  return [
    fixed(1, 1, 'Neujahr'),
    movable(-2, 'Karfreitag'),
    movable(1, 'Ostermontag'),
    fixed(5, 1, 'Tag der Arbeit'),
    movable(39, 'Christi Himmelfahrt'),
    movable(50, 'Pfingstmontag'),
    fixed(10, 3, 'Tag der Deutschen Einheit'),
    // a holiday in Lower Saxony since 2018 (law of 21 June 2018), and in 2017 in all of Germany
    // (the 500th anniversary of the Reformation); before that a working day
    ...(year >= 2017 ? [fixed(10, 31, 'Reformationstag')] : []),
    fixed(12, 25, '1. Weihnachtstag'),
    fixed(12, 26, '2. Weihnachtstag'),
  ].sort((x, y) => toDayNumber(x.date) - toDayNumber(y.date));
}

// Holidays are asked for the same few years over and over; the cache is a pure memo.
const holidayCache = new Map<number, Set<DayNumber>>();

function isHolidayDay(n: DayNumber): boolean {
  const { year } = fromDayNumber(n);
  let days = holidayCache.get(year);
  if (!days) {
    days = new Set(publicHolidays(year).map((h) => toDayNumber(h.date)));
    holidayCache.set(year, days);
  }
  return days.has(n);
}

function isWorkingDayNumber(n: DayNumber): boolean {
  const weekday = (((n + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday; 0 = Sunday
  return weekday !== 0 && weekday !== 6 && !isHolidayDay(n);
}

/** Whether the Berlin calendar day of this instant is a working day. */
export function isWorkingDay(instant: Date): boolean {
  return isWorkingDayNumber(toDayNumber(berlinDate(instant)));
}

/**
 * The instant `days` working days after `start` (before it, if negative), at the same Berlin
 * wall-clock time. Working days are counted after the start day, so adding 1 on a Friday gives
 * the next Monday (if that is no holiday).
 */
export function addWorkingDays(start: Date, days: number): Date {
  if (!Number.isInteger(days)) throw new RangeError(`days must be an integer, got ${days}`);
  const wall = berlinWallClock(start);
  const direction = days < 0 ? -1 : 1;
  let n = toDayNumber(wall);
  for (let remaining = Math.abs(days); remaining > 0;) {
    n += direction;
    if (isWorkingDayNumber(n)) remaining -= 1;
  }
  return fromBerlinWallClock({ ...wall, ...fromDayNumber(n) });
}

/**
 * Working days from a to b: the working days after a's Berlin calendar day up to and including
 * b's (negated if b is before a). For n >= 0 it inverts addWorkingDays:
 * workingDaysBetween(a, addWorkingDays(a, n)) === n.
 */
export function workingDaysBetween(a: Date, b: Date): number {
  const from = toDayNumber(berlinDate(a));
  const to = toDayNumber(berlinDate(b));
  const [low, high, sign] = from <= to ? [from, to, 1] : [to, from, -1];
  let count = 0;
  for (let n = low + 1; n <= high; n++) if (isWorkingDayNumber(n)) count += sign;
  return count;
}
