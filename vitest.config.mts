import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/e2e/**', 'node_modules/**'],
    globalSetup: ['test/helpers/global-setup.ts'],
    pool: 'forks',
    // vitest's default for `run` is one worker fewer than there are cores: one worker on this
    // two-core machine, so the files ran one after another while the main process idled.
    // Two workers keep both cores busy (bench/RESULTS.md, "Test suite").
    maxWorkers: 2,
    // A worker keeps its modules and its PGlite instances from one test file to the next instead
    // of starting a new process per file: the app's ~1,000 modules are loaded twice per run, not
    // 88 times (vitest's summary: import 103 s -> 33 s; CPU of the run 642 s -> 274 s,
    // bench/RESULTS.md "Test suite"). Every test file already builds its own app and database
    // (test/helpers/app.ts, db.ts) and restores what it changes; test/architecture/isolation.test.ts
    // keeps it so.
    isolate: false,
    restoreMocks: true,
    unstubEnvs: true,
    unstubGlobals: true,
    testTimeout: 30_000,
    hookTimeout: 120_000,
    reporters: ['default'],
  },
});
