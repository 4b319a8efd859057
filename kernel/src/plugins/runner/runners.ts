// The one door to plugin code. Chooses the runner a version's runtime sends it to (`runnerFor`:
// in-process, or the sandbox — refused until a sandbox runner is plugged in), and around every call
// owns what must not differ between runners: the breaker, error mapping and the usage counters.
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
import { type Runtime, runtimeOf } from './runtime.js';
import type { CallMeter, ContextDeps, Invocation, PluginRunner } from './types.js';
import { UsageMeter } from './usage.js';

const versionKey = (p: { name: string; version: string }) => `${p.name}@${p.version}`;

export class PluginRunners implements PluginRunner {
  readonly usage = new UsageMeter();
  private readonly inProcess: InProcessRunner;
  /** The isolated runner, when this kernel has one (the sandbox package plugs it in). */
  private sandbox: PluginRunner | null = null;

  constructor(
    deps: ContextDeps,
    readonly breaker: PluginBreaker,
  ) {
    this.inProcess = new InProcessRunner(deps);
  }

  /** Plugs in the runner behind the 'sandbox' runtime. */
  useSandbox(runner: PluginRunner): void {
    this.sandbox = runner;
  }

  /** THE choice of runner: by the runtime the installation (or the operator's path) decided. */
  runnerFor(runtime: Runtime): PluginRunner | null {
    return runtime === 'in-process' ? this.inProcess : this.sandbox;
  }

  /** Refuses (422) a runtime no runner of this kernel serves, before a lifecycle step changes anything. */
  admit(pkg: { name: string; version: string }, runtime: Runtime): void {
    if (!this.runnerFor(runtime)) throw sandboxRequired(422, pkg);
  }

  load(entry: CatalogEntry): Promise<LoadedPlugin> {
    const runner = this.runnerFor(runtimeOf(entry));
    if (!runner) return Promise.reject(sandboxRequired(503, entry.pkg));
    return runner.load(entry);
  }

  async dispose(plugin: LoadedPlugin): Promise<void> {
    await this.runnerFor(runtimeOf(plugin.entry))?.dispose(plugin);
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
    const runner = this.runnerFor(runtimeOf(plugin.entry));
    if (!runner) throw sandboxRequired(503, plugin.entry.pkg);
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
