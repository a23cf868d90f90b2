import { defineConfig } from 'vitest/config';

// One file at a time: each file starts its own chromium, tool and emulator, and the machines that
// run this have two cores.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
  },
});
