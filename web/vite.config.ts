import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The server serves dist/web at `/`; `npm run build` writes it next to the compiled server.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
    // The benchmark reads which chunks the first route loads from the manifest.
    manifest: true,
    // ECharts is loaded with the measurement and dashboard charts, never with the first route.
    chunkSizeWarningLimit: 1200,
  },
  server: {
    // `npx vite --config web/vite.config.ts` during development forwards API calls to a running custos.
    proxy: { '/api': 'http://localhost:4242' },
  },
});
