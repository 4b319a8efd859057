// The first runner: first-party plugin code runs in the kernel's own process. It builds the
// context, calls the handler the invocation names, and checks afterwards that the handler left
// the transaction's role and tenant as it found them.
import type { EventEnvelope, Json, PluginContext } from '@erp/sdk';
import type { CatalogEntry } from '../catalog.js';
import { type LoadedPlugin, loadPlugin } from '../loader.js';
import { createPluginContext } from './context.js';
import type { CallMeter, ContextDeps, Invocation, PluginRunner, RouteInput } from './types.js';

type Call = (ctx: PluginContext) => Promise<unknown>;

/** The handler an invocation names, bound to its input; undefined when the version lacks it. */
function handlerOf(plugin: LoadedPlugin, inv: Invocation): Call | undefined {
  const def = plugin.def;
  switch (inv.kind) {
    case 'route': {
      const route = def.routes?.[inv.entry];
      const input = inv.input as RouteInput;
      return route && ((ctx) => route.handler(ctx, input as never));
    }
    case 'subscription': {
      const sub = def.subscriptions?.[inv.entry];
      return sub && ((ctx) => sub.handler(ctx, inv.input as EventEnvelope));
    }
    case 'job': {
      const job = def.jobs?.[inv.entry];
      return job && ((ctx) => job.handler(ctx, inv.input as Json));
    }
    case 'hook': {
      const hooks = def.hooks;
      if (inv.entry === 'install' && hooks?.install) return (ctx) => hooks.install!(ctx);
      if (inv.entry === 'upgrade' && hooks?.upgrade && inv.input)
        return (ctx) => hooks.upgrade!(ctx, inv.input as { from: string; to: string });
      return undefined;
    }
  }
}

/** Whether the version has the entry point an invocation names (nothing runs, nothing is counted otherwise). */
export function hasEntry(plugin: LoadedPlugin, inv: Invocation): boolean {
  return handlerOf(plugin, inv) !== undefined;
}

export class InProcessRunner implements PluginRunner {
  constructor(private readonly deps: ContextDeps) {}

  load(entry: CatalogEntry): Promise<LoadedPlugin> {
    return loadPlugin(entry);
  }

  async invoke(plugin: LoadedPlugin, inv: Invocation, meter: CallMeter): Promise<unknown> {
    const call = handlerOf(plugin, inv);
    if (!call) return undefined;
    const running = createPluginContext(plugin, inv, this.deps);
    try {
      // The integrity check rides on the unit of work's next statement or its COMMIT (context.ts).
      return await call(running.ctx);
    } finally {
      running.meterInto(meter);
    }
  }

  /** Node cannot unload an ES module; a changed version is imported afresh under a new URL. */
  async dispose(_plugin: LoadedPlugin): Promise<void> {}
}
