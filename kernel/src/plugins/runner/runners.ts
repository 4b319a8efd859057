// The one door to plugin code. Chooses the runner a version's `trust` sends it to (first-party:
// in-process; anything else: refused until the sandbox exists), and around every call owns what
// must not differ between runners: the breaker, error mapping and the usage counters.
import type { PluginPackage } from '@erp/sdk';
import { Problem } from '../../http/index.js';
import type { CatalogEntry } from '../catalog.js';
import type { LoadedPlugin } from '../loader.js';
import type { PluginBreaker } from './breaker.js';
import {
  fromPluginProblem,
  isPluginProblem,
  isUnexpected,
  quarantinedProblem,
  sandboxRequired,
  unexpectedProblem,
} from './errors.js';
import { hasEntry, InProcessRunner } from './in-process.js';
import type { CallMeter, ContextDeps, Invocation, PluginRunner } from './types.js';
import { UsageMeter } from './usage.js';

const versionKey = (p: { name: string; version: string }) => `${p.name}@${p.version}`;

export class PluginRunners implements PluginRunner {
  readonly usage = new UsageMeter();
  private readonly inProcess: InProcessRunner;

  constructor(
    deps: ContextDeps,
    readonly breaker: PluginBreaker,
  ) {
    this.inProcess = new InProcessRunner(deps);
  }

  private runnerFor(pkg: PluginPackage): PluginRunner | null {
    return pkg.manifest.trust === 'first-party' ? this.inProcess : null;
  }

  /** Refuses (422) a version no runner of this kernel may run, before a lifecycle step changes anything. */
  admit(pkg: PluginPackage): void {
    if (!this.runnerFor(pkg)) throw sandboxRequired(422, { ...pkg, trust: pkg.manifest.trust });
  }

  load(entry: CatalogEntry): Promise<LoadedPlugin> {
    const runner = this.runnerFor(entry.pkg);
    if (!runner)
      return Promise.reject(sandboxRequired(503, { ...entry.pkg, trust: entry.pkg.manifest.trust }));
    return runner.load(entry);
  }

  async dispose(plugin: LoadedPlugin): Promise<void> {
    await this.runnerFor(plugin.entry.pkg)?.dispose(plugin);
  }

  /** Why the version may not serve on this instance right now, or null. */
  quarantined(plugin: { name: string; version: string }): string | null {
    return this.breaker.quarantined(versionKey(plugin));
  }

  async invoke(
    plugin: LoadedPlugin,
    inv: Invocation,
    meter: CallMeter = { dbStatements: 0 },
  ): Promise<unknown> {
    const pkg = plugin.entry.pkg;
    const runner = this.runnerFor(pkg);
    if (!runner) throw sandboxRequired(503, { ...pkg, trust: pkg.manifest.trust });
    if (!hasEntry(plugin, inv)) return undefined;
    const quarantined = this.quarantined(plugin);
    if (quarantined) {
      throw quarantinedProblem(versionKey(plugin), quarantined);
    }
    const started = performance.now();
    let failed = false;
    try {
      return await runner.invoke(plugin, inv, meter);
    } catch (err) {
      failed = isUnexpected(err);
      throw this.mapError(plugin, inv, err);
    } finally {
      this.usage.record(inv.sql.tenantId, plugin, {
        failed,
        dbStatements: meter.dbStatements,
        wallMs: performance.now() - started,
      });
    }
  }

  private mapError(plugin: LoadedPlugin, inv: Invocation, err: unknown): unknown {
    const message = (err as Error)?.message ?? String(err);
    if (isUnexpected(err)) this.breaker.failed(versionKey(plugin), message);
    switch (inv.kind) {
      case 'route':
        if (isPluginProblem(err)) return fromPluginProblem(err, plugin.id);
        // The cause goes to the log (the client gets a stable code); database errors are mapped
        // by the HTTP layer like any other.
        if (!(err instanceof Problem) && !(err as { severity?: string })?.severity)
          inv.log.error({ err, plugin: versionKey(plugin), entry: inv.entry }, 'plugin route failed');
        return unexpectedProblem(plugin, inv.entry, err);
      case 'hook':
        if (err instanceof Problem && err.code === 'ERP_PLUGIN_INTEGRITY') return err;
        return new Problem(422, 'ERP_PLUGIN_HOOK_FAILED', 'Plugin hook failed', {
          detail: `${versionKey(plugin)}: ${message}`,
        });
      default:
        // Subscriptions and jobs: the bus records the message and retries; no client sees it.
        return err;
    }
  }
}
