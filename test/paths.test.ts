import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findProjectRoot, fromProjectRoot, PROJECT_ROOT } from '../src/paths';
import { DEMO_LDIF_PATH } from '../src/directory/demo-server';

const ROOT = path.resolve(__dirname, '..');
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe('project root (src/ under tsx, dist/src/ when compiled)', () => {
  it('is the same folder from the source tree and from the compiled tree', () => {
    expect(PROJECT_ROOT).toBe(ROOT);
    expect(findProjectRoot(path.join(ROOT, 'src', 'web'))).toBe(ROOT);
    expect(findProjectRoot(path.join(ROOT, 'dist', 'src', 'web'))).toBe(ROOT);
    expect(findProjectRoot(path.join(ROOT, 'dist', 'src', 'directory'))).toBe(ROOT);
  });

  it('points at the files the server reads at run time', () => {
    expect(fs.existsSync(path.join(fromProjectRoot('views'), 'layouts', 'main.ejs'))).toBe(true);
    expect(fs.existsSync(path.join(fromProjectRoot('public'), 'app.css'))).toBe(true);
    expect(DEMO_LDIF_PATH).toBe(path.join(ROOT, 'directory', 'demo-directory.ldif'));
    expect(fs.existsSync(DEMO_LDIF_PATH)).toBe(true);
  });

  it("skips another package's package.json and says so when there is none", () => {
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'smr-paths-'));
    dirs.push(outside);
    fs.writeFileSync(path.join(outside, 'package.json'), JSON.stringify({ name: 'something-else' }));
    fs.mkdirSync(path.join(outside, 'dist', 'src'), { recursive: true });
    expect(() => findProjectRoot(path.join(outside, 'dist', 'src'))).toThrow(
      /No package.json of social-media-register/,
    );
  });
});
