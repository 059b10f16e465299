import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';

/**
 * CSV in and out for the administration: uploads as German spreadsheets write them
 * (semicolons, a BOM, sometimes the wrong encoding) and downloads that open safely in them.
 */

export type CsvProblem =
  | { code: 'empty' }
  | { code: 'encoding' }
  | { code: 'mojibake'; sample: string }
  | { code: 'too_large'; maxMb: number }
  | { code: 'too_many_rows'; max: number; rows: number }
  | { code: 'malformed'; line: number }
  | { code: 'missing_columns'; columns: string }
  | { code: 'unknown_columns'; columns: string }
  | { code: 'duplicate_columns'; columns: string };

export interface CsvRecord {
  /** Line in the file where the record starts (the header is line 1). */
  line: number;
  cells: Record<string, string>;
}

export interface CsvTable {
  separator: ';' | ',' | '\t';
  records: CsvRecord[];
}

export interface CsvLimits {
  maxBytes: number;
  maxRows: number;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Bytes as UTF-8 text; `undefined` when they are not UTF-8 (Windows-1252, Latin-1, …). */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return UTF8.decode(bytes);
  } catch {
    return undefined;
  }
}

/** "%E4%3Bx" → the bytes it stands for; other characters as their UTF-8 bytes. */
function percentBytes(value: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < value.length; i++) {
    const hex = value[i] === '%' ? value.slice(i + 1, i + 3) : '';
    if (/^[0-9a-fA-F]{2}$/.test(hex)) {
      out.push(parseInt(hex, 16));
      i += 2;
    } else if (value[i] === '+') {
      out.push(0x20);
    } else {
      out.push(...Buffer.from(value[i] ?? '', 'utf8'));
    }
  }
  return Uint8Array.from(out);
}

/**
 * The text of a pasted CSV as the form body parser delivered it. Browsers send forms as
 * UTF-8 with every line break escaped; when the body held bytes that are not UTF-8 (a
 * Windows-1252 file sent as is), the parser leaves the whole value undecoded. We decode such
 * a value ourselves, strictly, so Latin-1 input gets a clear message instead of broken umlauts.
 */
// Only urlencoded bodies need this (a paste sent the old way, scripts); the page's form is
// multipart since the file upload (src/admin/body.ts csvTextOf), where it never applies.
export function textFromForm(value: string): { ok: true; text: string } | { ok: false; problem: CsvProblem } {
  let text = value;
  if (!text.includes('\n') && /%[0-9a-fA-F]{2}/.test(text)) {
    const decoded = decodeUtf8(percentBytes(text));
    if (decoded === undefined) return { ok: false, problem: { code: 'encoding' } };
    text = decoded;
  }
  return checkText(text);
}

/**
 * A pasted CSV that came in a multipart body (the form with the file field): busboy decodes
 * fields as UTF-8 and never leaves percent escapes, so it is only checked, not decoded again.
 */
export function textFromPaste(value: string): { ok: true; text: string } | { ok: false; problem: CsvProblem } {
  return checkText(value);
}

/** Raw bytes of an uploaded file (e.g. a request body of type text/csv). */
export function textFromBytes(bytes: Uint8Array): { ok: true; text: string } | { ok: false; problem: CsvProblem } {
  const text = decodeUtf8(bytes);
  if (text === undefined) return { ok: false, problem: { code: 'encoding' } };
  return checkText(text);
}

const MOJIBAKE = /Ã[¤¶¼Ÿ„–œ©]|â€[žœ“”™]/;

function checkText(input: string): { ok: true; text: string } | { ok: false; problem: CsvProblem } {
  const text = input.replace(/^\uFEFF/, '');
  // NUL characters: a UTF-16 file ("Unicode text" in Excel), or binary data; never UTF-8 text
  if (text.includes('\u0000')) return { ok: false, problem: { code: 'encoding' } };
  // U+FFFD: somebody already decoded Windows-1252 bytes as UTF-8 and lost the umlauts
  if (text.includes('\uFFFD')) return { ok: false, problem: { code: 'encoding' } };
  const garbled = MOJIBAKE.exec(text);
  if (garbled) return { ok: false, problem: { code: 'mojibake', sample: garbled[0] } };
  return { ok: true, text };
}

/** The separator of the header line: semicolon (German Excel), comma or tab. */
export function detectSeparator(text: string): ';' | ',' | '\t' {
  const firstLine = text.split(/\r?\n/).find((l) => l.trim() !== '') ?? '';
  const count = (c: string) => firstLine.split(c).length - 1;
  const candidates: Array<';' | ',' | '\t'> = [';', ',', '\t'];
  let best: ';' | ',' | '\t' = ';';
  for (const c of candidates) if (count(c) > count(best)) best = c;
  return best;
}

/**
 * Reads a CSV with a header row naming the columns (case and surrounding spaces ignored).
 * `columns` lists the known columns, `required` those that must be present in the header.
 */
export function readCsv(
  text: string,
  opts: { columns: readonly string[]; required: readonly string[]; limits: CsvLimits },
): { ok: true; table: CsvTable } | { ok: false; problems: CsvProblem[] } {
  if (Buffer.byteLength(text, 'utf8') > opts.limits.maxBytes) {
    return { ok: false, problems: [{ code: 'too_large', maxMb: Math.round(opts.limits.maxBytes / 1_048_576) }] };
  }
  if (text.trim() === '') return { ok: false, problems: [{ code: 'empty' }] };
  const separator = detectSeparator(text);
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(text, {
      delimiter: separator,
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_empty_values: true,
      trim: true,
      max_record_size: 100_000,
    }) as unknown as Array<{ record: string[]; info: { lines: number } }>;
  } catch (err) {
    const line = Number((err as { lines?: number }).lines ?? 0);
    return { ok: false, problems: [{ code: 'malformed', line }] };
  }
  const [head, ...body] = records;
  if (!head) return { ok: false, problems: [{ code: 'empty' }] };
  const header = head.record.map((h) => h.trim().toLowerCase());
  const problems: CsvProblem[] = [];
  const known = new Set(opts.columns);
  const unknown = header.filter((h) => h !== '' && !known.has(h));
  const missing = opts.required.filter((c) => !header.includes(c));
  const duplicates = header.filter((h, i) => h !== '' && header.indexOf(h) !== i);
  if (missing.length) problems.push({ code: 'missing_columns', columns: missing.join(', ') });
  if (unknown.length) problems.push({ code: 'unknown_columns', columns: unknown.join(', ') });
  if (duplicates.length) problems.push({ code: 'duplicate_columns', columns: [...new Set(duplicates)].join(', ') });
  if (body.length > opts.limits.maxRows)
    problems.push({ code: 'too_many_rows', max: opts.limits.maxRows, rows: body.length });
  if (problems.length) return { ok: false, problems };
  if (body.length === 0) return { ok: false, problems: [{ code: 'empty' }] };

  let previousEnd = head.info.lines;
  const table: CsvTable = {
    separator,
    records: body.map(({ record, info }) => {
      const cells: Record<string, string> = {};
      header.forEach((name, i) => {
        if (name) cells[name] = (record[i] ?? '').trim();
      });
      // blank lines before a record are skipped; the record ends on info.lines
      const line = Math.max(previousEnd + 1, info.lines - countLineBreaks(record));
      previousEnd = info.lines;
      return { line, cells };
    }),
  };
  return { ok: true, table };
}

const countLineBreaks = (record: string[]) => record.reduce((n, cell) => n + (cell.match(/\n/g)?.length ?? 0), 0);

/** A cell a spreadsheet would run as a formula (=, +, -, @, tab, CR) gets a leading apostrophe. */
export function neutralise(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text =
    // oxlint-disable-next-line typescript/no-base-to-string -- objects took the JSON branch; what is left are primitives
    value instanceof Date ? value.toISOString() : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** CSV rows for a download: semicolons, CRLF, every cell neutralised. No BOM (see csvDocument). */
export function csvRows(rows: unknown[][]): string {
  return stringify(
    rows.map((r) => r.map(neutralise)),
    { delimiter: ';', record_delimiter: '\r\n' },
  );
}

/** A complete CSV download: UTF-8 byte order mark (Excel reads umlauts right), header, rows. */
export function csvDocument(header: string[], rows: unknown[][]): string {
  return `\uFEFF${csvRows([header, ...rows])}`;
}
