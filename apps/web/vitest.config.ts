import { defineConfig } from 'vitest/config';

// The tests cover pure logic and server-rendered markup (react-dom/server), so they run in Node;
// no DOM emulation is needed.
export default defineConfig({
  test: { include: ['test/**/*.test.{ts,tsx}'], environment: 'node' },
});
