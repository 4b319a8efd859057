// One plugin version's code as a single script for the isolate: esbuild follows its imports from
// the entry (its own npm dependencies included, from its folder), gives `@erp/sdk` the SDK's
// runtime half (definePlugin, PluginProblem, the import protocol… — the manifest validator stays
// out; sdk/src/runtime), and refuses Node
// built-ins: nothing inside an isolate can reach the file system, the network or the process.
import { existsSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { build, type Plugin } from 'esbuild';

const builtins = new Set(builtinModules);

function sdkRuntime(): string {
  const root = dirname(createRequire(import.meta.url).resolve('@erp/sdk/package.json'));
  // The runtime half; an SDK from before it existed has only the plugin API.
  for (const f of [
    'src/runtime/index.ts',
    'dist/runtime/index.js',
    'src/plugin/index.ts',
    'dist/plugin/index.js',
  ]) {
    if (existsSync(join(root, f))) return join(root, f);
  }
  throw new Error('@erp/sdk has neither src/runtime/index.ts nor dist/runtime/index.js');
}

const isolateImports: Plugin = {
  name: 'erp-sandbox-imports',
  setup(b) {
    b.onResolve({ filter: /^@erp\/sdk$/ }, () => ({ path: sdkRuntime() }));
    b.onResolve({ filter: /.*/ }, (args) => {
      const bare = args.path.replace(/^node:/, '').split('/')[0]!;
      if (args.path.startsWith('node:') || builtins.has(bare) || builtins.has(args.path)) {
        return {
          errors: [
            {
              text: `${args.path} is a Node built-in; sandboxed plugins reach the outside only through ctx (${args.importer})`,
            },
          ],
        };
      }
      return undefined;
    });
  },
};

export class BundleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BundleError';
  }
}

/** Bundles `entry` (relative to `dir`) into a script that sets `globalThis.__erpPlugin`. */
export async function bundlePlugin(dir: string, entry: string): Promise<string> {
  try {
    const out = await build({
      absWorkingDir: dir,
      entryPoints: [join(dir, entry)],
      bundle: true,
      write: false,
      format: 'cjs',
      platform: 'neutral',
      mainFields: ['module', 'main'],
      conditions: ['import', 'default'],
      target: 'es2022',
      logLevel: 'silent',
      plugins: [isolateImports],
    });
    const code = out.outputFiles[0]!.text;
    // A function scope of its own: `module` and `exports` are the bundle's, not globals.
    return `(function () {\nvar module = { exports: {} };\nvar exports = module.exports;\n${code}\nglobalThis.__erpPlugin = module.exports;\n})();\n`;
  } catch (err) {
    const errors = (err as { errors?: { text: string }[] }).errors;
    throw new BundleError(errors?.length ? errors.map((e) => e.text).join('; ') : (err as Error).message);
  }
}
