import { defineConfig } from 'vitest/config';

// The tests cover the UI's pure logic, so they run in Node; no DOM emulation is needed.
export default defineConfig({
  test: { include: ['test/**/*.test.ts'], environment: 'node' },
});
