// warehouses' copy of each lot's expiry and removal dates, from lots-serials' `lot.dated` events
// (lots-serials owns the expiry rules; warehouses must not depend on it, but must refuse an expired
// lot while the issue is posted, when there is no time to ask). Versions order the events.
import type { EventEnvelope, PluginContext, PluginSubscription } from '@erp/sdk';

interface LotDated {
  itemId: string;
  lot: string;
  expiresOn: string | null;
  removalOn: string | null;
  version: number;
}

async function onLotDated(ctx: PluginContext, event: EventEnvelope): Promise<void> {
  const d = event.payload as unknown as LotDated;
  await ctx.db.query(
    `insert into lot_dates (item_id, lot, expires_on, removal_on, version) values ($1, $2, $3, $4, $5)
     on conflict (tenant_id, item_id, lot) do update
       set expires_on = excluded.expires_on, removal_on = excluded.removal_on, version = excluded.version,
           updated_at = now()
       where lot_dates.version < excluded.version`,
    [d.itemId, d.lot, d.expiresOn, d.removalOn, d.version],
  );
}

export const lotDateSubscriptions: Record<string, PluginSubscription> = {
  'lot-dated': { event: 'lots-serials.lot.dated', handler: onLotDated },
};
