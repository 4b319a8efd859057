// How this plugin learns about stock moves: it subscribes to the warehouses plugin's events (it
// cannot read that plugin's tables). Each event is applied in its own transaction, once.
import type { EventEnvelope, PluginSubscription } from '@erp/sdk';
import { applyMove, type TrackedMove } from './apply.js';

interface MovePayload {
  moveId: string;
  seq: number;
  kind: string;
  documentId: string;
  itemId: string;
  sku: string;
  warehouseId: string;
  locationId: string;
  lot: string | null;
  lotExpiresOn?: string | null;
  serials: string[];
  qty: string;
  supplier?: string | null;
  customer?: string | null;
  returnOf?: string | null;
  reference?: string | null;
  effectiveAt: string;
}

interface Leg {
  moveId: string;
  seq: number;
  warehouseId: string;
  locationId: string;
}

interface TransferPayload {
  transferId: string;
  documentId: string;
  itemId: string;
  sku: string;
  qty: string;
  lot: string | null;
  serials: string[];
  from: Leg;
  to: Leg;
  reference?: string | null;
  effectiveAt: string;
}

const move = (p: MovePayload, qty: string, kind = p.kind): TrackedMove => ({
  moveId: p.moveId,
  seq: p.seq,
  kind,
  documentId: p.documentId,
  itemId: p.itemId,
  sku: p.sku,
  warehouseId: p.warehouseId,
  locationId: p.locationId,
  lot: p.lot,
  lotExpiresOn: p.lotExpiresOn ?? null,
  serials: p.serials,
  qty,
  partner: p.customer ?? p.supplier ?? null,
  reference: p.reference ?? null,
  returnOf: p.returnOf ?? null,
  effectiveAt: p.effectiveAt,
});

/**
 * warehouses' stock.cancelled (POST /documents/:id/cancel): one reversing move per move of the
 * cancelled document, effective at the original's instant, with a later ledger seq. Kept as a
 * move of kind 'cancel' naming the move it cancels; the register and the trace skip both.
 */
interface CancelPayload {
  moveId: string;
  seq: number;
  documentId: string;
  cancelsMoveId: string;
  cancelsDocumentId: string;
  cancelsKind: string;
  itemId: string;
  sku: string;
  warehouseId: string;
  locationId: string;
  qty: string;
  direction: 'in' | 'out';
  lot: string | null;
  serials: string[];
  reference?: string | null;
  effectiveAt: string;
}

const payload = <T>(e: EventEnvelope) => e.payload as unknown as T;

export const subscriptions: Record<string, PluginSubscription> = {
  'on-received': {
    event: 'warehouses.stock.received',
    handler: (ctx, e) => applyMove(ctx, move(payload<MovePayload>(e), payload<MovePayload>(e).qty)),
  },
  'on-issued': {
    event: 'warehouses.stock.issued',
    handler: (ctx, e) => applyMove(ctx, move(payload<MovePayload>(e), `-${payload<MovePayload>(e).qty}`)),
  },
  'on-adjusted': {
    event: 'warehouses.stock.adjusted',
    handler: (ctx, e) => {
      const p = payload<MovePayload & { reason: string }>(e);
      return applyMove(ctx, move(p, p.qty, p.reason === 'cycle-count' ? 'count' : 'adjustment'));
    },
  },
  'on-cancelled': {
    event: 'warehouses.stock.cancelled',
    handler(ctx, e) {
      const p = payload<CancelPayload>(e);
      return applyMove(ctx, {
        moveId: p.moveId,
        seq: p.seq,
        kind: 'cancel',
        documentId: p.documentId,
        itemId: p.itemId,
        sku: p.sku,
        warehouseId: p.warehouseId,
        locationId: p.locationId,
        lot: p.lot ?? null,
        serials: p.serials ?? [],
        qty: p.direction === 'out' ? `-${p.qty}` : p.qty,
        partner: null,
        reference: p.reference ?? null,
        returnOf: null,
        effectiveAt: p.effectiveAt,
        cancels: p.cancelsMoveId,
      });
    },
  },
  'on-transferred': {
    event: 'warehouses.stock.transferred',
    async handler(ctx, e) {
      const p = payload<TransferPayload>(e);
      const common = {
        documentId: p.documentId,
        transferId: p.transferId,
        itemId: p.itemId,
        sku: p.sku,
        lot: p.lot,
        serials: p.serials,
        partner: null,
        reference: p.reference ?? null,
        returnOf: null,
        effectiveAt: p.effectiveAt,
      };
      await applyMove(ctx, { ...common, ...p.from, kind: 'transfer-out', qty: `-${p.qty}` });
      await applyMove(ctx, { ...common, ...p.to, kind: 'transfer-in', qty: p.qty });
    },
  },
};
