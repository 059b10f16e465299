import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import Holidays from 'date-holidays';
import {
  decide,
  dueDeadlines,
  markDeadline,
  newInstance,
  type Action,
  type Actor,
  type Instance,
} from '../../src/workflow/core';
import { DIENSTANWEISUNG_V1 } from '../../src/workflow/default-definitions';
import {
  addWorkingDays,
  berlinDate,
  easterSunday,
  isWorkingDay,
  publicHolidays,
  workingDaysBetween,
} from '../../src/workflow/working-days';

/** Noon in Berlin on that date, so the calendar day is unambiguous. */
const noon = (date: string) => new Date(`${date}T12:00:00+01:00`);
const dateOf = (instant: Date) => {
  const { year, month, day } = berlinDate(instant);
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
};

describe('easter and the public holidays of Lower Saxony', () => {
  it.each([
    [2024, 3, 31],
    [2025, 4, 20],
    [2026, 4, 5],
    [2027, 3, 28],
    [2038, 4, 25], // latest possible
    [2285, 3, 22], // earliest possible
  ])('Easter Sunday %i is %i-%i', (year, month, day) => {
    expect(easterSunday(year)).toEqual({ year, month, day });
  });

  it('lists the ten holidays of 2027 in date order', () => {
    expect(publicHolidays(2027).map((h) => `${h.date.month}-${h.date.day} ${h.name}`)).toEqual([
      '1-1 Neujahr',
      '3-26 Karfreitag',
      '3-29 Ostermontag',
      '5-1 Tag der Arbeit',
      '5-6 Christi Himmelfahrt',
      '5-17 Pfingstmontag',
      '10-3 Tag der Deutschen Einheit',
      '10-31 Reformationstag',
      '12-25 1. Weihnachtstag',
      '12-26 2. Weihnachtstag',
    ]);
  });

  it.each([
    ['2027-03-25', true], // Maundy Thursday is a working day
    ['2027-03-26', false], // Karfreitag
    ['2027-03-29', false], // Ostermontag
    ['2027-05-06', false], // Christi Himmelfahrt
    ['2027-05-17', false], // Pfingstmontag
    ['2026-12-24', true], // Christmas Eve is not a public holiday
    ['2026-12-25', false],
    ['2028-10-31', false], // Reformationstag on a Tuesday
    ['2018-10-31', false], // Reformationstag, a holiday in Lower Saxony since 2018
    ['2017-10-31', false], // … and in 2017 everywhere in Germany (500 years of the Reformation)
    ['2016-10-31', true], // before that, an ordinary Monday
    ['2027-06-05', false], // Saturday
    ['2027-06-06', false], // Sunday
    ['2027-06-07', true], // Monday
  ])('%s is a working day: %s', (date, expected) => {
    expect(isWorkingDay(noon(date))).toBe(expected);
  });

  it('uses the calendar day in Berlin, not in UTC', () => {
    expect(isWorkingDay(new Date('2026-12-31T22:30:00Z'))).toBe(true); // Thursday 23:30 in Berlin
    expect(isWorkingDay(new Date('2026-12-31T23:30:00Z'))).toBe(false); // already Neujahr in Berlin
    expect(isWorkingDay(new Date('2027-06-04T21:30:00Z'))).toBe(true); // Friday 23:30 in Berlin
    expect(isWorkingDay(new Date('2027-06-04T22:30:00Z'))).toBe(false); // Saturday 00:30 in Berlin
  });
});

describe('the hand-written table against date-holidays (oracle)', () => {
  it('matches the public holidays of DE-NI in every year 1995–2100', () => {
    const oracle = new Holidays('DE', 'NI');
    const iso = (d: { year: number; month: number; day: number }) =>
      `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
    for (let year = 1995; year <= 2100; year++) {
      const expected = oracle
        .getHolidays(year)
        .filter((h) => h.type === 'public')
        .map((h) => h.date.slice(0, 10))
        .sort();
      expect(
        publicHolidays(year).map((h) => iso(h.date)),
        String(year),
      ).toEqual(expected);
    }
  });
});

describe('addWorkingDays and workingDaysBetween', () => {
  it('skips the Easter weekend 2027 and keeps the Berlin wall-clock time across the DST switch', () => {
    // Thursday 25 March 10:00 CET -> Tuesday 30 March 10:00 CEST.
    expect(addWorkingDays(new Date('2027-03-25T09:00:00Z'), 1).toISOString()).toBe('2027-03-30T08:00:00.000Z');
    expect(workingDaysBetween(noon('2027-03-25'), noon('2027-03-30'))).toBe(1);
    expect(workingDaysBetween(noon('2027-03-24'), noon('2027-04-01'))).toBe(4);
  });

  it('skips Christmas and New Year', () => {
    expect(dateOf(addWorkingDays(noon('2026-12-24'), 1))).toBe('2026-12-28');
    expect(dateOf(addWorkingDays(noon('2026-12-31'), 1))).toBe('2027-01-04');
    // 24, 28, 29, 30, 31 December and 4 January.
    expect(workingDaysBetween(noon('2026-12-23'), noon('2027-01-04'))).toBe(6);
  });

  it('skips weekends', () => {
    expect(dateOf(addWorkingDays(noon('2027-06-04'), 1))).toBe('2027-06-07'); // Friday -> Monday
    expect(dateOf(addWorkingDays(noon('2027-06-05'), 1))).toBe('2027-06-07'); // Saturday -> Monday
    expect(dateOf(addWorkingDays(noon('2027-06-07'), 5))).toBe('2027-06-14');
    expect(workingDaysBetween(noon('2027-06-05'), noon('2027-06-06'))).toBe(0);
    expect(workingDaysBetween(noon('2027-06-04'), noon('2027-06-07'))).toBe(1);
  });

  it('skips Reformationstag', () => {
    expect(dateOf(addWorkingDays(noon('2028-10-30'), 1))).toBe('2028-11-01'); // Monday -> Wednesday
    expect(dateOf(addWorkingDays(noon('2025-10-30'), 1))).toBe('2025-11-03'); // Thursday -> Monday
  });

  it('counts backwards and gives signed differences', () => {
    expect(dateOf(addWorkingDays(noon('2027-03-30'), -1))).toBe('2027-03-25');
    expect(workingDaysBetween(noon('2027-03-30'), noon('2027-03-25'))).toBe(-1);
    expect(workingDaysBetween(noon('2027-03-30'), noon('2027-03-30'))).toBe(0);
    expect(addWorkingDays(noon('2027-03-30'), 0)).toEqual(noon('2027-03-30'));
  });

  it('workingDaysBetween inverts addWorkingDays, which always lands on a working day', () => {
    const instant = fc.date({
      min: new Date('2020-01-01T00:00:00Z'),
      max: new Date('2035-12-31T00:00:00Z'),
      noInvalidDate: true,
    });
    fc.assert(
      fc.property(instant, fc.integer({ min: 0, max: 40 }), (start, days) => {
        const end = addWorkingDays(start, days);
        expect(workingDaysBetween(start, end)).toBe(days);
        if (days > 0) expect(isWorkingDay(end)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe('deadlines: reminders and escalations', () => {
  const anna: Actor = { uid: 'anna', roles: ['employee'], headOfUnits: [], actingFor: [] };
  const hans: Actor = { uid: 'hans', roles: ['unit_head'], headOfUnits: ['41'], actingFor: [] };

  const play = (instance: Instance, action: Action, actor: Actor, now: Date): Instance => {
    const result = decide({
      definition: DIENSTANWEISUNG_V1,
      instance,
      action,
      actor,
      now,
      context: { editorsConfirmed: true },
    });
    if (!result.ok) throw new Error(JSON.stringify(result.refusal));
    return result.instance;
  };

  // Submitted on Monday 15 March 2027, 09:00 in Berlin.
  const submittedAt = new Date('2027-03-15T08:00:00Z');
  const submitted = () =>
    play(
      newInstance(DIENSTANWEISUNG_V1, { authorUid: 'anna', editorUids: ['erik', 'emma'], unit: '41' }),
      { type: 'submit' },
      anna,
      submittedAt,
    );
  const due = (instance: Instance, now: string) => dueDeadlines(DIENSTANWEISUNG_V1, instance, new Date(now));

  it('reminds after 5 working days, once', () => {
    const instance = submitted();
    expect(due(instance, '2027-03-19T16:00:00Z')).toEqual([]); // Friday: 4 working days
    const reminder = due(instance, '2027-03-22T06:00:00Z'); // Monday 07:00: 5 working days
    expect(reminder).toEqual([
      {
        stepId: 'unit_head',
        kind: 'reminder',
        candidates: { kind: 'unit_head', unit: '41' },
        openedAt: '2027-03-15T08:00:00.000Z',
      },
    ]);

    const reminded = markDeadline(instance, 'unit_head', 'reminder', new Date('2027-03-22T06:00:00Z'));
    expect(reminded.steps.unit_head?.remindedAt).toBe('2027-03-22T06:00:00.000Z');
    expect(instance.steps.unit_head?.remindedAt).toBeUndefined(); // the input stays as it was
    expect(due(reminded, '2027-03-23T10:00:00Z')).toEqual([]);
  });

  it('escalates after 10 working days, counted across Easter, once', () => {
    const reminded = markDeadline(submitted(), 'unit_head', 'reminder', new Date('2027-03-22T06:00:00Z'));
    // 16-19, 22-25 March, then Karfreitag, the weekend and Ostermontag: Tuesday 30 March is day 9.
    expect(due(reminded, '2027-03-30T15:00:00Z')).toEqual([]);
    const escalation = due(reminded, '2027-03-31T07:00:00Z');
    expect(escalation).toEqual([
      {
        stepId: 'unit_head',
        kind: 'escalation',
        fallbackRole: 'communications',
        candidates: { kind: 'unit_head', unit: '41' },
        openedAt: '2027-03-15T08:00:00.000Z',
      },
    ]);
    const escalated = markDeadline(reminded, 'unit_head', 'escalation', new Date('2027-03-31T07:00:00Z'));
    expect(escalated.steps.unit_head?.escalatedAt).toBe('2027-03-31T07:00:00.000Z');
    expect(due(escalated, '2027-04-30T07:00:00Z')).toEqual([]);
  });

  it('reports reminder and escalation together when both are overdue and neither was sent', () => {
    expect(due(submitted(), '2027-04-15T07:00:00Z').map((d) => d.kind)).toEqual(['reminder', 'escalation']);
  });

  it('restarts the clock for the steps that open next', () => {
    // Step 1 approved on Wednesday 17 March; steps 2a and 2b open then.
    const instance = play(
      submitted(),
      { type: 'approve', stepId: 'unit_head' },
      hans,
      new Date('2027-03-17T08:00:00Z'),
    );
    // Step 1 would be overdue by now, but it is decided; 2a and 2b have waited 4 working days.
    expect(due(instance, '2027-03-23T08:00:00Z')).toEqual([]);
    expect(due(instance, '2027-03-24T08:00:00Z').map((d) => [d.stepId, d.kind])).toEqual([
      ['communications', 'reminder'],
      ['data_protection', 'reminder'],
    ]);
  });

  it('reports nothing for requests that are not in review', () => {
    const draft = newInstance(DIENSTANWEISUNG_V1, { authorUid: 'anna', editorUids: [], unit: '41' });
    expect(due(draft, '2027-12-01T08:00:00Z')).toEqual([]);
    const returned = play(
      submitted(),
      { type: 'return', stepId: 'unit_head', comment: 'Bitte ergänzen' },
      hans,
      submittedAt,
    );
    expect(due(returned, '2027-12-01T08:00:00Z')).toEqual([]);
  });

  it('markDeadline leaves steps that are not open alone', () => {
    const instance = submitted();
    expect(markDeadline(instance, 'communications', 'reminder', new Date())).toEqual(instance);
    expect(markDeadline(instance, 'nope', 'escalation', new Date())).toEqual(instance);
  });
});
