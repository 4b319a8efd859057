// Writes test plugins (from the SDK's scaffold) into a folder the kernel's catalogue reads. They
// live under kernel/test/.generated so that `@erp/sdk` resolves as it does for a real package.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scaffoldFiles } from '@erp/sdk/scaffold';

export const GENERATED = join(dirname(fileURLToPath(import.meta.url)), '..', '.generated');

export interface PluginVersionSpec {
  id: string;
  version: string;
  /** Replaces or adds files relative to the plugin folder. */
  files?: Record<string, string>;
  /** Edits package.json. */
  pkg?: (pkg: Record<string, unknown>) => void;
  /** Default first-party (runs in-process); third-party needs the sandbox. */
  trust?: 'first-party' | 'third-party';
  /** Edits src/index.ts. */
  code?: (src: string) => string;
}

export function pluginFolder(): { root: string; cleanup(): void } {
  const root = join(GENERATED, randomBytes(6).toString('hex'));
  mkdirSync(root, { recursive: true });
  return { root, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** Writes <root>/<id>/<version>/ and returns its folder. */
export function writePluginVersion(root: string, spec: PluginVersionSpec): string {
  const dir = join(root, spec.id, spec.version);
  const files = scaffoldFiles({
    id: spec.id,
    packageName: `@test/${spec.id}`,
    displayName: `Test ${spec.id}`,
    version: spec.version,
    kernelRange: '^0.1.0',
    sdkRange: 'workspace:^',
    trust: spec.trust ?? 'first-party',
  });
  for (const [rel, content] of Object.entries({ ...files, ...(spec.files ?? {}) })) {
    const file = join(dir, rel);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
  if (spec.pkg) {
    const file = join(dir, 'package.json');
    const pkg = JSON.parse(readFileSync(file, 'utf8'));
    spec.pkg(pkg);
    writeFileSync(file, JSON.stringify(pkg, null, 2));
  }
  if (spec.code) {
    const file = join(dir, 'src/index.ts');
    writeFileSync(file, spec.code(readFileSync(file, 'utf8')));
  }
  // The scaffold's element is built by `erp-plugin build` (vite); these tests only serve the asset,
  // so a stand-in module takes the built one's place.
  const module = join(dir, 'ui', 'dist', `${spec.id}-items.js`);
  if (!existsSync(module)) {
    mkdirSync(dirname(module), { recursive: true });
    writeFileSync(module, `// stand-in for the built <${spec.id}-items> module\n`);
  }
  return dir;
}

/** Version 1.1.0-style change: an additive migration and a route that reports the version. */
export function withVersionRoute(id: string, version: string) {
  return (src: string) =>
    src.replace(
      '  routes: {\n',
      `  routes: {\n    'GET /version': route({\n      permission: '${id}.items.read',\n      async handler() {\n        return { version: '${version}' };\n      },\n    }),\n`,
    );
}
