import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, REPO, ServerProcess } from '../faults/support';

/**
 * `npm start`, the README's first command, runs scripts/start.js: it compiles the sources to
 * dist/ when they changed since the last build and runs the compiled server in its own process.
 * Tried on a copy of the project (sources, views, assets; node_modules linked), so that the
 * builds here never touch the dist/ of this checkout.
 */
const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'smr-launcher-'));
const dirs = [copy];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

const launcher = path.join(copy, 'scripts', 'start.js');
/** The launcher with --build-only: what it printed and how it ended. */
function buildOnly() {
  const run = spawnSync(process.execPath, [launcher, '--build-only'], {
    cwd: copy,
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}
const COMPILING = /compiling the sources to dist\//;

beforeAll(() => {
  for (const item of [
    'package.json',
    'tsconfig.json',
    'tsconfig.build.json',
    'src',
    'migrations',
    'views',
    'public',
    'directory',
    'scripts',
  ])
    fs.cpSync(path.join(REPO, item), path.join(copy, item), { recursive: true });
  fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(copy, 'node_modules'), 'dir');
});

describe('npm start (scripts/start.js)', () => {
  const file = path.join(copy, 'src', 'paths.ts');
  let source = '';

  it('builds on the first start, and not again while nothing changed', () => {
    const first = buildOnly();
    expect(first.status, first.output).toBe(0);
    expect(first.output).toMatch(COMPILING);
    expect(fs.existsSync(path.join(copy, 'dist', 'src', 'server.js'))).toBe(true);

    const again = buildOnly();
    expect(again.status, again.output).toBe(0);
    expect(again.output).not.toMatch(COMPILING);
  }, 240_000);

  it('compiles an edit (even one that keeps the file time), and does not start on sources that do not compile', () => {
    source = fs.readFileSync(file, 'utf8');
    const { mtime } = fs.statSync(file);
    fs.appendFileSync(file, '\nexport const broken: number = "not a number";\n');
    fs.utimesSync(file, mtime, mtime);
    const run = buildOnly();
    expect(run.output).toMatch(COMPILING);
    expect(run.status).not.toBe(0);
    expect(run.output).toMatch(/src\/paths\.ts.*error TS2322/);
    expect(run.output).toMatch(/cannot start: the build failed/);
  }, 240_000);

  it('after the fix, compiles again and serves the portal on a fresh data folder; stops cleanly on SIGTERM', async () => {
    // the sources are back as they were at the first build: what the failed build wrote to
    // dist/ must not be run as if it were that build
    fs.writeFileSync(file, source);
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'smr-launcher-data-'));
    dirs.push(dataDir);
    const port = await freePort();
    const server = new ServerProcess(
      'npm start',
      {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        NODE_ENV: 'development',
        LOG_LEVEL: 'info',
        DATA_DIR: dataDir,
        HOST: '127.0.0.1',
        PORT: String(port),
        BASE_URL: `http://127.0.0.1:${port}`,
      },
      [launcher],
    );
    try {
      await server.start(180_000);
      expect(server.lines.join('\n')).toMatch(COMPILING);
      expect((await fetch(`${server.url}/`)).status).toBe(200);
      expect((await fetch(`${server.url}/assets/kern/kern.min.css`)).status).toBe(200);
    } finally {
      await server.stop();
    }
    expect(await server.exited).toBe(0);
    expect(server.errors()).toEqual([]);
    expect(fs.readFileSync(path.join(copy, 'dist', 'src', 'paths.js'), 'utf8')).not.toContain('not a number');
  }, 240_000);
});
