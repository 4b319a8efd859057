// Usage counters per (tenant, plugin version) on this instance: what the sandbox meters and
// quotas are checked against, and what an administrator looks at first when a plugin misbehaves.
// In memory: they start at zero with the process; the persisted, quota-bearing totals per hour are
// the kernel's erp.plugin_usage table (see quota.ts).
import type { PluginRuntime } from '../loader.js';
import type { CallMeter } from './types.js';

export interface VersionUsage {
  plugin: string;
  package: string;
  version: string;
  runtime: PluginRuntime;
  invocations: number;
  failures: number;
  dbStatements: number;
  wallMs: number;
  cpuMs: number;
  dbMs: number;
  dbRows: number;
  events: number;
  httpRequests: number;
  httpBytes: number;
}

const round = (n: number) => Math.round(n * 1000) / 1000;

export class UsageMeter {
  private readonly byTenant = new Map<string, Map<string, VersionUsage>>();

  record(
    tenantId: string,
    v: { id: string; name: string; version: string; runtime: PluginRuntime },
    call: { failed: boolean; wallMs: number; meter: CallMeter },
  ): void {
    let versions = this.byTenant.get(tenantId);
    if (!versions) {
      versions = new Map();
      this.byTenant.set(tenantId, versions);
    }
    const key = `${v.name}@${v.version}`;
    let u = versions.get(key);
    if (!u) {
      u = {
        plugin: v.id,
        package: v.name,
        version: v.version,
        runtime: v.runtime,
        invocations: 0,
        failures: 0,
        dbStatements: 0,
        wallMs: 0,
        cpuMs: 0,
        dbMs: 0,
        dbRows: 0,
        events: 0,
        httpRequests: 0,
        httpBytes: 0,
      };
      versions.set(key, u);
    }
    const m = call.meter;
    u.runtime = v.runtime;
    u.invocations++;
    if (call.failed) u.failures++;
    u.dbStatements += m.dbStatements;
    u.wallMs += call.wallMs;
    u.cpuMs += m.cpuMs ?? 0;
    u.dbMs += m.dbMs ?? 0;
    u.dbRows += m.dbRows ?? 0;
    u.events += m.events ?? 0;
    u.httpRequests += m.httpRequests ?? 0;
    u.httpBytes += m.httpBytes ?? 0;
  }

  forTenant(tenantId: string): VersionUsage[] {
    return [...(this.byTenant.get(tenantId)?.values() ?? [])]
      .map((u) => ({ ...u, wallMs: round(u.wallMs), cpuMs: round(u.cpuMs), dbMs: round(u.dbMs) }))
      .sort((a, b) => a.package.localeCompare(b.package) || a.version.localeCompare(b.version));
  }

  /** Every tenant's counters (for the metrics text and /metrics). */
  all(): { tenantId: string; usage: VersionUsage[] }[] {
    return [...this.byTenant.keys()].map((tenantId) => ({ tenantId, usage: this.forTenant(tenantId) }));
  }
}
