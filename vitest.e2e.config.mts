import { defineConfig } from 'vitest/config';

/**
 * Browser tests (Debian chromium driven by playwright-core), axe-core and the Nu Html
 * Checker: `npm run test:e2e`. Kept apart from vitest.config.mts so that `npm test` stays
 * fast and needs no browser. Each file starts its own app and one browser; two files run at
 * a time (the machine has two cores and chromium wants one of them).
 */
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    globalSetup: ['test/helpers/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default'],
  },
});
