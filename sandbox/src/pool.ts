// Isolates pooled per plugin version: the version's code is bundled once, and each tenant that
// calls it gets an isolate of its own (created on first use, the least recently used one disposed
// beyond the limit). One tenant's loop or memory bomb ends its own isolate only; the next call
// creates a fresh one.
import { bundlePlugin } from './bundle.js';
import { SandboxLimitError } from './errors.js';
import { PluginIsolate } from './isolate.js';
import {
  type CallResult,
  DEFAULT_LIMITS,
  type HostCalls,
  type PluginShape,
  type SandboxCall,
  type SandboxLimits,
} from './types.js';

interface Version {
  code: string;
  isolates: Map<string, Promise<PluginIsolate>>;
}

export interface PoolStats {
  versions: number;
  isolates: number;
  /** Isolates disposed because a call broke a limit (cpu, memory), since start. */
  recycled: number;
}

export class SandboxPool {
  readonly limits: SandboxLimits;
  private readonly versions = new Map<string, Version>();
  private recycled = 0;

  constructor(limits: Partial<SandboxLimits> = {}) {
    this.limits = { ...DEFAULT_LIMITS, ...limits, cpuMs: { ...DEFAULT_LIMITS.cpuMs, ...limits.cpuMs } };
  }

  /**
   * Bundles one version's code and evaluates it in a throwaway isolate to read its shape (routes,
   * schemas, entry points). Nothing of the plugin runs in the host.
   */
  async load(key: string, dir: string, entry: string): Promise<PluginShape> {
    const code = await bundlePlugin(dir, entry);
    const { isolate, shape } = await PluginIsolate.create(code, this.limits);
    isolate.dispose();
    this.dispose(key);
    this.versions.set(key, { code, isolates: new Map() });
    return shape;
  }

  /** Loads from code already bundled (tests and benchmarks). */
  async loadCode(key: string, code: string): Promise<PluginShape> {
    const { isolate, shape } = await PluginIsolate.create(code, this.limits);
    isolate.dispose();
    this.dispose(key);
    this.versions.set(key, { code, isolates: new Map() });
    return shape;
  }

  async invoke(
    key: string,
    tenant: string,
    call: SandboxCall,
    host: HostCalls,
    meter: { cpuMs: number } = { cpuMs: 0 },
  ): Promise<CallResult> {
    const version = this.versions.get(key);
    if (!version) throw new SandboxLimitError('disposed', `${key} is not loaded in the sandbox`);
    const isolate = await this.isolateFor(version, tenant);
    return isolate.invoke(call, host, meter);
  }

  private async isolateFor(version: Version, tenant: string): Promise<PluginIsolate> {
    let p = version.isolates.get(tenant);
    if (p) {
      const existing = await p.catch(() => undefined);
      if (existing && !existing.dead) {
        // Most recently used last: eviction takes from the front.
        version.isolates.delete(tenant);
        version.isolates.set(tenant, p);
        return existing;
      }
      if (version.isolates.get(tenant) === p) version.isolates.delete(tenant);
    }
    p = PluginIsolate.create(version.code, this.limits, (reason) => {
      if (reason === 'cpu' || reason === 'memory') this.recycled++;
      if (version.isolates.get(tenant) === p) version.isolates.delete(tenant);
    }).then((c) => c.isolate);
    version.isolates.set(tenant, p);
    p.catch(() => version.isolates.delete(tenant));
    this.evict(version);
    return p;
  }

  private evict(version: Version): void {
    for (const [tenant, p] of version.isolates) {
      if (version.isolates.size <= this.limits.isolatesPerVersion) return;
      version.isolates.delete(tenant);
      p.then((i) => i.retire()).catch(() => {});
    }
  }

  /** Disposes every isolate of a version (unload, upgrade). */
  dispose(key: string): void {
    const version = this.versions.get(key);
    if (!version) return;
    this.versions.delete(key);
    for (const p of version.isolates.values()) p.then((i) => i.dispose()).catch(() => {});
  }

  close(): void {
    for (const key of [...this.versions.keys()]) this.dispose(key);
  }

  stats(): PoolStats {
    let isolates = 0;
    for (const v of this.versions.values()) isolates += v.isolates.size;
    return { versions: this.versions.size, isolates, recycled: this.recycled };
  }
}
