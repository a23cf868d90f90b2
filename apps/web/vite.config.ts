import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The tool server serves this build at /app/, so every asset URL must carry that base.
export default defineConfig({
  base: '/app/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    rolldownOptions: {
      // The shared packages only declare schemas, constants and pure functions. Saying so lets the
      // bundler leave a module the learner's entry reaches through a barrel but never uses (the
      // assessor's contract, for one) in the lazy chunks that use it, instead of the first download.
      treeshake: { moduleSideEffects: [{ test: /packages[\\/](contracts|standards|evidence-files)[\\/]src[\\/]/, sideEffects: false }] },
    },
  },
});
