import { expect } from 'vitest';
import { DOMParser, type Element } from '@xmldom/xmldom';

/** Parses as XML and fails on any error or warning, as a strict SVG consumer would. */
export function parseSvg(svg: string) {
  const problems: string[] = [];
  const doc = new DOMParser({ onError: (level, msg) => problems.push(`${level}: ${msg}`) }).parseFromString(
    svg,
    'image/svg+xml',
  );
  expect(problems).toEqual([]);
  return doc.documentElement as unknown as Element;
}
