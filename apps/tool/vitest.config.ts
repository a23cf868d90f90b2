import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    // Each file opens PGlite (~0.5 s, hundreds of MB) and PostgreSQL databases: two at a time is
    // what a two-core machine carries.
    pool: 'forks',
    maxWorkers: 2,
    // A bound, not a speed target: at load 18 on two cores a test that takes 3 s alone can take 40.
    testTimeout: 120_000,
    hookTimeout: 300_000,
  },
});
