// Vendor bill: the price billed for received units, optionally in another currency at a rate. The
// difference from the receipt's value for those units (each bill takes round(value × billed so far
// ÷ qty) less what earlier bills took, so the bills of a receipt add up to its value exactly):
//  Standard: purchase price variance at bill time (Odoo and ERPNext alike).
//  FIFO/LIFO/average: the share of the receipt's units still on hand (its open layer ÷ its qty, as
//  a landed cost) adjusts their value (the layer, or the pool); the rest is booked as price
//  difference, a purchase_price variance (Odoo's price difference account).
import { type Dec, max, str, ZERO } from '../decimal.js';
import { CostingErrorCode as C, fail } from '../errors.js';
import { Posting } from '../posting.js';
import { isKnownId, isLayered, type State } from '../state.js';
import type { BillInput, BillResult } from '../types.js';
import {
  requireDate,
  requireDecimal,
  requireId,
  requireObject,
  requirePositiveQty,
  requireUnitCost,
} from '../validate.js';
import { resolveReceipt } from './resolve.js';

export function bill(state: State, input: BillInput): BillResult {
  const o = requireObject(input, '');
  const billId = requireId(o.billId, 'billId');
  const receiptId = requireId(o.receiptId, 'receiptId');
  const date = requireDate(o.date, 'date');
  const unitPrice = requireUnitCost(o.unitPrice, 'unitPrice');
  let rate: Dec | null = null;
  if (o.rate !== undefined) {
    rate = requireDecimal(o.rate, 'rate');
    if (rate.lte(ZERO)) fail(C.INVALID_INPUT, 'rate', 'must be greater than zero');
  }
  if (isKnownId(state, billId)) fail(C.DUPLICATE_ID, 'billId', 'is already used in this valuation');
  const receipt = resolveReceipt(state, receiptId, o.original, '');
  const billable = receipt.qty.minus(receipt.billedQty);
  const qty = o.qty === undefined ? billable : requirePositiveQty(o.qty, 'qty');
  if (qty.gt(billable) || billable.eq(ZERO)) {
    fail(C.BILL_EXCEEDS_RECEIPT, 'qty', `receipt ${receiptId} has ${str(billable)} units left to bill`, {
      billable: str(billable),
    });
  }

  const posting = new Posting(state, billId, date);
  const m = state.money;
  const billed = m.round(rate ? qty.times(unitPrice).times(rate) : qty.times(unitPrice));
  const before = m.mulDiv(receipt.value, receipt.billedQty, receipt.qty);
  const upTo = receipt.billedQty.plus(qty);
  const base = (upTo.eq(receipt.qty) ? receipt.value : m.mulDiv(receipt.value, upTo, receipt.qty)).minus(
    before,
  );
  const difference = billed.minus(base);
  let capitalised = ZERO;
  if (state.method !== 'standard') {
    const layer = state.layers.get(receiptId);
    const onHand = layer?.kind === 'receipt' ? layer.qty : ZERO;
    if (onHand.gt(ZERO)) {
      capitalised = m.share(difference, onHand, receipt.qty);
      // A lower price never takes the stock below zero value.
      const floor = isLayered(state.method) ? layer!.value : state.value;
      capitalised = max(capitalised, floor.neg());
      if (isLayered(state.method)) layer!.value = layer!.value.plus(capitalised);
    }
  }
  posting.post(
    'vendor_bill',
    { received: difference, stock: capitalised, variance: difference.minus(capitalised) },
    receiptId,
    'purchase_price',
  );
  receipt.billedQty = upTo;
  posting.touchReceipt(receipt);
  return { ...posting.result(), difference: str(difference), capitalised: str(capitalised) };
}
