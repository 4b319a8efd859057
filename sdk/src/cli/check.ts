// What `erp-plugin build` checks. With @erp/kernel resolvable from the plugin's folder the kernel's
// own loader runs (the same checks an install makes); without it (the SDK alone, installed from
// the registry) the SDK checks what it can by itself: the code loads, exports definePlugin(...),
// and its routes use permissions the manifest declares.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { PluginPackage } from '../manifest/index.js';
import { isDefinedPlugin } from '../plugin/index.js';

const ROUTE_KEY = /^(GET|POST|PUT|PATCH|DELETE) (\/[A-Za-z0-9_:/.-]*)$/;

export class CheckError extends Error {}

/** How the code was checked: by the kernel's loader, or by the SDK alone. */
export type CheckedBy = 'kernel' | 'sdk';

/** The kernel module as installed next to the plugin, or undefined when it is not. */
async function kernelFrom(
  dir: string,
): Promise<
  | { loadPlugin(e: { pkg: PluginPackage; dir: string }): Promise<unknown>; loadSqlParser?(): Promise<void> }
  | undefined
> {
  let manifestFile: string;
  try {
    manifestFile = createRequire(join(dir, 'package.json')).resolve('@erp/kernel/package.json');
  } catch {
    return undefined;
  }
  // Its "." export: a path in the workspace, {types, import} once published.
  const exported = JSON.parse(readFileSync(manifestFile, 'utf8')).exports?.['.'];
  const file = typeof exported === 'string' ? exported : exported?.import;
  if (typeof file !== 'string') return undefined;
  return import(pathToFileURL(join(dirname(manifestFile), file)).href);
}

/** TypeScript plugin code is loaded through tsx's loader (the kernel does the same in development). */
async function allowTypeScript(): Promise<void> {
  const { register } = await import('tsx/esm/api');
  register();
}

export async function checkCode(pkg: PluginPackage, dir: string): Promise<CheckedBy> {
  await allowTypeScript();
  const kernel = await kernelFrom(dir);
  if (kernel) {
    // The kernel lints migrations on PostgreSQL's own parser, loaded once before the first check.
    await kernel.loadSqlParser?.();
    await kernel.loadPlugin({ pkg, dir });
    return 'kernel';
  }
  const m = pkg.manifest;
  const entry = join(dir, m.entry);
  if (!existsSync(entry)) throw new CheckError(`erp.entry: ${m.entry} does not exist`);
  let mod: { default?: unknown };
  try {
    mod = await import(pathToFileURL(entry).href);
  } catch (err) {
    throw new CheckError(`${m.entry} failed to load: ${(err as Error).message}`);
  }
  const def = mod.default;
  if (!isDefinedPlugin(def)) throw new CheckError(`${m.entry} must export definePlugin(...) as default`);
  const declared = new Set(Object.keys(m.permissions ?? {}));
  for (const [key, route] of Object.entries(def.routes ?? {})) {
    if (!ROUTE_KEY.test(key)) throw new CheckError(`route "${key}" must look like "POST /path/:param"`);
    if (!declared.has(route.permission))
      throw new CheckError(
        `route "${key}" is guarded by ${route.permission}, which erp.permissions does not declare`,
      );
  }
  const migrations = join(dir, m.migrations);
  if (existsSync(migrations))
    for (const f of readdirSync(migrations).filter((f) => f.endsWith('.sql')))
      if (readFileSync(join(migrations, f), 'utf8').trim() === '')
        throw new CheckError(`migration ${f} is empty`);
  return 'sdk';
}
