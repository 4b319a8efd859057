// `erp-plugin build`: the manifest, the code and migrations against it, then a type-check; also
// the first stage of `pack` and `publish`.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { type PluginPackage, parsePluginPackage } from '../manifest/index.js';
import { CheckError, checkCode } from './check.js';
import { step } from './progress.js';
import { UsageError } from './usage.js';

export function readPackage(dir: string): PluginPackage {
  const file = join(dir, 'package.json');
  if (!existsSync(file)) throw new UsageError(`${dir} has no package.json (is it a plugin folder?)`);
  return parsePluginPackage(JSON.parse(readFileSync(file, 'utf8')));
}

/** typescript's compiler: the plugin's own, else the one next to the SDK. */
function tscPath(dir: string): string {
  for (const from of [join(dir, 'package.json'), import.meta.url]) {
    try {
      return createRequire(from).resolve('typescript/bin/tsc');
    } catch {
      // try the next place
    }
  }
  throw new Error('typescript is not installed (npm i -D typescript)');
}

/** The plugin's UI build config (ui/vite.config.*), if it has one. */
export function uiConfig(dir: string): string | undefined {
  return ['ts', 'mjs', 'js'].map((ext) => join(dir, 'ui', `vite.config.${ext}`)).find((f) => existsSync(f));
}

/** Builds the browser module with the plugin's own vite (a devDependency of a plugin with a UI). */
export function buildUi(dir: string, config: string): void {
  let vite: string;
  try {
    // vite's exports hide bin/, so its command is found through its package.json.
    const manifest = createRequire(join(dir, 'package.json')).resolve('vite/package.json');
    const bin = (JSON.parse(readFileSync(manifest, 'utf8')) as { bin: { vite: string } }).bin.vite;
    vite = join(dirname(manifest), bin);
  } catch {
    throw new Error('ui/vite.config needs vite installed next to the plugin (npm i -D vite)');
  }
  // The runner loads the config as vite loads modules, so its imports may be TypeScript (inside this
  // repository @erp/sdk/vite is the source file; a published SDK has it compiled).
  const r = spawnSync(process.execPath, [vite, 'build', '--config', config, '--configLoader', 'runner'], {
    cwd: dir,
    stdio: 'inherit',
  });
  if (r.status !== 0) throw new Error('the UI build failed (see above)');
}

export async function build(dir: string): Promise<PluginPackage> {
  let done = step('manifest');
  const pkg = readPackage(dir);
  done();
  done = step('code and migrations against the manifest');
  const by = await checkCode(pkg, dir);
  done();
  if (by === 'sdk')
    console.log('  (checked by the SDK alone; install @erp/plugin-testkit for the kernel’s own checks)');
  if (existsSync(join(dir, 'tsconfig.json'))) {
    done = step('type-check');
    const tsc = spawnSync(process.execPath, [tscPath(dir), '--noEmit', '-p', dir], { stdio: 'inherit' });
    done(tsc.status === 0);
    if (tsc.status !== 0) throw new Error('type errors (see above)');
  }
  const ui = uiConfig(dir);
  if (ui) {
    done = step('browser module (vite)');
    try {
      buildUi(dir, ui);
      done();
    } catch (err) {
      done(false);
      throw err;
    }
    const module = pkg.manifest.ui?.module;
    if (module && !existsSync(join(dir, module)))
      throw new CheckError(`erp.ui.module: ${module} was not written by the UI build`);
  }
  console.log(`${pkg.name}@${pkg.version} (plugin ${pkg.manifest.id}) is ready`);
  return pkg;
}
