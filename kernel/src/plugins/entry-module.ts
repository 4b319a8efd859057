// Which file of a plugin version runs in this process. A TypeScript entry runs where a TypeScript
// loader is active (development: tsx); without one (the production build on plain Node, which
// answers ERR_UNKNOWN_FILE_EXTENSION) the release's compiled module runs instead: its package.json
// `exports['.']`, which the same signed tarball carries (`pnpm pack` applies publishConfig).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The compiled module a release ships beside a TypeScript entry, or undefined. */
export function compiledEntry(dir: string): string | undefined {
  try {
    const { exports } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { exports?: unknown };
    const dot = (exports as Record<string, unknown> | undefined)?.['.'] ?? exports;
    const target =
      typeof dot === 'string'
        ? dot
        : ((dot as { import?: unknown; default?: unknown } | undefined)?.import ??
          (dot as { default?: unknown } | undefined)?.default);
    return typeof target === 'string' && /\.m?js$/.test(target) && existsSync(join(dir, target))
      ? target
      : undefined;
  } catch {
    return undefined;
  }
}

/** Imports the entry with `load`, falling back to the compiled module when TypeScript cannot load. */
export async function importEntry<M>(
  dir: string,
  entry: string,
  load: (file: string) => Promise<M>,
): Promise<M> {
  try {
    return await load(entry);
  } catch (err) {
    const compiled =
      (err as { code?: string })?.code === 'ERR_UNKNOWN_FILE_EXTENSION' ? compiledEntry(dir) : undefined;
    if (!compiled) throw err;
    return load(compiled);
  }
}
