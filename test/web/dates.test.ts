import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { berlinIsoDay, berlinOffsetMs, datesFor, toInstant } from '../../src/web/dates';

/**
 * One date format per kind of date (issue 17): the module's four kinds in both languages,
 * in Hannover time, across the daylight-saving changes, and calendar dates that never
 * shift by a day — plus a guard that no ad-hoc format creeps back into views or code.
 */
const de = datesFor('de');
const en = datesFor('en');

describe('date formats', () => {
  // 13:05 UTC on 1 December 2026 is 14:05 in Hannover (winter time, UTC+1)
  const winter = new Date('2026-12-01T13:05:00Z');

  it('writes a day and a moment the same way in text and in tables, per language', () => {
    expect(de.dayText(winter)).toBe('1. Dezember 2026');
    expect(de.dayTable(winter)).toBe('01.12.2026');
    expect(de.momentText(winter)).toBe('1. Dezember 2026, 14:05 Uhr');
    expect(de.momentTable(winter)).toBe('01.12.2026, 14:05');
    expect(en.dayText(winter)).toBe('1 December 2026');
    expect(en.dayTable(winter)).toBe('1 Dec 2026');
    expect(en.momentText(winter)).toBe('1 December 2026, 14:05');
    expect(en.momentTable(winter)).toBe('1 Dec 2026, 14:05');
  });

  it('accepts ISO text and epoch milliseconds like a Date', () => {
    expect(de.momentTable('2026-12-01T13:05:00.000Z')).toBe('01.12.2026, 14:05');
    expect(de.momentTable(winter.getTime())).toBe('01.12.2026, 14:05');
  });

  it('counts in Hannover time on both sides of the daylight-saving changes', () => {
    // spring forward: 29 March 2026, 02:00 CET becomes 03:00 CEST (00:59 / 01:00 UTC)
    expect(de.momentTable(new Date('2026-03-29T00:59:00Z'))).toBe('29.03.2026, 01:59');
    expect(de.momentTable(new Date('2026-03-29T01:00:00Z'))).toBe('29.03.2026, 03:00');
    // fall back: 25 October 2026, 03:00 CEST becomes 02:00 CET (00:59 / 01:00 UTC)
    expect(de.momentTable(new Date('2026-10-25T00:59:00Z'))).toBe('25.10.2026, 02:59');
    expect(de.momentTable(new Date('2026-10-25T01:00:00Z'))).toBe('25.10.2026, 02:00');
    // late in the evening UTC is already the next day in Hannover, summer and winter
    expect(de.dayTable(new Date('2026-06-30T22:30:00Z'))).toBe('01.07.2026');
    expect(de.dayTable(new Date('2026-12-31T23:30:00Z'))).toBe('01.01.2027');
    expect(en.dayText(new Date('2026-12-31T23:30:00Z'))).toBe('1 January 2027');
    expect(berlinOffsetMs(new Date('2026-03-29T00:59:00Z'))).toBe(3_600_000);
    expect(berlinOffsetMs(new Date('2026-03-29T01:00:00Z'))).toBe(7_200_000);
  });

  it('keeps a calendar date (YYYY-MM-DD) on its day, including the days of the clock changes', () => {
    for (const day of ['2026-01-01', '2026-03-29', '2026-10-25', '2026-12-31', '2027-02-28']) {
      const [y, m, d] = day.split('-');
      expect(de.dayTable(day)).toBe(`${d}.${m}.${y}`);
      expect(berlinIsoDay(day)).toBe(day);
    }
    expect(de.dayText('2026-12-10')).toBe('10. Dezember 2026');
    expect(en.dayText('2026-12-10')).toBe('10 December 2026');
    expect(en.dayTable('2026-03-01')).toBe('1 Mar 2026');
  });

  it('gives an empty text for no date or a broken one', () => {
    for (const v of [null, undefined, '', 'kein Datum']) {
      expect(de.dayText(v)).toBe('');
      expect(en.momentTable(v)).toBe('');
      expect(de.timeTag('dayText', v)).toBe('');
    }
    expect(toInstant('2026-02-30x')).toBeUndefined();
  });

  it('wraps a shown date in <time> with a machine-readable value', () => {
    expect(de.timeTag('dayText', winter)).toBe('<time datetime="2026-12-01">1. Dezember 2026</time>');
    expect(en.timeTag('dayTable', '2026-12-10')).toBe('<time datetime="2026-12-10">10 Dec 2026</time>');
    expect(de.timeTag('momentText', winter)).toBe(
      '<time datetime="2026-12-01T13:05:00.000Z">1. Dezember 2026, 14:05 Uhr</time>',
    );
    // the machine value is the Hannover day, not the UTC one
    expect(de.timeTag('dayTable', new Date('2026-12-31T23:30:00Z'))).toBe(
      '<time datetime="2027-01-01">01.01.2027</time>',
    );
  });
});

describe('no ad-hoc date formats', () => {
  const root = join(__dirname, '..', '..');
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const p = join(dir, name);
      return statSync(p).isDirectory() ? files(p) : /\.(ts|ejs)$/.test(name) ? [p] : [];
    });
  // with or without `new`; numbers have Intl.NumberFormat, so toLocaleString is never needed
  const adHoc = /toLocaleDateString|toLocaleString|toLocaleTimeString|Intl\.DateTimeFormat\s*\(/;

  it('formats dates only in src/web/dates.ts', () => {
    const all = [...files(join(root, 'views')), ...files(join(root, 'src'))];
    expect(all.length).toBeGreaterThan(50);
    const offenders = all
      .filter((p) => relative(root, p) !== join('src', 'web', 'dates.ts'))
      .flatMap((p) =>
        readFileSync(p, 'utf8')
          .split('\n')
          .map((line, i) => (adHoc.test(line) ? `${relative(root, p)}:${i + 1}: ${line.trim()}` : ''))
          .filter(Boolean),
      );
    expect(offenders).toEqual([]);
  });

  it('the guard finds what it is looking for', () => {
    expect(readFileSync(join(root, 'src', 'web', 'dates.ts'), 'utf8')).toMatch(adHoc);
  });
});
