// Revaluation of the stock on hand, by a new unit cost or by an amount.
//  FIFO/LIFO: to a unit cost, every open layer becomes round(its qty × unitCost); by an amount, the
//  amount is spread over the layers by quantity (leftover on the last layer).
//  Average: the pool's value becomes round(qty × unitCost), or moves by the amount.
//  Standard: a new standard price (unitCost only): stock becomes round(qty × new price), even when
//  nothing or less than nothing is on hand.
// The change of value is booked as revaluation.

import { allocate } from '../allocation.js';
import { type Dec, ONE, ZERO } from '../decimal.js';
import { CostingErrorCode as C, fail } from '../errors.js';
import { Posting } from '../posting.js';
import { isLayered, type State } from '../state.js';
import { standardValue } from '../stock.js';
import type { RevalueInput, StepResult } from '../types.js';
import { requireAmount, requireDate, requireId, requireObject, requireUnitCost } from '../validate.js';

export function revalue(state: State, input: RevalueInput): StepResult {
  const o = requireObject(input, '');
  const revaluationId = requireId(o.revaluationId, 'revaluationId');
  const date = requireDate(o.date, 'date');
  if ((o.unitCost === undefined) === (o.amount === undefined)) {
    fail(C.INVALID_INPUT, 'unitCost', 'give exactly one of unitCost or amount');
  }
  const field = o.unitCost !== undefined ? 'unitCost' : 'amount';
  const unitCost = o.unitCost !== undefined ? requireUnitCost(o.unitCost, 'unitCost') : null;
  const amount = o.amount !== undefined ? requireAmount(o.amount, 'amount', state.money, true) : null;
  const posting = new Posting(state, revaluationId, date);

  if (state.method === 'standard') {
    if (unitCost === null) {
      return fail(
        C.INVALID_INPUT,
        'amount',
        'under standard cost, revalue by a new standard price (unitCost)',
      );
    }
    const delta = standardValue({ ...state, standardPrice: unitCost }, state.qty).minus(state.value);
    state.standardPrice = unitCost;
    posting.post('revaluation', { stock: delta, revaluation: delta });
    return posting.result();
  }

  if (state.qty.lte(ZERO)) {
    // Average cost with nothing on hand (or less): a new unit cost revalues nothing and prices the
    // next issues (Odoo lets the cost of an AVCO product be set at zero quantity; ERPNext's
    // valuation rate likewise). FIFO/LIFO costs come only from layers, so it is refused there.
    if (state.method !== 'average' || unitCost === null)
      fail(C.NO_STOCK_TO_REVALUE, field, 'nothing is on hand to revalue');
    state.lastCost = { value: unitCost!, qty: ONE };
    state.standardPrice = unitCost;
    posting.post('revaluation', {});
    return posting.result();
  }
  const layers = state.layers.toArray();
  let next: Dec[] = [];
  let newValue: Dec;
  if (isLayered(state.method)) {
    next =
      unitCost !== null
        ? layers.map((l) => state.money.round(l.qty.times(unitCost)))
        : allocate(
            state.money,
            amount!,
            layers.map((l) => l.qty),
            'amount',
          ).map((share, i) => layers[i]!.value.plus(share));
    if (next.some((v) => v.lt(ZERO)))
      fail(C.NEGATIVE_VALUE, field, 'would leave a layer with a negative value');
    newValue = next.reduce((sum, v) => sum.plus(v), ZERO);
  } else {
    newValue = unitCost !== null ? state.money.round(state.qty.times(unitCost)) : state.value.plus(amount!);
    if (newValue.lt(ZERO)) fail(C.NEGATIVE_VALUE, field, 'would leave the stock with a negative value');
  }

  next.forEach((value, i) => {
    layers[i]!.value = value;
  });
  const delta = newValue.minus(state.value);
  posting.post('revaluation', { stock: delta, revaluation: delta });
  state.lastCost = unitCost !== null ? { value: unitCost, qty: ONE } : { value: state.value, qty: state.qty };
  return posting.result();
}
