// warehouses.item.upserted → this plugin's own `items` table, the latest state per item (published
// when an item is created, imported or changed, e.g. its category set). Only the receiving
// tenant's rows are touched (row-level security), so a tenant's items train only its classifier.
import type { EventEnvelope, PluginSubscription } from '@erp/sdk';

interface ItemUpserted {
  itemId: string;
  sku: string;
  name: string;
  category: string | null;
}

export const itemSubscriptions: Record<string, PluginSubscription> = {
  'item-upserted': {
    event: 'warehouses.item.upserted',
    async handler(ctx, e: EventEnvelope) {
      const p = e.payload as unknown as ItemUpserted;
      await ctx.db.query(
        `insert into items (item_id, sku, name, category) values ($1, $2, $3, $4)
         on conflict (tenant_id, item_id) do update set sku = excluded.sku, name = excluded.name,
           category = excluded.category, updated_at = now()`,
        [p.itemId, p.sku, p.name, p.category],
      );
    },
  },
};
