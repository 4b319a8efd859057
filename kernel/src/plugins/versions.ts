// Loaded plugin versions, shared by every tenant that runs them, and the catalogue kept current
// while the kernel runs: the plugin path is watched (fs.watch, plus a cheap periodic rescan for
// file systems where watching misses events), never rescanned on a request path. The rescan stays
// on even when watching starts: on Linux, Node 20's recursive fs.watch walks the tree
// asynchronously and misses events in folders created meanwhile (nodejs/node#48437) — exactly a
// new `<plugin>/<version>/` folder copied in — and watches on network or bind-mounted file systems
// start but report nothing; a rescan only stats names, sizes and mtimes. A version is
// loaded through the runner its trust selects; one that fails to load is quarantined with its
// reason (its tenants get 503, everything else keeps serving) and loaded again when its files
// change (the cache is keyed by the folder's fingerprint). Permissions of every catalogued plugin
// are registered from manifests (no code needed).
import { type FSWatcher, watch } from 'node:fs';
import type { PermissionRegistry } from '../rbac/index.js';
import { type CatalogEntry, entryKey, type PluginCatalog } from './catalog.js';
import type { Installation, Runtime } from './installations.js';
import type { LoadedPlugin } from './loader.js';
import { installationRuntime } from './runner/index.js';

export type VersionState = { ok: true; plugin: LoadedPlugin } | { ok: false; error: string; code: string };

/** Loads and releases plugin code: the runner (see runner/). */
export interface VersionLoader {
  /** Where a version runs when nobody asked: its trust, unless the operator forces the sandbox. */
  runtimeOf(entry: CatalogEntry): Runtime;
  load(entry: CatalogEntry): Promise<LoadedPlugin>;
  dispose(plugin: LoadedPlugin): Promise<void>;
}

export interface PluginProblemListing {
  dir: string;
  package?: string;
  version?: string;
  error: string;
}

/**
 * Brings a version this instance lacks into the catalogue (the marketplace fetches a registry
 * artifact another instance installed, by its integrity); true when it may now be there.
 */
export type MissingVersionSource = (name: string, version: string, integrity: string) => Promise<boolean>;

const DEBOUNCE_MS = 150;
/** Loaded code is cached per version and runtime: one version may run in-process for one tenant and sandboxed for another. */
const loadKey = (key: string, runtime: Runtime) => `${key}#${runtime}`;
const versionOf = (loadedKey: string) => loadedKey.slice(0, loadedKey.lastIndexOf('#'));

export class PluginVersions {
  private readonly loaded = new Map<string, { fingerprint: string; state: Promise<VersionState> }>();
  private readonly generations = new Map<string, number>();
  private readonly listeners: Array<() => void> = [];
  private watchers: FSWatcher[] = [];
  private timer: NodeJS.Timeout | undefined;
  private debounce: NodeJS.Timeout | undefined;
  private missing: MissingVersionSource | undefined;
  private readonly fetching = new Map<string, Promise<boolean>>();

  constructor(
    readonly catalog: PluginCatalog,
    private readonly permissions: PermissionRegistry,
    private readonly log: { warn(obj: object, msg: string): void },
    private readonly loader: VersionLoader,
  ) {}

  /**
   * Rescans the plugin path, registers the permissions every manifest declares, forgets loads whose
   * folder changed and starts loading new or changed versions (so a broken one is listed with its
   * error before anyone tries to install it). Tells the listeners when something changed.
   */
  refresh(): void {
    const before = new Map(this.catalog.list().map((e) => [entryKey(e), e.fingerprint]));
    const problemsBefore = JSON.stringify(this.catalog.problems);
    this.catalog.scan();
    let changed = JSON.stringify(this.catalog.problems) !== problemsBefore;
    const now = new Set<string>();
    for (const e of this.catalog.list()) {
      const key = entryKey(e);
      now.add(key);
      this.registerPermissions(e);
      if (before.get(key) !== e.fingerprint) changed = true;
      for (const [k, cached] of this.loaded)
        if (versionOf(k) === key && cached.fingerprint !== e.fingerprint) this.forget(k);
      // Preloaded so a broken one is listed before anyone installs it; never a registry version
      // (importing code runs it, and its runtime is each tenant's decision).
      if (
        !e.fromRegistry &&
        this.loader.runtimeOf(e) === 'in-process' &&
        !this.loaded.has(loadKey(key, 'in-process'))
      )
        void this.get(e.pkg.name, e.pkg.version);
    }
    for (const k of this.loaded.keys()) if (!now.has(versionOf(k))) this.forget(k);
    if (before.size !== now.size) changed = true;
    if (problemsBefore !== JSON.stringify(this.catalog.problems))
      for (const p of this.catalog.problems)
        this.log.warn({ dir: p.dir, error: p.error }, 'plugin package ignored');
    if (changed) for (const fn of this.listeners) fn();
  }

  private forget(key: string): void {
    const cached = this.loaded.get(key);
    this.loaded.delete(key);
    void cached?.state.then((s) => (s.ok ? this.loader.dispose(s.plugin) : undefined)).catch(() => {});
  }

  /** Calls fn after a rescan found new, changed, removed or broken versions. */
  onChange(fn: () => void): void {
    this.listeners.push(fn);
  }

  /** Watches the plugin path; rescans at most every `intervalMs` when no event arrives. */
  watch(intervalMs = 5_000): void {
    const poke = () => {
      clearTimeout(this.debounce);
      this.debounce = setTimeout(() => this.safeRefresh(), DEBOUNCE_MS);
      this.debounce.unref();
    };
    for (const root of this.catalog.roots) {
      try {
        const w = watch(root, { recursive: true, persistent: false }, poke);
        w.on('error', () => {}); // a removed root: the periodic rescan still runs
        this.watchers.push(w);
      } catch {
        /* missing folder: picked up by the periodic rescan once it exists */
      }
    }
    this.timer = setInterval(() => this.safeRefresh(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    clearTimeout(this.debounce);
    for (const w of this.watchers) w.close();
    this.watchers = [];
  }

  private safeRefresh(): void {
    try {
      this.refresh();
    } catch (err) {
      this.log.warn({ error: (err as Error).message }, 'plugin path rescan failed');
    }
  }

  registerPermissions(e: CatalogEntry): void {
    try {
      this.permissions.register(`plugin:${e.pkg.manifest.id}`, e.pkg.manifest.permissions ?? {});
    } catch (err) {
      this.log.warn(
        { plugin: e.pkg.name, error: (err as Error).message },
        'plugin permissions not registered',
      );
    }
  }

  /** A version on the plugin path, or (given its integrity) a registry release in the store. */
  find(name: string, version: string, integrity?: string | null): CatalogEntry | undefined {
    return this.catalog.find(name, version, integrity);
  }

  /** The version an installation runs: its runtime, and for a registry release those exact bytes. */
  getInstalled(i: Pick<Installation, 'package' | 'version' | 'source' | 'runtime' | 'integrity'>) {
    return this.get(
      i.package,
      i.version,
      installationRuntime(i),
      i.source === 'registry' ? i.integrity : null,
    );
  }

  /** Where versions missing here come from (the marketplace's store); see get(). */
  fetchMissingFrom(source: MissingVersionSource): void {
    this.missing = source;
  }

  /** Asks the missing-version source once at a time per release, then rescans. */
  private async fetchMissing(
    name: string,
    version: string,
    integrity: string,
  ): Promise<CatalogEntry | undefined> {
    if (!this.missing) return undefined;
    const key = `${name}@${version}@${integrity}`;
    let pending = this.fetching.get(key);
    if (!pending) {
      pending = this.missing(name, version, integrity)
        .then((found) => {
          if (found) this.refresh();
          return found;
        })
        .catch((err: Error) => {
          this.log.warn({ plugin: key, error: err.message }, 'plugin version could not be fetched');
          return false;
        })
        .finally(() => this.fetching.delete(key));
      this.fetching.set(key, pending);
    }
    return (await pending) ? this.find(name, version, integrity) : undefined;
  }

  /** Folders that are not installable: a broken manifest, or code that does not load. */
  async problems(): Promise<PluginProblemListing[]> {
    const out: PluginProblemListing[] = this.catalog.problems.map((p) => ({ dir: p.dir, error: p.error }));
    for (const e of this.catalog.list()) {
      const cached = this.loaded.get(loadKey(entryKey(e), this.loader.runtimeOf(e)));
      const state = cached ? await cached.state : undefined;
      if (state && !state.ok && state.code === 'ERP_PLUGIN_LOAD_FAILED')
        out.push({ dir: e.dir, package: e.pkg.name, version: e.pkg.version, error: state.error });
    }
    return out;
  }

  /**
   * The loaded version in the runtime asked for (default: what the operator's path says; see
   * runtimeOf); with an integrity, that registry release from the store, fetched first by that
   * integrity when this instance lacks it (another instance installed it).
   */
  async get(
    name: string,
    version: string,
    runtime?: Runtime,
    integrity?: string | null,
  ): Promise<VersionState> {
    const entry =
      this.find(name, version, integrity) ??
      (integrity ? await this.fetchMissing(name, version, integrity) : undefined);
    const key = entry ? entryKey(entry) : `${name}@${version}`;
    if (!entry) {
      // Not remembered: a rescan may bring it.
      return Promise.resolve({
        ok: false,
        error: `${key} is not in the plugin catalogue`,
        code: 'ERP_PLUGIN_VERSION_UNKNOWN',
      });
    }
    const run = runtime ?? this.loader.runtimeOf(entry);
    const cacheKey = loadKey(key, run);
    const fingerprint = entry.fingerprint ?? '';
    const cached = this.loaded.get(cacheKey);
    if (cached && cached.fingerprint === fingerprint) return cached.state;
    // A version loaded before under the same URL is imported afresh (Node caches modules by URL).
    const generation = (this.generations.get(key) ?? -1) + 1;
    this.generations.set(key, generation);
    const state = this.loader.load({ ...entry, generation, runtime: run }).then(
      (plugin): VersionState => ({ ok: true, plugin }),
      (err: Error): VersionState => {
        this.log.warn({ plugin: key, error: err.message }, 'plugin quarantined: failed to load');
        return { ok: false, error: err.message, code: 'ERP_PLUGIN_LOAD_FAILED' };
      },
    );
    this.loaded.set(cacheKey, { fingerprint, state });
    return state;
  }
}
