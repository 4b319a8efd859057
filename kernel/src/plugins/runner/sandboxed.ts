// The second runner: a version's code runs in isolated-vm isolates (@erp/sandbox), one per tenant
// that calls it, and never in the kernel's process. The host builds the same `ctx` as in-process
// (context.ts) for the invocation and serves the isolate's capability calls from it: the tenant's
// unit of work, the plugin's role, its declared events, jobs and hosts all come from the
// invocation; from the isolate come only the copied arguments of each call.
import {
  type HostCalls,
  SandboxLimitError,
  type SandboxLimits,
  SandboxPool,
  SandboxThrown,
} from '@erp/sandbox';
import { definePlugin, type Json, type PluginContext, type PluginDefinition, PluginProblem } from '@erp/sdk';
import { Problem } from '../../http/index.js';
import { bindActive } from '../../tracing/index.js';
import type { CatalogEntry } from '../catalog.js';
import { checkPlugin, LoadError, type LoadedPlugin } from '../loader.js';
import { createPluginContext } from './context.js';
import type { CallMeter, ContextDeps, Invocation, PluginRunner } from './types.js';

/** Where the pool keeps a version: its folder's fingerprint changes when its files do. */
const poolKey = (p: { entry: CatalogEntry }) =>
  `${p.entry.pkg.name}@${p.entry.pkg.version}#${p.entry.fingerprint ?? ''}#${p.entry.generation ?? 0}`;

const inIsolate = () => {
  throw new Error('this handler runs in the sandbox');
};

const str = (v: unknown, what: string): string => {
  if (typeof v !== 'string')
    throw new Problem(500, 'ERP_SANDBOX_BAD_CALL', 'Bad capability call', {
      detail: `${what} must be a string`,
    });
  return v;
};
const obj = (v: unknown): Record<string, unknown> =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

/** Serves one capability call from the invocation's own context. */
async function serve(ctx: PluginContext, op: string, args: unknown[]): Promise<unknown> {
  switch (op) {
    case 'db.query':
      return ctx.db.query(str(args[0], 'sql'), Array.isArray(args[1]) ? (args[1] as Json[]) : []);
    case 'db.one':
      return ctx.db.one(str(args[0], 'sql'), Array.isArray(args[1]) ? (args[1] as Json[]) : []);
    case 'events.publish':
      await ctx.events.publish(str(args[0], 'event'), (args[1] ?? null) as Json);
      return null;
    case 'jobs.enqueue': {
      const delay = obj(args[2]).delaySeconds;
      await ctx.jobs.enqueue(
        str(args[0], 'job'),
        (args[1] ?? null) as Json,
        typeof delay === 'number' ? { delaySeconds: delay } : {},
      );
      return null;
    }
    case 'audit.record': {
      const e = obj(args[0]);
      await ctx.audit.record({
        action: str(e.action, 'action'),
        resource: str(e.resource, 'resource'),
        ...(e.resourceId === undefined ? {} : { resourceId: str(e.resourceId, 'resourceId') }),
        ...(e.data === undefined ? {} : { data: e.data as Json }),
      });
      return null;
    }
    case 'http.fetch': {
      const i = obj(args[1]);
      const headers = Object.fromEntries(Object.entries(obj(i.headers)).map(([k, v]) => [k, String(v)]));
      return ctx.http.fetch(str(args[0], 'url'), {
        ...(typeof i.method === 'string' ? { method: i.method } : {}),
        headers,
        ...(typeof i.body === 'string' ? { body: i.body } : {}),
      });
    }
    case 'plugins.installed':
      return ctx.plugins.installed();
    default:
      throw new Problem(500, 'ERP_SANDBOX_BAD_CALL', 'Bad capability call', {
        detail: `no capability ${op}`,
      });
  }
}

/** The definition read out of the isolate, with handlers that only the isolate has. */
function definitionOf(shape: Awaited<ReturnType<SandboxPool['load']>>): PluginDefinition {
  const map = <T, R>(o: Record<string, T>, f: (v: T) => R) =>
    Object.fromEntries(Object.entries(o).map(([k, v]) => [k, f(v)]));
  return {
    routes: map(shape.routes, (r) => ({ ...(r as object), handler: inIsolate }) as never),
    events: shape.events as never,
    subscriptions: map(shape.subscriptions, (s) => ({ event: s.event, handler: inIsolate })),
    jobs: map(shape.jobs, (j) => ({ ...(j.cron ? { cron: j.cron } : {}), handler: inIsolate })),
    hooks: {
      ...(shape.hooks.install ? { install: inIsolate } : {}),
      ...(shape.hooks.upgrade ? { upgrade: inIsolate } : {}),
    },
    ...(shape.configSchema ? { configSchema: shape.configSchema as never } : {}),
  };
}

/** What the caller sees when the sandbox ends a call. */
export function sandboxProblem(plugin: LoadedPlugin, err: SandboxLimitError): Problem {
  const key = `${plugin.name}@${plugin.version}`;
  switch (err.reason) {
    case 'cpu':
      return new Problem(503, 'ERP_PLUGIN_CPU_LIMIT', 'Plugin exceeded its CPU time', {
        detail: `${key}: ${err.message}`,
        retryAfterSeconds: 1,
      });
    case 'memory':
      return new Problem(503, 'ERP_PLUGIN_MEMORY_LIMIT', 'Plugin ran out of memory', {
        detail: `${key}: ${err.message}`,
        retryAfterSeconds: 1,
      });
    case 'wall':
      return new Problem(503, 'ERP_PLUGIN_TIMEOUT', 'Plugin did not answer in time', {
        detail: `${key}: ${err.message}`,
        retryAfterSeconds: 1,
      });
    case 'calls':
      return new Problem(503, 'ERP_PLUGIN_TOO_MANY_CALLS', 'Plugin made too many calls at once', {
        detail: `${key}: ${err.message}`,
        retryAfterSeconds: 1,
      });
    case 'result':
      return new Problem(500, 'ERP_PLUGIN_RESULT_INVALID', 'Plugin returned an invalid result', {
        detail: `${key}: ${err.message}`,
      });
    default:
      return new Problem(503, 'ERP_PLUGIN_UNAVAILABLE', 'Plugin unavailable', {
        detail: `${key}: ${err.message}`,
        retryAfterSeconds: 1,
      });
  }
}

export class SandboxedRunner implements PluginRunner {
  readonly pool: SandboxPool;

  constructor(
    private readonly deps: ContextDeps,
    limits: Partial<SandboxLimits> = {},
  ) {
    this.pool = new SandboxPool(limits);
  }

  async load(entry: CatalogEntry): Promise<LoadedPlugin> {
    let shape: Awaited<ReturnType<SandboxPool['load']>>;
    try {
      shape = await this.pool.load(poolKey({ entry }), entry.dir, entry.pkg.manifest.entry);
    } catch (err) {
      throw new LoadError(
        entry.pkg.name,
        `its code failed to load in the sandbox: ${(err as Error).message}`,
      );
    }
    return {
      ...checkPlugin(entry, definePlugin(definitionOf(shape)), { untrusted: true }),
      runtime: 'sandbox',
    };
  }

  async invoke(plugin: LoadedPlugin, inv: Invocation, meter: CallMeter): Promise<unknown> {
    const running = createPluginContext(plugin, inv, this.deps);
    const { ctx } = running;
    const host: HostCalls = {
      call: bindActive<HostCalls['call']>((op, args) => serve(ctx, op, args)),
      log: bindActive<HostCalls['log']>((level, message, data) => ctx.log[level](message, data as Json)),
    };
    const cpu = { cpuMs: 0 };
    try {
      const r = await this.pool.invoke(
        poolKey(plugin),
        inv.sql.tenantId,
        {
          kind: inv.kind,
          entry: inv.entry,
          input: inv.input,
          context: { user: ctx.user, tenant: ctx.tenant, config: ctx.config },
        },
        host,
        cpu,
      );
      // The integrity check rides on the unit of work's next statement or its COMMIT (context.ts).
      return r.value;
    } catch (err) {
      if (err instanceof SandboxLimitError) throw sandboxProblem(plugin, err);
      if (err instanceof SandboxThrown) {
        const t = err.thrown;
        if (t.name === 'PluginProblem' && typeof t.status === 'number' && typeof t.code === 'string')
          throw new PluginProblem(
            t.status as never,
            t.code,
            t.title ?? 'Plugin refused the request',
            t.detail,
            t.errors,
          );
        throw new Error(`${t.name}: ${t.message}`);
      }
      throw err;
    } finally {
      running.meterInto(meter);
      meter.cpuMs = (meter.cpuMs ?? 0) + cpu.cpuMs;
    }
  }

  async dispose(plugin: LoadedPlugin): Promise<void> {
    this.pool.dispose(poolKey(plugin));
  }

  close(): void {
    this.pool.close();
  }
}
