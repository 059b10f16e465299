import { types as pgTypes } from 'pg';

/**
 * One set of type parsers for both backends, so that pg and PGlite hand the application
 * identical JavaScript values: counts and bigints as numbers, DATE as 'YYYY-MM-DD' text
 * (a calendar date has no time zone), timestamps as Date, numeric and interval as text.
 */
export const OID = {
  INT8: 20,
  DATE: 1082,
  TIMESTAMP: 1114,
  TIMESTAMPTZ: 1184,
  INTERVAL: 1186,
  NUMERIC: 1700,
} as const;

const int8 = (v: string) => {
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw new RangeError(`int8 value ${v} exceeds the safe integer range`);
  return n;
};
const asText = (v: string) => v;
const timestamp = (v: string) => new Date(v.includes('+') || v.endsWith('Z') || /-\d\d$/.test(v) ? v : `${v}Z`);

export const pgliteParsers: Record<number, (value: string) => unknown> = {
  [OID.INT8]: int8,
  [OID.DATE]: asText,
  [OID.INTERVAL]: asText,
  [OID.NUMERIC]: asText,
};

/** Parsers for node-postgres, scoped to our pool (no global mutation of pg.types). */
export const pgTypeOverrides = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    switch (oid) {
      case OID.INT8:
        return int8;
      case OID.DATE:
        return asText;
      case OID.TIMESTAMP:
        return timestamp;
      default:
        return pgTypes.getTypeParser(oid, format) as (value: string) => unknown;
    }
  },
};
