// Usage counters per (tenant, plugin version) on this instance: what the sandbox will meter and
// bill, and what an administrator looks at first when a plugin misbehaves. In memory: they start
// at zero with the process and are summed across instances by whoever scrapes them.
export interface VersionUsage {
  plugin: string;
  package: string;
  version: string;
  invocations: number;
  failures: number;
  dbStatements: number;
  wallMs: number;
}

export class UsageMeter {
  private readonly byTenant = new Map<string, Map<string, VersionUsage>>();

  record(
    tenantId: string,
    v: { id: string; name: string; version: string },
    call: { failed: boolean; dbStatements: number; wallMs: number },
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
        invocations: 0,
        failures: 0,
        dbStatements: 0,
        wallMs: 0,
      };
      versions.set(key, u);
    }
    u.invocations++;
    if (call.failed) u.failures++;
    u.dbStatements += call.dbStatements;
    u.wallMs += call.wallMs;
  }

  forTenant(tenantId: string): VersionUsage[] {
    return [...(this.byTenant.get(tenantId)?.values() ?? [])]
      .map((u) => ({ ...u, wallMs: Math.round(u.wallMs * 1000) / 1000 }))
      .sort((a, b) => a.package.localeCompare(b.package) || a.version.localeCompare(b.version));
  }
}
