import { csvDocument } from '../csv';

/**
 * The bulk import's CSV: one existing presence per row. Column names are fixed (the header row
 * must name them; order and letter case do not matter). Documented on the import page.
 */
export const IMPORT_COLUMNS = [
  'unit_code',
  'platform',
  'name',
  'url',
  'description',
  'hannover_de_url',
  'existing_since',
  'editors',
  'author',
] as const;
export type ImportColumn = (typeof IMPORT_COLUMNS)[number];
export const IMPORT_REQUIRED = [
  'unit_code',
  'platform',
  'name',
  'url',
  'editors',
] as const satisfies readonly ImportColumn[];

/** 5,000 rows with long descriptions fit comfortably; more is split into several imports. */
export const IMPORT_LIMITS = { maxBytes: 5 * 1_048_576, maxRows: 10_000 };

export const MIN_EDITORS = 2;
export const MAX_EDITORS = 4;

/** The template: header and one example row (to be replaced by the real inventory). */
export function importTemplate(): string {
  return csvDocument(
    [...IMPORT_COLUMNS],
    [
      [
        '41',
        'facebook',
        'Kulturbüro Hannover',
        'https://www.facebook.com/kulturbuero.hannover',
        'Veranstaltungen, Förderprogramme und Neuigkeiten aus dem Kulturbüro.',
        'https://www.hannover.de/Kultur-Freizeit',
        '2019-05-01',
        'redaktion redaktion2',
        '',
      ],
    ],
  );
}
