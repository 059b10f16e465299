import fs from 'node:fs';
import path from 'node:path';

const PACKAGE_NAME = 'social-media-register';

/**
 * The folder that holds the project's package.json, found by walking up from `start`.
 * The app runs from src/ (tsx, vitest) and compiled from dist/src/ (`npm run build`), so a
 * path relative to __dirname would change with the depth; the project root does not.
 */
export function findProjectRoot(start: string): string {
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest)) {
      try {
        if ((JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: unknown }).name === PACKAGE_NAME) return dir;
      } catch {
        // not a readable package.json: keep walking up
      }
    }
    if (path.dirname(dir) === dir) throw new Error(`No package.json of ${PACKAGE_NAME} in ${start} or above it`);
  }
}

export const PROJECT_ROOT = findProjectRoot(__dirname);

/** A path inside the project (views/, public/, directory/, …), wherever the code runs from. */
export const fromProjectRoot = (...segments: string[]) => path.join(PROJECT_ROOT, ...segments);
