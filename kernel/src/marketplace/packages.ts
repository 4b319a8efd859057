// The first-party packages the registry is seeded with: the SDK (its erp-plugin command included),
// the sandbox (a dependency of the kernel), the kernel and the plugin test kit, and the plugins under plugins/, found next to the kernel's own package folder. Each is compiled
// (tsc -p tsconfig.build.json, the compile step of its build; `erp-plugin build`'s checks run in
// CI) and packed by pnpm, which writes the package.json as published: publishConfig applied and
// workspace: ranges turned into versions (npm pack leaves them, and npm install then fails).
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

export type PackageJson = Record<string, unknown> & { name: string; version: string };

export interface FirstPartyPackage {
  dir: string;
  name: string;
  version: string;
}

const KERNEL_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function readPackage(dir: string): PackageJson | undefined {
  const file = join(dir, 'package.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as PackageJson) : undefined;
}

/**
 * What a partner's scaffolded plugin installs, in dependency order: the SDK, the sandbox, the
 * kernel and the test kit (its devDependencies: `npm test` runs the plugin against a real kernel); then every
 * first-party plugin, by folder name.
 */
export function firstPartyPackages(root = join(KERNEL_DIR, '..')): FirstPartyPackage[] {
  const tooling = [
    join(root, 'sdk'),
    join(root, 'sandbox'),
    join(root, 'kernel'),
    join(root, 'sdk', 'testkit'),
  ];
  const plugins = join(root, 'plugins');
  const pluginDirs = existsSync(plugins)
    ? readdirSync(plugins)
        .sort()
        .map((name) => join(plugins, name))
    : [];
  const found: FirstPartyPackage[] = [];
  for (const dir of [...tooling, ...pluginDirs]) {
    const pkg = readPackage(dir);
    if (!pkg || pkg.private === true) continue;
    if (!tooling.includes(dir) && typeof pkg.erp !== 'object') continue;
    found.push({ dir, name: pkg.name, version: pkg.version });
  }
  return found;
}

/** Compiles the package's dist/ when it has a build configuration (an installed package has none). */
export async function compilePackage(pkg: FirstPartyPackage, signal?: AbortSignal): Promise<void> {
  const config = join(pkg.dir, 'tsconfig.build.json');
  if (!existsSync(config)) return;
  const tsc = createRequire(join(pkg.dir, 'package.json')).resolve('typescript/bin/tsc');
  rmSync(join(pkg.dir, 'dist'), { recursive: true, force: true });
  await run(process.execPath, [tsc, '-p', config], { cwd: pkg.dir, ...(signal ? { signal } : {}) }).catch(
    (error: unknown) => {
      const out = error as { stdout?: string; stderr?: string; message?: string };
      throw new Error(`${pkg.name}: tsc failed: ${(out.stdout || out.stderr || out.message || '').trim()}`);
    },
  );
}

/** pnpm: ERP_PNPM when set (as the tests hand it down), else pnpm on the PATH, else the pinned one via npx. */
export function pnpmCommand(root = join(KERNEL_DIR, '..')): string[] {
  if (process.env.ERP_PNPM) return process.env.ERP_PNPM.split(' ');
  if (spawnSync('pnpm', ['--version'], { encoding: 'utf8' }).status === 0) return ['pnpm'];
  const pinned = (readPackage(root)?.packageManager as string | undefined) ?? 'pnpm@10';
  return ['npx', '-y', pinned];
}
