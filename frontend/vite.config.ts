import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The Go server (make run) listens on 127.0.0.1:8080; the dev server forwards
// everything that is not the SPA to it, so the app always talks same-origin.
const goServer = 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [react()],
  server: {
    proxy: {
      '/api': goServer,
      '/healthz': goServer,
      '/readyz': goServer,
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
  },
});
