import { defineConfig } from 'vitest/config';

// Most tests cover pure logic and server-rendered markup (react-dom/server), so they run in Node;
// the few that render hooks and forms with Testing Library opt into happy-dom per file
// (`// @vitest-environment happy-dom`) and import test/dom-patience.ts for their wait bound.
export default defineConfig({
  // A bound for a busy CI machine (two cores at load 18), not a speed target.
  test: { include: ['test/**/*.test.{ts,tsx}'], environment: 'node', testTimeout: 60_000 },
});
