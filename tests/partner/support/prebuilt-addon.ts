// isolated-vm (the sandbox's V8 isolates, which the partner's test kit brings) ships prebuilt
// binaries on GitHub: prebuild-install downloads the one for the running Node on `npm install`,
// and compiles from source (minutes on two cores) only when it cannot. A partner online gets the
// download; this machine reaches only the npm registry. So that the path measured is the
// partner's and not a C++ compile, the test places that download where prebuild-install keeps
// the ones it fetched (<npm cache>/_prebuilds), made from the workspace's own build of the same
// version for the same Node. prebuild-install's own functions name the file, so it is found
// exactly as a download would be. Nothing is placed when the workspace has no build.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { REPO_DIR } from './erp-process.js';

interface PrebuildUtil {
  getDownloadUrl(opts: Record<string, unknown>): string;
  cachedPrebuild(url: string): string;
}

/** Puts the prebuilt isolated-vm binary into the npm cache `npmCache`; returns its path or null. */
export function placePrebuiltIsolatedVm(npmCache: string): string | null {
  const fromSandbox = createRequire(join(REPO_DIR, 'sandbox', 'package.json'));
  const pkgDir = dirname(fromSandbox.resolve('isolated-vm/package.json'));
  const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
  const binary = join(pkg.binary?.module_path ?? 'build/Release', 'isolated_vm.node');
  if (!existsSync(join(pkgDir, binary))) return null;
  const util = createRequire(join(pkgDir, 'package.json'))('prebuild-install/util') as PrebuildUtil;
  const url = util.getDownloadUrl({
    pkg,
    runtime: 'node',
    abi: process.versions.modules,
    platform: process.platform,
    arch: process.arch,
    libc: '',
    'tag-prefix': 'v',
  });
  const previous = process.env.npm_config_cache;
  process.env.npm_config_cache = npmCache;
  const cached = util.cachedPrebuild(url);
  if (previous === undefined) delete process.env.npm_config_cache;
  else process.env.npm_config_cache = previous;
  if (!existsSync(cached)) {
    mkdirSync(dirname(cached), { recursive: true });
    execFileSync('tar', ['-czf', cached, '-C', pkgDir, binary]);
  }
  return cached;
}
