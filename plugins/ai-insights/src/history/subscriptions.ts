// The tenant's stock history, from the warehouses events: each move becomes one signed row of
// this plugin's own `moves` table (keyed by the move id: a second delivery changes nothing).
// Issues to customers are the demand the forecasts learn from; every move counts for on-hand.
import type { EventEnvelope, PluginSubscription } from '@erp/sdk';
import type { Ctx } from '../shared/index.js';

interface Move {
  moveId: string;
  itemId: string;
  sku?: string;
  warehouseId: string;
  qty: string;
  kind?: string;
  unitCost?: string | null;
  /** Sale price per unit (stock.issued of an issue, when the document gave one). */
  unitPrice?: string | null;
  customer?: string | null;
  supplier?: string | null;
  effectiveAt: string;
  cancelsMoveId?: string;
}

const abs = (d: string) => (d.startsWith('-') ? d.slice(1) : d);

async function record(ctx: Ctx, m: Move, kind: string, signedQty: string, demand: boolean) {
  await ctx.db.query(
    `insert into moves (move_id, item_id, warehouse_id, sku, kind, qty, demand, unit_cost, partner, effective_at,
       cancels_move_id, unit_price)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) on conflict do nothing`,
    [
      m.moveId,
      m.itemId,
      m.warehouseId,
      m.sku ?? null,
      kind,
      signedQty,
      demand,
      m.unitCost ?? null,
      m.customer ?? m.supplier ?? null,
      m.effectiveAt,
      m.cancelsMoveId ?? null,
      m.unitPrice ?? null,
    ],
  );
}

const payload = (e: EventEnvelope) => e.payload as unknown as Move;

export const subscriptions: Record<string, PluginSubscription> = {
  'stock-received': {
    event: 'warehouses.stock.received',
    handler: (ctx, e) => record(ctx, payload(e), payload(e).kind ?? 'receipt', abs(payload(e).qty), false),
  },
  'stock-issued': {
    event: 'warehouses.stock.issued',
    handler: (ctx, e) => {
      const p = payload(e);
      const kind = p.kind ?? 'issue';
      return record(ctx, p, kind, `-${abs(p.qty)}`, kind === 'issue');
    },
  },
  'stock-adjusted': {
    event: 'warehouses.stock.adjusted',
    handler: (ctx, e) => record(ctx, payload(e), 'adjustment', payload(e).qty, false),
  },
  // A posted document cancelled by reversing moves (warehouses.stock.cancelled, the contract in
  // CONTRACTS.md: qty positive, direction of the reversing move). The reversal counts for on-hand;
  // the cancelled move stops being demand (see demandOf).
  'stock-cancelled': {
    event: 'warehouses.stock.cancelled',
    handler: (ctx, e) => {
      const p = e.payload as unknown as Move & { direction: 'in' | 'out'; cancelsKind: string };
      return record(
        ctx,
        p,
        `cancel-${p.cancelsKind}`,
        p.direction === 'in' ? abs(p.qty) : `-${abs(p.qty)}`,
        false,
      );
    },
  },
  'stock-transferred': {
    event: 'warehouses.stock.transferred',
    async handler(ctx, e) {
      const p = e.payload as unknown as {
        itemId: string;
        sku: string;
        qty: string;
        effectiveAt: string;
        from: { moveId: string; warehouseId: string };
        to: { moveId: string; warehouseId: string };
      };
      const leg = (l: { moveId: string; warehouseId: string }): Move => ({ ...p, ...l });
      await record(ctx, leg(p.from), 'transfer-out', `-${abs(p.qty)}`, false);
      await record(ctx, leg(p.to), 'transfer-in', abs(p.qty), false);
    },
  },
};
