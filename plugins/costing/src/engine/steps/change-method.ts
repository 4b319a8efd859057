// Changing an item's costing method. With stock on hand the caller must say at what unit cost the
// stock is carried from now on (an explicit revaluation; the change of value is booked as
// revaluation): the engine never silently re-prices stock. Receipt identities of open layers are
// kept, so later landed costs and vendor returns still find them. Refused while stock is negative.
import { ONE, str, ZERO } from '../decimal.js';
import { CostingErrorCode as C, fail } from '../errors.js';
import { Posting } from '../posting.js';
import { isLayered, type State } from '../state.js';
import { standardValue } from '../stock.js';
import type { ChangeMethodInput, StepResult } from '../types.js';
import { requireDate, requireId, requireMethod, requireObject, requireUnitCost } from '../validate.js';

export function changeMethod(state: State, input: ChangeMethodInput): StepResult {
  const o = requireObject(input, '');
  const changeId = requireId(o.changeId, 'changeId');
  const date = requireDate(o.date, 'date');
  const method = requireMethod(o.method, 'method');
  if (method === state.method) fail(C.INVALID_METHOD, 'method', `is already ${method}`);
  const standardPrice =
    o.standardPrice !== undefined ? requireUnitCost(o.standardPrice, 'standardPrice') : null;
  const revaluation =
    o.revaluation !== undefined
      ? requireUnitCost(requireObject(o.revaluation, 'revaluation').unitCost, 'revaluation/unitCost')
      : null;
  if (state.pending.length > 0 || state.qty.lt(ZERO)) {
    fail(C.PENDING_NEGATIVE_STOCK, 'method', `stock is negative (${str(state.qty)}); receive stock first`);
  }
  if (state.qty.gt(ZERO) && revaluation === null) {
    fail(
      C.REVALUATION_REQUIRED,
      'revaluation',
      `${str(state.qty)} units are on hand: give the unit cost to carry them at (revaluation.unitCost)`,
    );
  }
  if (method === 'specific' && state.qty.gt(ZERO))
    fail(
      C.INVALID_METHOD,
      'method',
      'specific identification starts with nothing on hand: the stock has no serials or batches',
    );
  const price = standardPrice ?? revaluation;
  if (method === 'standard') {
    if (price === null) fail(C.INVALID_INPUT, 'standardPrice', 'is required to change to standard cost');
    if (
      standardPrice !== null &&
      revaluation !== null &&
      state.qty.gt(ZERO) &&
      !standardPrice.eq(revaluation)
    ) {
      fail(
        C.INVALID_INPUT,
        'revaluation/unitCost',
        'must equal standardPrice: standard cost carries stock at it',
      );
    }
  }

  const posting = new Posting(state, changeId, date);
  // Other methods take units without naming them: a line's serial list would go stale.
  if (method !== 'specific') for (const layer of state.layers.toArray()) delete layer.serials;
  state.method = method;
  // Leaving standard cost, the standard price stays as the item's cost price (a fallback cost).
  state.standardPrice = method === 'standard' ? price : (standardPrice ?? state.standardPrice);
  let newValue = state.value;
  if (state.qty.gt(ZERO) && revaluation !== null) {
    const layers = state.layers.toArray();
    const layered = isLayered(method);
    for (const layer of layers)
      layer.value = layered ? state.money.round(layer.qty.times(revaluation)) : ZERO;
    newValue = layered
      ? layers.reduce((sum, l) => sum.plus(l.value), ZERO)
      : method === 'standard'
        ? standardValue(state, state.qty)
        : state.money.round(state.qty.times(revaluation));
    state.lastCost = { value: revaluation, qty: ONE };
  }
  const delta = newValue.minus(state.value);
  posting.post('method_change', { stock: delta, revaluation: delta });
  return posting.result();
}
