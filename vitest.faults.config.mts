import { defineConfig } from 'vitest/config';

/**
 * `npm run test:faults`: fault and two-instance tests against throwaway PostgreSQL 15
 * clusters and real server processes. Not part of `npm test` (they need root, Debian's
 * postgresql-15 server binaries, and take minutes). Files run one after another: each
 * starts its own cluster and processes on free loopback ports.
 */
export default defineConfig({
  test: {
    include: ['test/faults/**/*.fault.ts', 'test/instances/**/*.fault.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 300_000,
    reporters: ['default'],
  },
});
