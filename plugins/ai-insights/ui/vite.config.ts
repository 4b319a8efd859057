// Builds the plugin's browser module (erp.ui.module) in vite's library mode: one ES module with lit
// and the SDK's UI helpers bundled in, so it loads by itself from its immutable asset URL
// (/plugins/ai-insights/<version>/ai-insights.js) with no import map and no shared copy to keep in step.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  define: { 'process.env.NODE_ENV': '"production"' },
  // Production builds of lit and friends whatever NODE_ENV the building process has (a test run
  // sets it to "test"), so the committed module is reproducible.
  mode: 'production',
  resolve: { conditions: ['module', 'browser', 'production'] },
  logLevel: 'warn',
  build: {
    lib: {
      entry: fileURLToPath(new URL('src/index.ts', import.meta.url)),
      formats: ['es'],
      fileName: () => 'ai-insights.js',
    },
    outDir: fileURLToPath(new URL('dist', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    // Library mode keeps whitespace in ES output for consumers that bundle again; this module is
    // the end product a browser loads, so it is minified fully.
    minify: true,
    rolldownOptions: { output: { minify: true } },
  },
});
