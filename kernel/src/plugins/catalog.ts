// The plugin packages this instance can install: every folder on the plugin path that holds a
// package.json with an `erp` manifest. Layouts: <dir>/<plugin>/, <dir>/@scope/<plugin>/ and
// <dir>/<plugin>/<version>/ (the data folder keeps several versions side by side).
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { ManifestError, type PluginPackage, parsePluginPackage } from '@erp/sdk';
import semver from 'semver';

export interface CatalogEntry {
  pkg: PluginPackage;
  dir: string;
  /** Hash of the folder's file names, sizes and mtimes: a changed folder is loaded afresh. */
  fingerprint?: string;
  /** How many times this version was loaded before in this process (for a fresh import URL). */
  generation?: number;
  /**
   * In the marketplace's content-addressed store: installed from the registry, so it runs only as
   * a tenant's trust policy decided (never preloaded, never installed from the plugin path).
   */
  fromRegistry?: boolean;
  /** The runtime to load it in (set per load by PluginVersions; see runner/runtime.ts). */
  runtime?: 'in-process' | 'sandbox';
}

/** The store folder of a registry release: the first 40 hex digits of its sha512 (as @erp/marketplace names it). */
export function storeFolderOf(integrity: string): string {
  return Buffer.from(integrity.replace(/^sha512-/, ''), 'base64')
    .toString('hex')
    .slice(0, 40);
}

/**
 * An entry's identity: name@version on the plugin path; name@version@<store folder> in the store,
 * so a registry release never collides with a path copy of the same version, nor with other bytes
 * published under the same version.
 */
export function entryKey(e: Pick<CatalogEntry, 'pkg' | 'dir' | 'fromRegistry'>): string {
  const key = `${e.pkg.name}@${e.pkg.version}`;
  return e.fromRegistry ? `${key}@${basename(e.dir)}` : key;
}

export interface CatalogProblem {
  dir: string;
  error: string;
}

function candidateDirs(root: string, depth = 0): string[] {
  if (depth > 2 || !existsSync(root)) return [];
  const out: string[] = [];
  for (const name of readdirSync(root)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const dir = join(root, name);
    if (!statSync(dir).isDirectory()) continue;
    if (existsSync(join(dir, 'package.json'))) out.push(dir);
    else out.push(...candidateDirs(dir, depth + 1));
  }
  return out;
}

/** Cheap: stats only (no reads), skipping node_modules and dot-folders. */
export function folderFingerprint(dir: string): string {
  const hash = createHash('sha256');
  const walk = (d: string, depth: number) => {
    if (depth > 8) return;
    let names: string[];
    try {
      names = readdirSync(d).sort();
    } catch {
      return;
    }
    for (const name of names) {
      if (name === 'node_modules' || name.startsWith('.')) continue;
      const file = join(d, name);
      try {
        const st = statSync(file);
        if (st.isDirectory()) walk(file, depth + 1);
        else hash.update(`${file}\0${st.size}\0${st.mtimeMs}\n`);
      } catch {
        /* removed while scanning: the next scan sees the new state */
      }
    }
  };
  walk(dir, 0);
  return hash.digest('hex').slice(0, 16);
}

export class PluginCatalog {
  private entries = new Map<string, CatalogEntry>(); // key: name@version
  problems: CatalogProblem[] = [];

  /** `store`: the marketplace's plugin store (`<store>/<integrity prefix>/`), scanned after `path`. */
  constructor(
    readonly path: string[],
    readonly store?: string,
  ) {}

  /** Every folder scanned: the plugin path, then the store. */
  get roots(): string[] {
    return this.store ? [...this.path, this.store] : this.path;
  }

  scan(): void {
    const entries = new Map<string, CatalogEntry>();
    const problems: CatalogProblem[] = [];
    for (const root of this.roots) {
      const fromRegistry = root === this.store;
      // A path entry may be a plugin folder itself, or a folder of plugin folders.
      const dirs = existsSync(join(root, 'package.json')) ? [root] : candidateDirs(root);
      for (const dir of dirs) {
        let raw: Record<string, unknown>;
        try {
          raw = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
        } catch (err) {
          problems.push({ dir, error: `package.json: ${(err as Error).message}` });
          continue;
        }
        if (raw?.erp === undefined) continue; // not a plugin (e.g. a README folder)
        try {
          const pkg = parsePluginPackage(raw);
          const key = entryKey({ pkg, dir, ...(fromRegistry ? { fromRegistry } : {}) });
          if (!entries.has(key))
            entries.set(key, {
              pkg,
              dir,
              fingerprint: folderFingerprint(dir),
              ...(fromRegistry ? { fromRegistry } : {}),
            });
        } catch (err) {
          problems.push({ dir, error: err instanceof ManifestError ? err.message : String(err) });
        }
      }
    }
    this.entries = entries;
    this.problems = problems;
  }

  list(): CatalogEntry[] {
    return [...this.entries.values()].sort(
      (a, b) => a.pkg.name.localeCompare(b.pkg.name) || semver.compare(a.pkg.version, b.pkg.version),
    );
  }

  /** A version on the plugin path, or, given its integrity, the registry release in the store. */
  find(name: string, version: string, integrity?: string | null): CatalogEntry | undefined {
    return this.entries.get(
      integrity ? `${name}@${version}@${storeFolderOf(integrity)}` : `${name}@${version}`,
    );
  }

  /** Every version of a plugin, by package name or by manifest id. */
  versionsOf(nameOrId: string): CatalogEntry[] {
    return this.list().filter((e) => e.pkg.name === nameOrId || e.pkg.manifest.id === nameOrId);
  }

  latest(nameOrId: string): CatalogEntry | undefined {
    return this.versionsOf(nameOrId).at(-1);
  }
}
