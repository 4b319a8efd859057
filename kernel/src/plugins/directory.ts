// ctx.plugins: what a tenant runs, as another plugin may know it — its enabled installations and
// what their manifests offer to others (import targets). Read from the tenant's installations in
// the caller's own unit of work, so an install or removal shows at once, and from the manifests
// of the installed versions (known without running their code).
import type { InstalledPlugin, Json } from '@erp/sdk';
import type { Sql } from '../tenancy/index.js';
import type { PluginCatalog } from './catalog.js';
import type { Installations } from './installations.js';

export class PluginDirectory {
  constructor(
    private readonly catalog: () => PluginCatalog,
    private readonly installations: Installations,
  ) {}

  async installed(sql: Sql): Promise<InstalledPlugin[]> {
    const rows = await this.installations.list(sql);
    return rows
      .filter((r) => r.status === 'enabled')
      .map((r) => {
        const entry = this.catalog().find(r.package, r.version, r.source === 'registry' ? r.integrity : null);
        const declared = entry?.pkg.manifest.imports ?? {};
        const imports: InstalledPlugin['imports'] = {};
        for (const [name, t] of Object.entries(declared))
          imports[name] = {
            title: t.title,
            schema: structuredClone(t.schema) as { [key: string]: Json },
            rollback: t.rollback ?? false,
          };
        return { id: r.pluginId, version: r.version, imports };
      });
  }
}
