import { afterAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { acquireDataDirLock, DataDirLockedError } from '../../src/db/lock';

const ROOT = path.resolve(__dirname, '../..');
const dirs: string[] = [];
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'smr-lock-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe('one process per embedded data folder', () => {
  it('refuses a second lock while the holder lives, and takes over a stale one', () => {
    const dir = tmp();
    const release = acquireDataDirLock(dir);
    // a lock held by another live process (our parent stands in for it)
    fs.writeFileSync(path.join(dir, 'portal.lock'), String(process.ppid));
    expect(() => acquireDataDirLock(dir)).toThrow(DataDirLockedError);
    // the holder is gone: a pid that cannot exist
    fs.writeFileSync(path.join(dir, 'portal.lock'), '2147483646');
    const again = acquireDataDirLock(dir);
    again();
    expect(fs.existsSync(path.join(dir, 'portal.lock'))).toBe(false);
    release();
  });

  it('a second portal on the same data folder stops with a clear message', async () => {
    const dataDir = tmp();
    const env = { PATH: process.env.PATH, DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'info', NODE_ENV: 'development' };
    const first: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], { cwd: ROOT, env });
    try {
      await new Promise<void>((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error(`first portal did not start: ${out}`)), 60_000);
        first.stdout?.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          if (out.includes('Social-Media-Register ready')) {
            clearTimeout(timer);
            resolve();
          }
        });
        first.on('exit', (code) => reject(new Error(`first portal exited ${code}: ${out}`)));
      });
      const second = spawnSync(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
        cwd: ROOT,
        env,
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(second.status).toBe(75);
      expect(second.stderr).toContain(`The data folder ${dataDir} is already in use by process ${first.pid}`);
    } finally {
      first.kill('SIGTERM');
      await new Promise((resolve) => first.once('exit', resolve));
    }
    // a clean shutdown releases the folder
    expect(fs.existsSync(path.join(dataDir, 'portal.lock'))).toBe(false);
  }, 180_000); // two real portal processes: slow on a busy 2-core machine
});
