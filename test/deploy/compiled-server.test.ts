import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { de } from '../../src/messages';
import { freePort, REPO, ServerProcess, signInAt } from '../faults/support';

/**
 * The production build as it is run: `npm run build` (tsc) and then plain `node` on the
 * compiled JavaScript, no tsx, no esbuild. The compiled code sits one folder deeper than the
 * sources (dist/src/ instead of src/) and must still find views/, public/, the KERN assets in
 * node_modules and the demo directory's LDIF.
 *
 * It builds into a folder of its own under dist/ (same tsconfig.build.json, only another
 * --outDir), so that it never overwrites or reads a dist/ somebody is using.
 */

const run = promisify(execFile);
const OUT = path.join(REPO, 'dist', `.test-${process.pid}`);
const dirs: string[] = [OUT];
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'smr-compiled-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** Plain node, nothing preloaded: no NODE_OPTIONS, so nothing can bring tsx in. */
function env(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'development', LOG_LEVEL: 'info', ...extra };
}

describe('compiled production build', () => {
  beforeAll(async () => {
    await run('npm', ['run', 'build', '--', '--outDir', OUT], {
      cwd: REPO,
      env: { ...process.env, NODE_OPTIONS: '' },
      timeout: 120_000,
    });
  }, 150_000);

  it('writes the server, the command-line tools and the migrations as JavaScript, and no tests', () => {
    for (const file of [
      'src/server.js',
      'src/cli/migrate.js',
      'src/cli/seed-demo.js',
      'src/cli/export-static.js',
      'src/cli/seed-synthetic.js',
      'migrations/index.js',
    ]) {
      expect(fs.existsSync(path.join(OUT, file)), file).toBe(true);
    }
    expect(fs.existsSync(path.join(OUT, 'test'))).toBe(false);
    expect(fs.existsSync(path.join(OUT, 'bench'))).toBe(false);
  });

  it('migrates a fresh data folder, then serves the overview, assets and sign-in from it, and stops cleanly on SIGTERM', async () => {
    const dataDir = tmp();
    const migrate = await run(process.execPath, [path.join(OUT, 'src/cli/migrate.js')], {
      cwd: REPO,
      env: env({ DATA_DIR: dataDir }),
      timeout: 90_000,
    });
    // a fresh folder is migrated here, or arrives migrated as a copy of the migrated template
    // (src/db/knex.ts) when an earlier start on this machine made one for these migrations
    expect(migrate.stdout).toMatch(/^(Applied: \d{8}_0001_foundation, |Database is up to date\.)/);

    const port = await freePort();
    const server = new ServerProcess(
      'compiled',
      env({ DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: String(port), BASE_URL: `http://127.0.0.1:${port}` }),
      [path.join(OUT, 'src/server.js')],
    );
    try {
      await server.start(90_000);
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);

      const home = await fetch(`${server.url}/`);
      expect(home.status).toBe(200);
      const html = await home.text();
      expect(html).toMatch(new RegExp(`<h1[^>]*>${de['home.title']}</h1>`));
      // every stylesheet and script the page loads: public/ and @kern-ux/native from node_modules
      const assets = [...html.matchAll(/<(?:link rel="stylesheet" href|script src)="([^"]+)"/g)].map(
        (m) => m[1] as string,
      );
      expect(assets).toEqual(expect.arrayContaining(['/assets/app.css', '/assets/kern/kern.min.css']));
      for (const asset of assets) {
        const res = await fetch(`${server.url}${asset}`);
        expect(res.status, asset).toBe(200);
        expect(res.headers.get('content-type'), asset).toMatch(/^(text\/css|text\/javascript|application\/javascript)/);
      }
      // the demo directory read directory/demo-directory.ldif; a staff page renders its views
      const { agent } = await signInAt(server.url, 'redaktion');
      expect((await agent.get('/intern')).status).toBeLessThan(400);
    } finally {
      await server.stop();
    }
    expect(await server.exited).toBe(0);
    expect(server.errors()).toEqual([]);
    expect(fs.existsSync(path.join(dataDir, 'portal.lock'))).toBe(false);
  }, 240_000); // a real portal process on a busy 2-core machine
});
