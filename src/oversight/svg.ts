/**
 * Small server-side SVG charts. No library: ECharts 6, maintained and able to render SVG
 * without a browser (SSR mode), was tried — its output carries `style` attributes and a
 * `<style>` element, which the portal's CSP (style-src 'self') blocks, so its charts would lose
 * fonts and text placement. These charts use presentation attributes only, carry <title>/<desc> with
 * role="img", print every value as text (never colour alone), and come with the same
 * numbers as a table on the page.
 */

export const escapeXml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);

/** Average width of a character of Fira Sans in em: enough to wrap and size boxes without font metrics. */
const CHAR_EM = 0.56;
export const textWidth = (s: string, fontSize: number): number => s.length * fontSize * CHAR_EM;

/** Splits text into lines of at most `max` characters at spaces (a longer word stays whole). */
export function wrap(text: string, max: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > max) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.length ? lines : [''];
}

/** Colours for series: distinguishable for the common colour-vision deficiencies (Okabe–Ito), dark enough on white. */
export const SERIES_COLOURS = ['#0b57d0', '#b35900', '#1e7e34', '#8e24aa', '#b3261e', '#00658f', '#6b4f00', '#4d4d4d'];
/** Dash patterns for lines: the second way to tell series apart. */
const DASHES = ['', '6 3', '2 3', '8 3 2 3', '12 4', '4 4', '1 2', '10 2 2 2 2 2'];

const FONT = 'Fira Sans, Arial, sans-serif';
const TEXT = '#1b1b1b';
const GRID = '#c9c9c9';

export interface Series {
  name: string;
  /** null: no value (drawn as no bar, written as the format's text for null) */
  values: Array<number | null>;
}

export interface ChartInput {
  /** Unique on the page: ids of <title> and <desc> derive from it. */
  id: string;
  title: string;
  /** A sentence for screen readers: what the chart shows (the table repeats the numbers). */
  desc: string;
  categories: string[];
  series: Series[];
  /** Number to text (locale decimal separator). */
  format: (n: number | null) => string;
}

function open(input: ChartInput, width: number, height: number, cls: string): string {
  const t = `${input.id}-titel`;
  const d = `${input.id}-beschreibung`;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart ${cls}" id="${escapeXml(input.id)}" role="img" ` +
    `aria-labelledby="${escapeXml(t)} ${escapeXml(d)}" viewBox="0 0 ${r(width)} ${r(height)}" ` +
    `width="${r(width)}" height="${r(height)}" font-family="${FONT}" font-size="14" fill="${TEXT}">` +
    `<title id="${escapeXml(t)}">${escapeXml(input.title)}</title>` +
    `<desc id="${escapeXml(d)}">${escapeXml(input.desc)}</desc>`
  );
}

const r = (n: number) => String(Math.round(n * 10) / 10);

/** A round upper end for an axis: 1, 2, 2.5, 5 × 10^k at or above max. */
export function niceMax(max: number): number {
  if (!(max > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * power >= max) return step * power;
  return 10 * power;
}

function legend(series: Series[], x: number, y: number, line: boolean): { svg: string; height: number } {
  if (series.length < 2) return { svg: '', height: 0 };
  let svg = '';
  let cx = x;
  let cy = y;
  for (const [i, s] of series.entries()) {
    const w = 26 + textWidth(s.name, 13) + 16;
    if (cx + w > 640 && cx > x) {
      cx = x;
      cy += 20;
    }
    const colour = SERIES_COLOURS[i % SERIES_COLOURS.length];
    svg += line
      ? `<line x1="${r(cx)}" y1="${r(cy + 6)}" x2="${r(cx + 20)}" y2="${r(cy + 6)}" stroke="${colour}" stroke-width="3"${DASHES[i % DASHES.length] ? ` stroke-dasharray="${DASHES[i % DASHES.length]}"` : ''}/>`
      : `<rect x="${r(cx)}" y="${r(cy)}" width="14" height="12" fill="${colour}"/>`;
    svg += `<text x="${r(cx + 24)}" y="${r(cy + 11)}" font-size="13">${escapeXml(s.name)}</text>`;
    cx += w;
  }
  return { svg: `<g class="chart__legend">${svg}</g>`, height: cy - y + 24 };
}

/** Horizontal bars, grouped by category (one bar per series), each value written beside its bar. */
export function barChart(input: ChartInput): string {
  const width = 640;
  const labelLines = input.categories.map((c) => wrap(c, 26));
  const labelWidth = Math.min(230, Math.max(60, ...labelLines.flat().map((l) => textWidth(l, 13))) + 8);
  const valueWidth = Math.max(40, ...input.series.flatMap((s) => s.values.map((v) => textWidth(input.format(v), 13))));
  const barArea = width - labelWidth - valueWidth - 16;
  const barHeight = 14;
  const max = niceMax(Math.max(0, ...input.series.flatMap((s) => s.values.map((v) => v ?? 0))));
  const top = 8;
  const leg = legend(input.series, 0, top, false);
  let y = top + leg.height;
  let body = '';
  input.categories.forEach((_category, ci) => {
    const lines = labelLines[ci]!;
    const groupHeight = Math.max(lines.length * 16, input.series.length * (barHeight + 3)) + 10;
    body += `<g class="chart__group">`;
    lines.forEach((line, li) => {
      body += `<text x="${r(labelWidth - 8)}" y="${r(y + 12 + li * 16)}" text-anchor="end" font-size="13">${escapeXml(line)}</text>`;
    });
    input.series.forEach((s, si) => {
      const value = s.values[ci] ?? null;
      const v = value ?? 0;
      const w = (v / max) * barArea;
      const by = y + si * (barHeight + 3);
      const colour = SERIES_COLOURS[si % SERIES_COLOURS.length];
      body += `<rect x="${r(labelWidth)}" y="${r(by)}" width="${r(Math.max(w, v > 0 ? 1 : 0))}" height="${barHeight}" fill="${colour}"/>`;
      body += `<text x="${r(labelWidth + w + 4)}" y="${r(by + 11)}" font-size="13">${escapeXml(input.format(value))}</text>`;
    });
    body += '</g>';
    y += groupHeight;
  });
  const axis = `<line x1="${r(labelWidth)}" y1="${r(top + leg.height - 4)}" x2="${r(labelWidth)}" y2="${r(y)}" stroke="${GRID}"/>`;
  const height = y + 8;
  return `${open(input, width, height, 'chart--bars')}${leg.svg}${axis}${body}</svg>`;
}

/** Lines over ordered categories (months, quarters); each series has its own colour and dash pattern, values at the last point. */
export function lineChart(input: ChartInput): string {
  const width = 640;
  const left = 44;
  const right = 16;
  const top = 12;
  const plotHeight = 220;
  const leg = legend(input.series, 0, top, true);
  const plotTop = top + leg.height + 6;
  const max = niceMax(Math.max(0, ...input.series.flatMap((s) => s.values.map((v) => v ?? 0))));
  const n = input.categories.length;
  const plotWidth = width - left - right;
  const x = (i: number) => left + (n <= 1 ? plotWidth / 2 : (i * plotWidth) / (n - 1));
  const yOf = (v: number) => plotTop + plotHeight - (v / max) * plotHeight;
  let svg = '';
  for (let k = 0; k <= 4; k++) {
    const v = (max * k) / 4;
    svg += `<line x1="${left}" y1="${r(yOf(v))}" x2="${r(width - right)}" y2="${r(yOf(v))}" stroke="${GRID}"/>`;
    svg += `<text x="${left - 6}" y="${r(yOf(v) + 4)}" text-anchor="end" font-size="12">${escapeXml(input.format(v))}</text>`;
  }
  // at most ~8 labels under the axis, so they never overlap
  const every = Math.max(1, Math.ceil(n / 8));
  input.categories.forEach((c, i) => {
    if (i % every !== 0 && i !== n - 1) return;
    svg += `<text x="${r(x(i))}" y="${r(plotTop + plotHeight + 18)}" text-anchor="middle" font-size="12">${escapeXml(c)}</text>`;
  });
  input.series.forEach((s, si) => {
    const colour = SERIES_COLOURS[si % SERIES_COLOURS.length];
    const dash = DASHES[si % DASHES.length];
    const points = s.values.map((v, i) => `${r(x(i))},${r(yOf(v ?? 0))}`).join(' ');
    svg += `<g class="chart__series">`;
    svg += `<polyline points="${points}" fill="none" stroke="${colour}" stroke-width="2.5"${dash ? ` stroke-dasharray="${dash}"` : ''}/>`;
    s.values.forEach((v, i) => {
      svg += `<circle cx="${r(x(i))}" cy="${r(yOf(v ?? 0))}" r="3" fill="${colour}"/>`;
    });
    svg += '</g>';
  });
  const height = plotTop + plotHeight + 28;
  return `${open(input, width, height, 'chart--lines')}${leg.svg}${svg}</svg>`;
}
