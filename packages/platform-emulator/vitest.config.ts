import { defineConfig } from 'vitest/config';

// Each file starts its own emulators and fake tools on port 0; two workers at most, because the
// machines that run this have two cores shared with the rest of the monorepo's tests.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    maxWorkers: 2,
    testTimeout: 300_000,
  },
});
