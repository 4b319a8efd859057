// The warehouses ledger, costed. Each delivery runs in the event's tenant transaction: the move
// becomes a step of its item's valuation in its warehouse (keyed by the move id, so a second
// delivery costs nothing), and the valuation is costed and saved in the same unit of work.
import type { EventEnvelope, PluginSubscription } from '@erp/sdk';
import type { Ctx } from '../shared/index.js';
import { costSteps, type NewStep } from '../valuations/index.js';
import {
  type MoveFields,
  need,
  type StockAdjusted,
  type StockIssued,
  type StockReceived,
  type StockTransferred,
} from './payloads.js';

const MOVE: (keyof MoveFields & string)[] = ['moveId', 'seq', 'itemId', 'warehouseId', 'effectiveAt'];

const abs = (d: string) => (d.startsWith('-') ? d.slice(1) : d);

function step(p: MoveFields, fields: Pick<NewStep, 'kind' | 'qty'> & Partial<NewStep>): NewStep {
  return {
    id: p.moveId,
    itemId: p.itemId,
    warehouseId: p.warehouseId,
    at: p.effectiveAt,
    seq: String(p.seq),
    ord: '0',
    documentId: p.documentId ?? null,
    ref: null,
    unitCost: null,
    amount: null,
    reference: p.reference ?? null,
    ...fields,
  };
}

async function received(ctx: Ctx, event: EventEnvelope) {
  const p = need<StockReceived>(event.payload, [...MOVE, 'kind', 'qty'], event.type);
  const s =
    p.kind === 'customer-return'
      ? step(p, { kind: 'customer-return', qty: p.qty, ref: p.returnOf, partner: p.customer })
      : step(p, { kind: 'receipt', qty: p.qty, unitCost: p.unitCost ?? null, partner: p.supplier });
  await costSteps(ctx, [s], p.sku);
}

async function issued(ctx: Ctx, event: EventEnvelope) {
  const p = need<StockIssued>(event.payload, [...MOVE, 'kind', 'qty'], event.type);
  const s =
    p.kind === 'vendor-return'
      ? step(p, { kind: 'vendor-return', qty: abs(p.qty), ref: p.returnOf, partner: p.supplier })
      : step(p, { kind: 'issue', qty: abs(p.qty), partner: p.customer });
  await costSteps(ctx, [{ ...s, input: { projectId: p.projectId ?? null } }], p.sku);
}

async function adjusted(ctx: Ctx, event: EventEnvelope) {
  const p = need<StockAdjusted>(event.payload, [...MOVE, 'qty'], event.type);
  const out = p.qty.startsWith('-');
  const s = out
    ? step(p, { kind: 'adjustment-out', qty: abs(p.qty) })
    : step(p, { kind: 'adjustment-in', qty: p.qty, unitCost: p.unitCost ?? null });
  await costSteps(ctx, [{ ...s, input: { reason: p.reason ?? null } }], p.sku);
}

async function transferred(ctx: Ctx, event: EventEnvelope) {
  const p = need<StockTransferred>(event.payload, ['itemId', 'qty', 'from', 'to', 'effectiveAt'], event.type);
  // Between locations of one warehouse, value does not move: the valuation is per warehouse.
  if (p.from.warehouseId === p.to.warehouseId) return;
  const leg = (l: StockTransferred['from']) => ({
    moveId: l.moveId,
    seq: l.seq,
    documentId: p.documentId,
    itemId: p.itemId,
    sku: p.sku,
    warehouseId: l.warehouseId,
    locationId: l.locationId,
    reference: p.reference ?? null,
    effectiveAt: p.effectiveAt,
  });
  await costSteps(
    ctx,
    [
      step(leg(p.from), { kind: 'transfer-out', qty: p.qty }),
      step(leg(p.to), { kind: 'transfer-in', qty: p.qty, ref: p.from.moveId }),
    ],
    p.sku,
  );
}

export const subscriptions: Record<string, PluginSubscription> = {
  'stock-received': { event: 'warehouses.stock.received', handler: received },
  'stock-issued': { event: 'warehouses.stock.issued', handler: issued },
  'stock-adjusted': { event: 'warehouses.stock.adjusted', handler: adjusted },
  'stock-transferred': { event: 'warehouses.stock.transferred', handler: transferred },
};
