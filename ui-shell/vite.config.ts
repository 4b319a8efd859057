// Built to static files the kernel serves at / (kernel/src/shell). Hashed names under assets/ let
// the kernel cache them forever; no inline script, so the page runs under a strict CSP.
// frame.html is the document of third-party plugin frames (issue 19): the kernel serves it per
// plugin element at /ui-frame/… with its own, stricter CSP.
import { defineConfig } from 'vite';

export default defineConfig({
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    modulePreload: { polyfill: false }, // the polyfill is an inline script; modern browsers need none
    assetsInlineLimit: 0,
    reportCompressedSize: false,
    rollupOptions: { input: { index: 'index.html', frame: 'frame.html' } },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:3000', '/plugins': 'http://127.0.0.1:3000' } },
});
