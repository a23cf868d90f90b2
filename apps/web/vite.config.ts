import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The tool server serves this build at /app/, so every asset URL must carry that base.
export default defineConfig({
  base: '/app/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022' },
});
