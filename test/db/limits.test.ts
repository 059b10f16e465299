import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COLUMN_LIMITS, isCalendarDate } from '../../src/limits';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { backendName } from '../helpers/env';

/** Each form limit that guards a limited column equals the column's length in the migrated database. */
let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

describe(`form limits and their columns (${backendName})`, () => {
  it('every limited column behind a form field has exactly the limit of its field', async () => {
    const rows = await database
      .db('information_schema.columns')
      .where({ table_schema: 'public' })
      .whereNotNull('character_maximum_length')
      .select('table_name', 'column_name', 'character_maximum_length');
    const length = new Map(rows.map((r) => [`${r.table_name}.${r.column_name}`, Number(r.character_maximum_length)]));
    const differ = COLUMN_LIMITS.filter((c) => length.get(`${c.table}.${c.column}`) !== c.limit).map(
      (c) => `${c.table}.${c.column}: limit ${c.limit}, column ${length.get(`${c.table}.${c.column}`)}`,
    );
    expect(differ).toEqual([]);
  });
});

describe('calendar dates', () => {
  it('accepts real dates only, as the database can store them', () => {
    for (const ok of ['2026-02-28', '2028-02-29', '0001-01-01', '9999-12-31', '2026-12-24'])
      expect(isCalendarDate(ok), ok).toBe(true);
    for (const bad of [
      '2026-02-31',
      '2026-02-29',
      '2026-04-31',
      '2026-13-01',
      '2026-00-10',
      '0000-01-01',
      '2026-1-1',
      '2026-01-01T00:00',
      ' 2026-01-01',
      '+02026-01-01',
      '२०२६-०१-०१',
      '',
    ]) {
      expect(isCalendarDate(bad), bad).toBe(false);
    }
  });

  it('the database agrees with every date the check accepts', async () => {
    for (const day of ['0001-01-01', '2028-02-29', '9999-12-31']) {
      const row = (await database.db.raw('select ?::date::text as d', [day])).rows[0] as { d: string };
      expect(row.d).toBe(day);
    }
  });
});
