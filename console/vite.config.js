import { defineConfig } from 'vite';

// The console is served by `tether server` under /ui (docs/console.md). The build writes into the
// Maven module's classes, so the jar carries it as classpath resources under tether-console/.
export default defineConfig({
  base: '/ui/',
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir: 'target/classes/tether-console',
    emptyOutDir: true,
    // No inline scripts or data: URLs, so the Content-Security-Policy can stay 'self' only.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
  },
});
