// A subscription that keeps this plugin's own copy of another plugin's record: the event's payload
// becomes the parameters of one upsert, run in the receiving tenant's transaction (row-level
// security), so the plugin never reads another plugin's tables and a tenant's copy is its own.
import type { EventEnvelope, Json, PluginSubscription } from '@erp/sdk';

export function keepCopy<P>(
  event: string,
  upsert: string,
  params: (p: P, e: EventEnvelope) => Json[],
): PluginSubscription {
  return {
    event,
    async handler(ctx, e: EventEnvelope) {
      await ctx.db.query(upsert, params(e.payload as unknown as P, e));
    },
  };
}
