// The one door to plugin code. Chooses the runner a version's runtime sends it to (in-process, or
// the sandbox: see runtime.ts for who decides), and around every call owns what must not differ
// between runners: the breaker, quotas, error mapping and the usage counters.
import type { SandboxLimits } from '@erp/sandbox';
import { Problem } from '../../http/index.js';
import { pluginSpan } from '../../tracing/index.js';
import type { CatalogEntry } from '../catalog.js';
import type { LoadedPlugin, PluginRuntime } from '../loader.js';
import type { PluginBreaker } from './breaker.js';
import {
  fromPluginProblem,
  isPluginProblem,
  isUnexpected,
  quarantinedProblem,
  unexpectedProblem,
} from './errors.js';
import { hasEntry, InProcessRunner } from './in-process.js';
import type { PluginQuotas } from './quota.js';
import { type Runtime, runtimeOf } from './runtime.js';
import { SandboxedRunner } from './sandboxed.js';
import type { CallMeter, ContextDeps, Invocation, PluginRunner } from './types.js';
import { UsageMeter } from './usage.js';

const versionKey = (p: { name: string; version: string }) => `${p.name}@${p.version}`;
const breakerKey = (p: LoadedPlugin, tenantId: string) =>
  p.runtime === 'sandbox' ? `${versionKey(p)} (tenant ${tenantId})` : versionKey(p);

export interface RunnerOptions {
  /** 'sandbox' runs every plugin in isolates; 'by-trust' keeps first-party ones in-process. */
  runtime?: 'by-trust' | 'sandbox';
  sandbox?: Partial<SandboxLimits>;
  /** Metered usage per plugin per tenant and hour, and its quotas (quota.ts). */
  quotas?: PluginQuotas;
}

export class PluginRunners implements PluginRunner {
  readonly usage = new UsageMeter();
  private readonly inProcess: InProcessRunner;
  readonly sandbox: SandboxedRunner;

  constructor(
    deps: ContextDeps,
    readonly breaker: PluginBreaker,
    private readonly options: RunnerOptions = {},
  ) {
    this.inProcess = new InProcessRunner(deps);
    this.sandbox = new SandboxedRunner(deps, options.sandbox);
  }

  /**
   * THE choice of runner for a catalogued version: the runtime its installation (or the operator's
   * path) decided, unless the operator sends every plugin to the sandbox (ERP_PLUGIN_RUNTIME).
   */
  runtimeOf(entry: CatalogEntry): Runtime {
    return this.options.runtime === 'sandbox' ? 'sandbox' : runtimeOf(entry);
  }

  private runner(runtime: PluginRuntime): PluginRunner {
    return runtime === 'sandbox' ? this.sandbox : this.inProcess;
  }

  get quotas(): PluginQuotas | undefined {
    return this.options.quotas;
  }

  load(entry: CatalogEntry): Promise<LoadedPlugin> {
    return this.runner(this.runtimeOf(entry)).load(entry);
  }

  async dispose(plugin: LoadedPlugin): Promise<void> {
    await this.runner(plugin.runtime).dispose(plugin);
  }

  /** Disposes the isolates and writes the usage not yet persisted. */
  async close(): Promise<void> {
    this.sandbox.close();
    await this.options.quotas?.stop();
  }

  /**
   * Why the version may not serve this tenant on this instance right now, or null. A sandboxed
   * version's breaker is per tenant: one tenant's attacks must not take the plugin from the others.
   */
  quarantined(plugin: LoadedPlugin, tenantId: string): string | null {
    return this.breaker.quarantined(breakerKey(plugin, tenantId));
  }

  async invoke(
    plugin: LoadedPlugin,
    inv: Invocation,
    meter: CallMeter = { dbStatements: 0 },
  ): Promise<unknown> {
    const runner = this.runner(plugin.runtime);
    if (!hasEntry(plugin, inv)) return undefined;
    const quarantined = this.quarantined(plugin, inv.sql.tenantId);
    if (quarantined) {
      throw quarantinedProblem(versionKey(plugin), quarantined);
    }
    // Over a quota: this plugin, for this tenant, answers 429 until the hour turns.
    this.options.quotas?.check(inv.sql.tenantId, plugin.id);
    const started = performance.now();
    let failed = false;
    try {
      return await pluginSpan(
        {
          plugin: plugin.id,
          version: plugin.version,
          runtime: plugin.runtime,
          kind: inv.kind,
          entry: inv.entry,
        },
        () => runner.invoke(plugin, inv, meter),
      );
    } catch (err) {
      failed = isUnexpected(err);
      throw this.mapError(plugin, inv, err);
    } finally {
      this.usage.record(inv.sql.tenantId, plugin, { failed, meter, wallMs: performance.now() - started });
      this.options.quotas?.add(inv.sql.tenantId, plugin.id, meter, failed);
    }
  }

  private mapError(plugin: LoadedPlugin, inv: Invocation, err: unknown): unknown {
    const message = (err as Error)?.message ?? String(err);
    if (isUnexpected(err)) this.breaker.failed(breakerKey(plugin, inv.sql.tenantId), message);
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
