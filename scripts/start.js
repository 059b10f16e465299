#!/usr/bin/env node
'use strict';
/**
 * `npm start`: the portal from compiled JavaScript, as the container image runs it.
 *
 * Compiling TypeScript while loading (tsx) costs every start ~0.5–1.5 s and ~60 MB more than
 * running what `npm run build` wrote to dist/ (bench/RESULTS.md, "Start-up"). So this launcher
 * builds dist/ when the sources changed since the last build – the first start after a checkout,
 * or after an edit – and then runs dist/src/server.js in this same process. Whether a build is
 * due is decided by content, not by file times (a checkout sets file times anew): a hash of
 * every file tsc compiles and of the tsconfig files, kept in dist/.sources after a successful
 * build. While developing, `npm run dev` (tsx, restarts on change) needs no build at all.
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const ROOT = path.resolve(__dirname, '..');
const STAMP = path.join(ROOT, 'dist', '.sources');
const SERVER = path.join(ROOT, 'dist', 'src', 'server.js');

/** Every .ts file below dir, relative to ROOT, sorted (the order of the hash must not depend on the disk). */
function tsFiles(dir) {
  return fs
    .readdirSync(path.join(ROOT, dir), { withFileTypes: true })
    .flatMap((entry) => {
      const rel = `${dir}/${entry.name}`;
      if (entry.isDirectory()) return tsFiles(rel);
      return entry.name.endsWith('.ts') ? [rel] : [];
    })
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)); // code-unit order, as on every machine
}

/** What the build is made of: the compiled sources and the compiler settings (tsconfig.build.json's include). */
function sourceHash() {
  const hash = crypto.createHash('sha256');
  for (const file of ['tsconfig.json', 'tsconfig.build.json', ...tsFiles('src'), ...tsFiles('migrations')]) {
    hash.update(`${file}\0`);
    hash.update(fs.readFileSync(path.join(ROOT, file)));
    hash.update('\0');
  }
  return hash.digest('hex');
}

function built(hash) {
  try {
    return fs.existsSync(SERVER) && fs.readFileSync(STAMP, 'utf8').trim() === hash;
  } catch {
    return false;
  }
}

const hash = sourceHash();
if (!built(hash)) {
  console.log('Social-Media-Register: compiling the sources to dist/ (npm run build) …');
  // tsc writes its JavaScript even when it reports errors: without the stamp, a start after a
  // failed build compiles again instead of running what the failed build left in dist/
  fs.rmSync(STAMP, { force: true });
  const tsc = spawnSync(
    process.execPath,
    [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'],
    {
      cwd: ROOT,
      stdio: 'inherit',
    },
  );
  if (tsc.status !== 0) {
    console.error('The Social-Media-Register cannot start: the build failed (see above).');
    process.exit(tsc.status ?? 1);
  }
  fs.writeFileSync(STAMP, `${hash}\n`);
}
// --build-only: bring dist/ up to date and stop (the start-up benchmark, before it measures starts)
if (!process.argv.includes('--build-only')) {
  // The embedded database (PGlite) is PostgreSQL compiled to WebAssembly. V8 first compiles it with
  // its baseline compiler (Liftoff) and then recompiles hot functions with TurboFan on background
  // threads – on a two-core machine that tier-up competes with the start itself: with Liftoff
  // only, a fresh start needs ~1.5–2.5 s less CPU and ~80 MB less memory, and the mixed load
  // showed no throughput cost (bench/RESULTS.md, "Start-up: npm start on the compiled build").
  // Set here, not as a node option: an unknown V8 flag is ignored here, but stops `node` itself.
  // Only the embedded database runs WebAssembly; with DATABASE_URL the flag changes nothing.
  require('node:v8').setFlagsFromString('--liftoff-only');
  require(SERVER);
}
