import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = path.dirname(fileURLToPath(import.meta.url));
// The dev server forwards the API and the session endpoints to a web server (the one on :8001 by default).
const webServer = process.env.TULITY_WEB_URL ?? 'http://127.0.0.1:8001';

export default defineConfig({
  root,
  plugins: [react()],
  build: {
    outDir: path.join(root, '..', 'dist', 'client'),
    emptyOutDir: true,
    // Hashed names under /assets/ are cached for a year; the strict CSP forbids inline scripts and styles.
    assetsDir: 'assets',
    assetsInlineLimit: 0,
    sourcemap: true,
  },
  server: {
    proxy: {
      '/api/v1': { target: webServer, changeOrigin: false },
      '/session': { target: webServer, changeOrigin: false },
      '/system': { target: webServer, changeOrigin: false },
    },
  },
});
