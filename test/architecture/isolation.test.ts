import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The unit suite runs with `isolate: false`: a worker loads the app's modules once and runs test
 * file after test file in the same process (bench/RESULTS.md, "Test suite"). That is only honest
 * while no test file leaves something behind that the next file would meet. The config restores
 * spies, stubbed environment variables and stubbed globals after every test; what the config
 * cannot undo is ruled out here: replacing a module for the whole process, or writing to the
 * process's environment or global object directly.
 */
const root = path.resolve(__dirname, '../..');

const LEAKS: ReadonlyArray<[string, RegExp]> = [
  ['replaces a module (vi.mock / vi.doMock)', /\bvi\s*\.\s*(?:mock|doMock|hoisted)\s*\(/],
  ['resets the module registry', /\bvi\s*\.\s*resetModules\s*\(/],
  ['writes process.env directly (use vi.stubEnv)', /\bprocess\.env(?:\.\w+|\[[^\]]+\])\s*(?:=(?!=)|\?\?=|\|\|=)/],
  ['deletes from process.env', /\bdelete\s+process\.env\b/],
  ['assigns to process.env as a whole', /\bObject\.assign\s*\(\s*process\.env\b|\bprocess\.env\s*=(?!=)/],
  ['writes globalThis directly (use vi.stubGlobal)', /\bglobalThis(?:\.\w+|\[[^\]]+\])\s*=(?!=)/],
];

/** What in a test file's source would outlive the file in a shared worker. */
export function leaks(source: string): string[] {
  return LEAKS.filter(([, pattern]) => pattern.test(source)).map(([what]) => what);
}

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return testFiles(full);
    return entry.name.endsWith('.ts') ? [path.relative(root, full).split(path.sep).join('/')] : [];
  });
}

describe('test files share a worker (isolate: false)', () => {
  it('and the config undoes spies, stubbed variables and stubbed globals after every test', async () => {
    const file = path.join(root, 'vitest.config.mts'); // a path, not a literal: tsc does not read .mts imports here
    const config = ((await import(file)) as { default: { test?: Record<string, unknown> } }).default;
    const test = config.test ?? {};
    expect(test.isolate).toBe(false);
    expect(test.restoreMocks).toBe(true);
    expect(test.unstubEnvs).toBe(true);
    expect(test.unstubGlobals).toBe(true);
  });

  it('so no test file or helper of the unit suite replaces modules or writes the environment or globals', () => {
    // e2e and fault tests have configs of their own (one process per file there)
    const files = testFiles(path.join(root, 'test')).filter(
      (f) => !f.startsWith('test/e2e/') && !f.startsWith('test/faults/') && f !== 'test/architecture/isolation.test.ts',
    );
    expect(files.length).toBeGreaterThan(80);
    const found = files
      .map((file) => ({ file, leaks: leaks(readFileSync(path.join(root, file), 'utf8')) }))
      .filter((r) => r.leaks.length > 0);
    expect(found).toEqual([]);
  });

  it('the check bites: each kind of leak is found, reading and comparing are not', () => {
    expect(leaks(`vi.mock('../../src/db/knex', () => ({}))`)).toHaveLength(1);
    expect(leaks(`vi.doMock('x')`)).toHaveLength(1);
    expect(leaks(`vi.resetModules()`)).toHaveLength(1);
    expect(leaks(`process.env.NODE_ENV = 'production'`)).toHaveLength(1);
    expect(leaks(`process.env['LDAP_URL'] ??= 'ldap://x'`)).toHaveLength(1);
    expect(leaks(`delete process.env.TZ`)).toHaveLength(1);
    expect(leaks(`Object.assign(process.env, { A: '1' })`)).toHaveLength(1);
    expect(leaks(`globalThis.fetch = async () => new Response()`)).toHaveLength(1);
    expect(leaks(`const url = process.env.TEST_DATABASE_URL || undefined;`)).toEqual([]);
    expect(leaks(`if (process.env.CI === 'true') {}`)).toEqual([]);
    expect(leaks(`vi.stubEnv('TZ', 'UTC'); vi.spyOn(globalThis, 'fetch')`)).toEqual([]);
  });
});
