// Stock count with a rate (ERPNext's stock reconciliation): the count sets the quantity on hand and
// the unit cost absolutely. Every open layer is replaced by one layer of the counted units at
// round(qty × unitCost) (ERPNext resets the FIFO queue to [[qty, rate]] the same way); under
// standard cost the rate is the new standard price. The change of value is booked as revaluation
// (ERPNext books it to Stock Adjustment). Refused while issues wait below zero: receive first.
// Quantity-only counts are ordinary receipts or issues at the current cost (the plugin's adjustments).
import { ONE, str, ZERO } from '../decimal.js';
import { CostingErrorCode as C, fail } from '../errors.js';
import { Posting } from '../posting.js';
import { isKnownId, type State } from '../state.js';
import { closeAllLayers, openLayer } from '../stock.js';
import type { CountInput, StepResult } from '../types.js';
import { requireDate, requireDecimal, requireId, requireObject, requireUnitCost } from '../validate.js';

export function count(state: State, input: CountInput): StepResult {
  const o = requireObject(input, '');
  const countId = requireId(o.countId, 'countId');
  const date = requireDate(o.date, 'date');
  const qty = requireDecimal(o.qty, 'qty');
  if (qty.lt(ZERO)) fail(C.INVALID_QUANTITY, 'qty', 'a counted quantity cannot be negative');
  const unitCost = requireUnitCost(o.unitCost, 'unitCost');
  if (state.method === 'specific')
    fail(
      C.INVALID_METHOD,
      'countId',
      'a count with a rate sets one layer: under specific identification receive or issue each serial or batch',
    );
  if (isKnownId(state, countId)) fail(C.DUPLICATE_ID, 'countId', 'is already used in this valuation');
  if (state.pending.length > 0 || state.qty.lt(ZERO)) {
    fail(C.PENDING_NEGATIVE_STOCK, 'qty', `stock is negative (${str(state.qty)}); receive stock first`);
  }

  const posting = new Posting(state, countId, date);
  const value = state.money.round(qty.times(unitCost));
  const delta = value.minus(state.value);
  closeAllLayers(state);
  if (qty.gt(ZERO)) openLayer(state, countId, 'count', date, qty, value);
  if (state.method === 'standard') state.standardPrice = unitCost;
  state.lastCost = { value: unitCost, qty: ONE };
  posting.post('stock_count', { qty: qty.minus(state.qty), stock: delta, revaluation: delta });
  return posting.result();
}
