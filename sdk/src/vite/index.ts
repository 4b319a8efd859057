// The vite configuration of a plugin's browser module (erp.ui.module), shared by every plugin so
// the build that makes a committed or published module is the same everywhere. Library mode: one
// ES module with lit and the SDK's UI helpers bundled in, so it loads by itself from its immutable
// asset URL (/plugins/<id>/<version>/<file>) with no import map and no shared copy to keep in step.
// A plugin's ui/vite.config.ts is then:
//
//   import { pluginModuleConfig } from '@erp/sdk/vite';
//   import { defineConfig } from 'vite';
//   export default defineConfig(pluginModuleConfig(import.meta.url, { entry: 'src/index.ts', fileName: 'shelf-life.js' }));
import { fileURLToPath } from 'node:url';

export interface PluginModuleOptions {
  /** The module's entry, relative to the ui/ folder. */
  entry: string;
  /** The built file's name in ui/dist (the manifest's erp.ui.module names it). */
  fileName: string;
}

/** `configUrl` is the config file's import.meta.url: the ui/ folder is where it lives. */
export function pluginModuleConfig(configUrl: string, o: PluginModuleOptions) {
  const at = (path: string) => fileURLToPath(new URL(path, configUrl));
  return {
    root: at('.'),
    define: { 'process.env.NODE_ENV': '"production"' },
    // Production builds of lit and friends whatever NODE_ENV the building process has (a test run
    // sets it to "test"), so the committed module is reproducible.
    mode: 'production',
    resolve: { conditions: ['module', 'browser', 'production'] },
    logLevel: 'warn' as const,
    build: {
      lib: { entry: at(o.entry), formats: ['es' as const], fileName: () => o.fileName },
      outDir: at('dist'),
      emptyOutDir: true,
      target: 'es2022',
      // Library mode keeps whitespace in ES output for consumers that bundle again; this module is
      // the end product a browser loads, so it is minified fully.
      minify: true,
      rolldownOptions: { output: { minify: true } },
    },
  };
}
