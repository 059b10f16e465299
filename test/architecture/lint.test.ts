import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The type-checked linter (issue 11, point 6) must bite: `npm run lint` runs exactly as
 * package.json says on small files with known faults, with the project's .oxlintrc.json, and
 * each fault has to be reported. A config that no longer loads, a lost `--type-aware` (the
 * type-checked rules then stay silent) or a rule switched off makes this test fail instead of
 * letting `npm test` pass quietly.
 */
const root = path.resolve(__dirname, '../..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
};

/** Each fixture: a file with one fault, and the rule that has to report it. */
const FAULTS: Record<string, { rule: string; source: string }> = {
  'floating.ts': {
    rule: 'no-floating-promises',
    source: `export async function save(): Promise<void> {}\nexport function handler(): void {\n  save();\n}\n`,
  },
  'misused.ts': {
    rule: 'no-misused-promises',
    source: `export function start(): void {\n  setTimeout(async () => {\n    await Promise.resolve();\n  }, 10);\n  [1, 2].forEach(async (n) => {\n    await Promise.resolve(n);\n  });\n  if (Promise.resolve(true)) start();\n}\n`,
  },
  'thenable.ts': {
    rule: 'await-thenable',
    source: `export async function f(): Promise<number> {\n  return await 42;\n}\n`,
  },
  'template.ts': {
    rule: 'restrict-template-expressions',
    source: `export const text = (o: { a: number }): string => \`value: \${o}\`;\n`,
  },
  'throw.ts': {
    rule: 'only-throw-error',
    source: `export function fail(): never {\n  throw 'a string';\n}\n`,
  },
  'assertion.ts': {
    rule: 'no-unnecessary-type-assertion',
    source: `export const n = (x: number): number => x as number;\n`,
  },
  'unsafe.ts': {
    rule: 'no-unsafe-member-access',
    source: `export const f = (x: any): unknown => x.deep.value;\n`,
  },
  'switch.ts': {
    rule: 'switch-exhaustiveness-check',
    source: `export function label(s: 'a' | 'b'): string {\n  switch (s) {\n    case 'a':\n      return 'A';\n  }\n  return '';\n}\n`,
  },
};
const CLEAN = `export async function save(): Promise<void> {}\nexport async function handler(): Promise<void> {\n  await save();\n}\n`;

interface Finding {
  code: string;
  filename: string;
}

let dir: string;
let findings: Finding[];

/** Runs the lint script's command on `files` with the repository's config. */
function lint(files: string[]): Finding[] {
  const [bin, ...args] = pkg.scripts.lint!.split(/\s+/);
  expect(bin).toBe('oxlint');
  let out: string;
  try {
    out = execFileSync(
      path.join(root, 'node_modules/.bin/oxlint'),
      [...args, '-c', path.join(root, '.oxlintrc.json'), '-f', 'json', ...files],
      { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
  } catch (err) {
    // findings make oxlint exit with 1; its report is on stdout all the same
    out = (err as { stdout: string }).stdout;
  }
  const report = JSON.parse(out) as { diagnostics: Finding[] };
  return report.diagnostics;
}

beforeAll(() => {
  // inside the repository (tmp/ is git-ignored), so that oxlint finds oxlint-tsgolint in node_modules
  fs.mkdirSync(path.join(root, 'tmp'), { recursive: true });
  dir = fs.mkdtempSync(path.join(root, 'tmp', 'lint-'));
  fs.writeFileSync(
    path.join(dir, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { strict: true, target: 'ES2022', module: 'nodenext', lib: ['ES2023'] } }),
  );
  for (const [name, { source }] of Object.entries(FAULTS)) fs.writeFileSync(path.join(dir, name), source);
  fs.writeFileSync(path.join(dir, 'clean.ts'), CLEAN);
  findings = lint([...Object.keys(FAULTS), 'clean.ts']);
}, 60_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('the linter', () => {
  it('is part of npm test', () => {
    expect(pkg.scripts.test).toMatch(/(^|&& )npm run lint( &&|$)/);
    expect(pkg.scripts.lint).toMatch(/--type-aware/);
  });

  it.each(Object.entries(FAULTS))('reports %s through its type-checked rule', (name, fault) => {
    const codes = findings.filter((d) => d.filename === name).map((d) => d.code);
    expect(codes).toContain(`typescript(${fault.rule})`);
  });

  it('passes a file without faults', () => {
    expect(findings.filter((d) => d.filename === 'clean.ts')).toEqual([]);
  });
});
