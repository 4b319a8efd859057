// Loaded plugin versions, shared by every tenant that runs them. A version that fails to load is
// quarantined with its reason: the tenants using it get 503 for that plugin, everything else keeps
// serving. Permissions of every catalogued plugin are registered from manifests (no code needed).
import type { PermissionRegistry } from '../rbac/index.js';
import type { CatalogEntry, PluginCatalog } from './catalog.js';
import { type LoadedPlugin, loadPlugin } from './loader.js';

export type VersionState = { ok: true; plugin: LoadedPlugin } | { ok: false; error: string };

export class PluginVersions {
  private readonly loaded = new Map<string, Promise<VersionState>>();

  constructor(
    readonly catalog: PluginCatalog,
    private readonly permissions: PermissionRegistry,
    private readonly log: { warn(obj: object, msg: string): void },
  ) {}

  /** Rescans the plugin path and registers the permissions every manifest declares. */
  refresh(): void {
    this.catalog.scan();
    for (const e of this.catalog.list()) this.registerPermissions(e);
    for (const p of this.catalog.problems)
      this.log.warn({ dir: p.dir, error: p.error }, 'plugin package ignored');
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

  find(name: string, version: string): CatalogEntry | undefined {
    return this.catalog.find(name, version);
  }

  /**
   * Like find, but rescans the plugin path once on a miss (a package dropped in since the last
   * scan). For lifecycle steps only: request paths never touch the disk.
   */
  findOrRescan(name: string, version: string): CatalogEntry | undefined {
    if (!this.catalog.find(name, version)) this.refresh();
    return this.catalog.find(name, version);
  }

  get(name: string, version: string): Promise<VersionState> {
    const key = `${name}@${version}`;
    let state = this.loaded.get(key);
    if (!state) {
      const entry = this.find(name, version);
      state = entry
        ? loadPlugin(entry).then(
            (plugin) => ({ ok: true as const, plugin }),
            (err: Error) => {
              this.log.warn({ plugin: key, error: err.message }, 'plugin quarantined: failed to load');
              return { ok: false as const, error: err.message };
            },
          )
        : Promise.resolve({ ok: false as const, error: `${key} is not in the plugin catalogue` });
      // A version missing from the catalogue is not remembered: a rescan may bring it.
      if (entry) this.loaded.set(key, state);
    }
    return state;
  }
}
