// Builds the dashboard into this module's class-path resources, where the HTTP adapter serves it
// from (io.rehoboam.http.internal.Dashboard): no CDN, no inline script or style, so the page runs
// under the adapter's strict Content-Security-Policy.
import { defineConfig } from 'vite';

export default defineConfig({
  base: './',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'target/classes/io/rehoboam/http/dashboard',
    emptyOutDir: true,
    assetsInlineLimit: 0,
    sourcemap: false,
    reportCompressedSize: true,
  },
});
