import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HISTORY_ACTIONS } from '../../src/audit/actions';
import { historyLabel } from '../../src/audit/labels';
import { translator } from '../../src/web/i18n';
import { de, en } from '../../src/messages';

const t = { de: translator('de', { de, en }), en: translator('en', { de, en }) };
const catalogue: Record<'de' | 'en', Record<string, string>> = { de, en };

const root = path.resolve(__dirname, '../..');
const sources = (dir: string): string[] =>
  fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : [],
    );

// every action the code can write: recordHistory takes only HISTORY_ACTIONS (a compile error otherwise)
describe('every history action', () => {
  it('is written through recordHistory, which accepts only the listed actions', () => {
    // the bulk import inserts rows that recordHistory itself made (src/admin/import/batch.ts)
    const writers = sources(path.join(root, 'src'))
      .filter((f) => /\(\s*['"]history['"]\s*\)\s*\.insert\(/.test(fs.readFileSync(f, 'utf8')))
      .map((f) => path.relative(root, f).split(path.sep).join('/'))
      .sort();
    expect(writers).toEqual(['src/admin/import/batch.ts', 'src/audit/history.ts']);
  });

  for (const action of HISTORY_ACTIONS) {
    it(`${action} has words in German and English`, () => {
      for (const locale of ['de', 'en'] as const) {
        // the language's own text, not the German fallback of the translator
        expect(catalogue[locale][`history.action.${action}`], locale).toMatch(/\p{L}{3,}/u);
        const text = historyLabel(t[locale], action);
        expect(text, locale).toBe(catalogue[locale][`history.action.${action}`]);
        expect(text, locale).not.toContain(action);
        expect(text, locale).not.toMatch(/\b[a-z_]+\.[a-z_]+\b/);
      }
      expect(historyLabel(t.en, action)).not.toBe(historyLabel(t.de, action));
    });
  }

  it('an action only an older version wrote gets neutral words, never its key', () => {
    expect(historyLabel(t.de, 'presence.archived')).toBe('Sonstiger Vorgang');
    expect(historyLabel(t.en, 'presence.archived')).toBe('Other event');
  });
});
