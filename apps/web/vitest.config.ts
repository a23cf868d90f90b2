import { defineConfig } from 'vitest/config';

// The tests cover pure logic and server-rendered markup (react-dom/server), so they run in Node;
// no DOM emulation is needed.
export default defineConfig({
  // A bound for a busy CI machine (two cores at load 18), not a speed target.
  test: { include: ['test/**/*.test.{ts,tsx}'], environment: 'node', testTimeout: 60_000 },
});
