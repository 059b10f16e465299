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
    testTimeout: 30_000,
    hookTimeout: 120_000,
    reporters: ['default'],
  },
});
