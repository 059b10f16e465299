import { stringify } from 'csv-stringify/sync';
import type { PresenceView } from './service';

/**
 * The machine-readable twins of the overview. Field names and meaning are documented in
 * docs/open-data.md and in the OpenAPI document (openapi.ts); change all three together
 * and raise SCHEMA_VERSION (minor: fields or values added, major: fields changed or removed).
 * 1.1: /pruefen.json answers result "unresolvable" for links that name no account.
 */
export const SCHEMA_VERSION = '1.2';

export interface PresenceJson {
  slug: string;
  name: string;
  url: string;
  platform: { key: string; name: string };
  orgUnit: { code: string; name: string; path: string[] };
  description: string;
  hannoverDeUrl: string | null;
  publishedAt: string | null;
  lastConfirmedAt: string | null;
  central: boolean;
  pageUrl: string;
}

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

/** Absolute address of a page on the portal (`path` already carries the locale prefix). */
export const absolute = (baseUrl: string, path: string) => `${baseUrl}${path}`;

export function presenceJson(p: PresenceView, baseUrl: string): PresenceJson {
  return {
    slug: p.slug,
    name: p.name,
    url: p.url,
    platform: { key: p.platform.key, name: p.platform.name },
    orgUnit: { code: p.unit.code, name: p.unit.name, path: p.unit.path },
    description: p.description,
    hannoverDeUrl: p.hannoverDeUrl,
    publishedAt: iso(p.publishedAt),
    lastConfirmedAt: iso(p.lastConfirmedAt),
    central: p.central,
    pageUrl: absolute(baseUrl, `/angebote/${p.slug}`),
  };
}

export function presencesJson(
  list: PresenceView[],
  opts: { baseUrl: string; publisher: string; lastModified: Date },
): string {
  return JSON.stringify(
    {
      schemaVersion: SCHEMA_VERSION,
      publisher: opts.publisher,
      lastModified: opts.lastModified.toISOString(),
      documentation: absolute(opts.baseUrl, '/api/openapi.json'),
      count: list.length,
      presences: list.map((p) => presenceJson(p, opts.baseUrl)),
    },
    null,
    2,
  );
}

export const CSV_COLUMNS = [
  'slug',
  'name',
  'url',
  'platform',
  'platformName',
  'orgUnitCode',
  'orgUnitName',
  'orgUnitPath',
  'description',
  'hannoverDeUrl',
  'publishedAt',
  'lastConfirmedAt',
  'central',
  'pageUrl',
] as const;

/** Separator of the unit path in the CSV column orgUnitPath. */
export const CSV_PATH_SEPARATOR = ' > ';

/**
 * Spreadsheet programs execute a cell that starts with = + - @ (or a tab / carriage
 * return in front of one) as a formula. Such cells get a leading apostrophe, which the
 * programs show as text (OWASP "CSV injection").
 */
export function neutraliseFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** RFC 4180 CSV: UTF-8 with byte order mark (so spreadsheets read umlauts), CRLF, header row. */
export function presencesCsv(list: PresenceView[], baseUrl: string): Buffer {
  const rows = list.map((p) => {
    const j = presenceJson(p, baseUrl);
    const record: Record<(typeof CSV_COLUMNS)[number], string> = {
      slug: j.slug,
      name: j.name,
      url: j.url,
      platform: j.platform.key,
      platformName: j.platform.name,
      orgUnitCode: j.orgUnit.code,
      orgUnitName: j.orgUnit.name,
      orgUnitPath: j.orgUnit.path.join(CSV_PATH_SEPARATOR),
      description: j.description,
      hannoverDeUrl: j.hannoverDeUrl ?? '',
      publishedAt: j.publishedAt ?? '',
      lastConfirmedAt: j.lastConfirmedAt ?? '',
      central: j.central ? 'true' : 'false',
      pageUrl: j.pageUrl,
    };
    return CSV_COLUMNS.map((c) => neutraliseFormula(record[c]));
  });
  const text = stringify([[...CSV_COLUMNS], ...rows], { record_delimiter: '\r\n', quoted_match: /[";\r\n]/ });
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
}

/** Characters XML 1.0 forbids (control characters, lone surrogates, U+FFFE/FFFF) are dropped. */
export function xmlText(value: string): string {
  return value
    .replace(/[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

export interface AtomTexts {
  lang: string;
  title: string;
  subtitle: string;
  author: string;
  /** Summary of one entry (description, platform, unit) as plain text. */
  summary(p: PresenceView): string;
  /** Localised path of a portal page, e.g. '/en/angebote/x'. */
  url(path: string): string;
}

/** Atom 1.0 (RFC 4287) feed of the most recently published presences; all links absolute. */
/** A public warning of a confirmed fake account (issue 12) as a feed entry. */
export interface AtomWarning {
  id: number;
  title: string;
  summary: string;
  since: Date;
  platform: { key: string; name: string };
}

export function presencesAtom(
  list: PresenceView[],
  opts: { baseUrl: string; updated: Date; texts: AtomTexts; warnings?: AtomWarning[] },
): string {
  const { baseUrl, texts } = opts;
  const abs = (path: string) => xmlText(absolute(baseUrl, texts.url(path)));
  const out: string[] = [
    '<?xml version="1.0" encoding="utf-8"?>',
    `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${xmlText(texts.lang)}">`,
    `  <id>${abs('/angebote.atom')}</id>`,
    `  <title type="text">${xmlText(texts.title)}</title>`,
    `  <subtitle type="text">${xmlText(texts.subtitle)}</subtitle>`,
    `  <updated>${opts.updated.toISOString()}</updated>`,
    `  <link rel="self" type="application/atom+xml" href="${abs('/angebote.atom')}"/>`,
    `  <link rel="alternate" type="text/html" href="${abs('/')}"/>`,
    `  <author><name>${xmlText(texts.author)}</name></author>`,
  ];
  // new presences and new warnings, newest first
  const entries: Array<{ at: Date; lines: string[] }> = [];
  for (const w of opts.warnings ?? []) {
    const at = w.since.toISOString();
    entries.push({
      at: w.since,
      lines: [
        '  <entry>',
        `    <id>${xmlText(absolute(baseUrl, `/warnungen#fall-${w.id}`))}</id>`,
        `    <title type="text">${xmlText(w.title)}</title>`,
        `    <link rel="alternate" type="text/html" href="${abs('/warnungen')}"/>`,
        `    <published>${at}</published>`,
        `    <updated>${at}</updated>`,
        `    <category term="warning"/>`,
        `    <category term="${xmlText(w.platform.key)}" label="${xmlText(w.platform.name)}"/>`,
        `    <summary type="text">${xmlText(w.summary)}</summary>`,
        '  </entry>',
      ],
    });
  }
  for (const p of list) {
    const published = (p.publishedAt ?? opts.updated).toISOString();
    const lines: string[] = [];
    entries.push({ at: p.publishedAt ?? opts.updated, lines });
    lines.push(
      '  <entry>',
      // the permanent link is the entry's identity, the same in every language
      `    <id>${xmlText(absolute(baseUrl, `/angebote/${p.slug}`))}</id>`,
      `    <title type="text">${xmlText(p.name)}</title>`,
      `    <link rel="alternate" type="text/html" href="${abs(`/angebote/${p.slug}`)}"/>`,
      ...(p.url ? [`    <link rel="related" href="${xmlText(p.url)}"/>`] : []),
      `    <published>${published}</published>`,
      `    <updated>${published}</updated>`,
      `    <category term="${xmlText(p.platform.key)}" label="${xmlText(p.platform.name)}"/>`,
      `    <summary type="text">${xmlText(texts.summary(p))}</summary>`,
      '  </entry>',
    );
  }
  entries.sort((a, b) => b.at.getTime() - a.at.getTime());
  for (const e of entries) out.push(...e.lines);
  out.push('</feed>', '');
  return out.join('\n');
}
