// The warehouses ledger, costed. Each delivery runs in the event's tenant transaction: the move
// becomes a step of its item's valuation in its warehouse (keyed by the move id, so a second
// delivery costs nothing), and the valuation is costed and saved in the same unit of work.
import type { EventEnvelope, PluginSubscription } from '@erp/sdk';
import type { Ctx } from '../shared/index.js';
import { cancelSteps, costSteps, lockValuations, type NewStep } from '../valuations/index.js';
import {
  type MoveFields,
  need,
  type StockAdjusted,
  type StockCancelled,
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

/**
 * A move the ledger cancelled: its step goes and its valuation is re-costed from the first step, so
 * every later step is costed as if it had never moved (ERPNext's repost after a cancel). The
 * valuation is locked first, so a late delivery of the move's own event either comes before (and
 * is removed here) or after (and finds it cancelled).
 */
async function cancelled(ctx: Ctx, event: EventEnvelope) {
  const p = need<StockCancelled>(event.payload, [...MOVE, 'cancelsMoveId'], event.type);
  await lockValuations(ctx, [{ itemId: p.itemId, warehouseId: p.warehouseId }], p.sku);
  const first = await ctx.db.one(
    `insert into cancelled_moves (move_id, cancel_move_id) values ($1, $2)
     on conflict do nothing returning 1 as ok`,
    [p.cancelsMoveId, p.moveId],
  );
  if (!first) return;
  // No step: never costed (a transfer within one warehouse) or its event has not arrived yet.
  if (!(await ctx.db.one('select 1 as ok from steps where id = $1', [p.cancelsMoveId]))) return;
  await cancelSteps(ctx, [p.cancelsMoveId]);
}

export const subscriptions: Record<string, PluginSubscription> = {
  'stock-received': { event: 'warehouses.stock.received', handler: received },
  'stock-issued': { event: 'warehouses.stock.issued', handler: issued },
  'stock-adjusted': { event: 'warehouses.stock.adjusted', handler: adjusted },
  'stock-transferred': { event: 'warehouses.stock.transferred', handler: transferred },
  'stock-cancelled': { event: 'warehouses.stock.cancelled', handler: cancelled },
};
