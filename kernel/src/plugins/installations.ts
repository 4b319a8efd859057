// Which plugin versions each tenant runs, cached per tenant and dropped (here at commit, and on
// every instance through the plugin.changed signal) whenever a lifecycle step commits. This map
// is what the dispatcher consults on every plugin request: switching versions is changing it.
import type { KernelSignals } from '../signals/index.js';
import type { Sql, TenantTx } from '../tenancy/index.js';

export interface Installation {
  pluginId: string;
  package: string;
  version: string;
  previousVersion: string | null;
  status: 'enabled' | 'disabled';
  config: Record<string, unknown>;
  installedAt: Date;
  updatedAt: Date;
  /** 'path': a folder on the operator's plugin path; 'registry': installed from the marketplace. */
  source: 'path' | 'registry';
  /** Where its code runs, decided at install (trust policy + signature), never by the manifest. */
  runtime: Runtime;
  integrity: string | null;
  keyid: string | null;
  consentHash: string | null;
  /** A pinned installation is never moved by an upgrade until unpinned. */
  pinned: boolean;
}

export type Runtime = 'in-process' | 'sandbox';

const SELECT = `select plugin_id as "pluginId", package, version, previous_version as "previousVersion", status, config,
                       installed_at as "installedAt", updated_at as "updatedAt", source, runtime, integrity,
                       keyid, consent_hash as "consentHash", pinned
                  from erp.plugin_installations`;

export class Installations {
  private readonly cache = new Map<string, Promise<Map<string, Installation>>>();

  constructor(
    private readonly tenantTx: TenantTx,
    private readonly signals: KernelSignals,
  ) {
    signals.on((s) => {
      if (s.type === 'reset') this.cache.clear();
      else if (s.type === 'plugin.changed') this.cache.delete(s.tenantId);
    });
  }

  forTenant(tenantId: string): Promise<Map<string, Installation>> {
    let entry = this.cache.get(tenantId);
    if (!entry) {
      entry = this.tenantTx
        .run(tenantId, (sql) => this.list(sql))
        .then((rows) => new Map(rows.map((r) => [r.pluginId, r])));
      entry.catch(() => this.cache.delete(tenantId));
      if (this.signals.connected) this.cache.set(tenantId, entry);
    }
    return entry;
  }

  /** Drops a tenant's cached set (a kernel.plugin.changed arrived for it). */
  invalidate(tenantId: string): void {
    this.cache.delete(tenantId);
  }

  invalidateAll(): void {
    this.cache.clear();
  }

  list(sql: Sql): Promise<Installation[]> {
    return sql.query<Installation>(`${SELECT} where tenant_id = $1 order by plugin_id`, [sql.tenantId]);
  }

  async get(sql: Sql, pluginId: string, lock = false): Promise<Installation | undefined> {
    return sql.one<Installation>(
      `${SELECT} where tenant_id = $1 and plugin_id = $2${lock ? ' for update' : ''}`,
      [sql.tenantId, pluginId],
    );
  }

  /** Call in the unit of work that changed the tenant's installations. */
  async changed(sql: Sql, pluginId: string): Promise<void> {
    const tenantId = sql.tenantId;
    sql.afterCommit(() => this.cache.delete(tenantId));
    await this.signals.send(sql, { type: 'plugin.changed', tenantId, id: pluginId });
  }
}
