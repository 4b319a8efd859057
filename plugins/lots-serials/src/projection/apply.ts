// Applies one warehouses move to this plugin's projection. Idempotent (the move id is the key of
// tracked_moves: a second delivery stops at the first statement) and order-independent (lot
// quantities are sums; a serial's position, first receipt and latest delivery are each kept by
// comparing ledger sequence numbers, not by arrival order).
import type { Ctx } from '../shared/index.js';

export interface TrackedMove {
  moveId: string;
  seq: number;
  kind: string;
  documentId: string;
  transferId?: string | null;
  itemId: string;
  sku: string;
  warehouseId: string;
  locationId: string;
  lot: string | null;
  lotExpiresOn?: string | null;
  serials: string[];
  /** Signed: positive into the location. */
  qty: string;
  partner: string | null;
  reference: string | null;
  returnOf: string | null;
  effectiveAt: string;
}

const ARRIVALS = new Set(['receipt', 'adjustment', 'count']);

export async function applyMove(ctx: Ctx, m: TrackedMove): Promise<void> {
  if (!m.lot && m.serials.length === 0) return; // not a tracked item: nothing to trace
  const fresh = await ctx.db.one(
    `insert into tracked_moves (move_id, seq, kind, document_id, transfer_id, item_id, sku, warehouse_id, location_id,
                                lot, serials, qty, partner, reference, return_of, effective_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
     on conflict do nothing returning move_id`,
    [
      m.moveId,
      m.seq,
      m.kind,
      m.documentId,
      m.transferId ?? null,
      m.itemId,
      m.sku,
      m.warehouseId,
      m.locationId,
      m.lot,
      m.serials,
      m.qty,
      m.partner,
      m.reference,
      m.returnOf,
      m.effectiveAt,
    ],
  );
  if (!fresh) return; // delivered before
  const incoming = !m.qty.startsWith('-');
  if (m.lot) {
    await ctx.db.query(
      `insert into lots (item_id, code, sku, expires_on, first_received_at) values ($1, $2, $3, $4, $5)
       on conflict (tenant_id, item_id, code) do update
         set expires_on = coalesce(lots.expires_on, excluded.expires_on),
             first_received_at = least(lots.first_received_at, excluded.first_received_at)`,
      [
        m.itemId,
        m.lot,
        m.sku,
        m.lotExpiresOn ?? null,
        incoming && ARRIVALS.has(m.kind) ? m.effectiveAt : null,
      ],
    );
  }
  if (!m.serials.length) return;
  const key = [m.itemId, m.serials] as const;
  await ctx.db.query(
    `insert into serials (item_id, serial, sku) select $1, s, $3 from unnest($2::text[]) s on conflict do nothing`,
    [...key, m.sku],
  );
  await ctx.db.query(
    `update serials set in_stock = $3, warehouse_id = $4, location_id = $5, last_seq = $6
      where item_id = $1 and serial = any($2::text[]) and last_seq < $6`,
    [...key, incoming, incoming ? m.warehouseId : null, incoming ? m.locationId : null, m.seq],
  );
  if (m.kind === 'receipt') {
    await ctx.db.query(
      `update serials set received_move_id = $3, received_seq = $4, received_at = $5, supplier = $6, receipt_reference = $7
        where item_id = $1 and serial = any($2::text[]) and (received_seq is null or received_seq > $4)`,
      [...key, m.moveId, m.seq, m.effectiveAt, m.partner, m.reference],
    );
  }
  if (m.kind === 'issue') {
    await ctx.db.query(
      `update serials set delivery_move_id = $3, delivery_seq = $4, delivered_at = $5, customer = $6, delivery_reference = $7
        where item_id = $1 and serial = any($2::text[]) and (delivery_seq is null or delivery_seq < $4)`,
      [...key, m.moveId, m.seq, m.effectiveAt, m.partner, m.reference],
    );
  }
  if (m.kind === 'receipt' || m.kind === 'issue') {
    // Warranty by the item's policy, from the receipt or the delivery as the policy says; a
    // warranty set by hand is never overwritten.
    await ctx.db.query(
      `update serials s
          set warranty_starts_on = d.day, warranty_ends_on = (d.day + make_interval(months => p.months))::date - 1,
              warranty_terms = p.terms, warranty_source = 'policy'
         from warranty_policies p, (select ($3::timestamptz at time zone 'UTC')::date as day) d
        where p.item_id = s.item_id and p.starts = $4 and s.item_id = $1 and s.serial = any($2::text[])
          and s.warranty_source is distinct from 'manual'
          and (case when $4 = 'delivery' then s.delivery_seq else s.received_seq end) = $5`,
      [...key, m.effectiveAt, m.kind === 'issue' ? 'delivery' : 'receipt', m.seq],
    );
  }
}
