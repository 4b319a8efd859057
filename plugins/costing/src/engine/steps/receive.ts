// Receive: units arrive from a vendor at a unit cost.
//  FIFO/LIFO: a new layer at round(qty × unitCost). Average: added to the pool (the average moves).
//  Standard: stock is debited at the standard price; the difference from the purchase value is the
//  purchase price variance. Under every method but standard, arriving units first settle issues
//  made below zero, correcting their COGS to this receipt's cost.
import { type Dec, decimalPlaces, max, ONE, ZERO } from '../decimal.js';
import { CostingErrorCode as C, fail } from '../errors.js';
import { Posting } from '../posting.js';
import { parseSerialCosts } from '../records.js';
import { isKnownId, newReceipt, type State } from '../state.js';
import { costsOf, lotQty, openLayer, openSerialLayers, settlePending, standardValue } from '../stock.js';
import type { ReceiveInput, StepResult } from '../types.js';
import type { Named } from '../validate.js';
import {
  requireDate,
  requireId,
  requireNamed,
  requireObject,
  requirePositiveQty,
  requireUnitCost,
} from '../validate.js';

export function receive(state: State, input: ReceiveInput): StepResult {
  const o = requireObject(input, '');
  const receiptId = requireId(o.receiptId, 'receiptId');
  const date = requireDate(o.date, 'date');
  const qty = requirePositiveQty(o.qty, 'qty');
  const unitCost = requireUnitCost(o.unitCost, 'unitCost');
  const named = requireNamed(state.method, o, qty);
  if (named) requireNotOnHand(state, named);
  const serialCosts =
    o.serialCosts === undefined ? undefined : requireSerialCosts(o.serialCosts, named, state.money.decimals);
  if (isKnownId(state, receiptId)) fail(C.DUPLICATE_ID, 'receiptId', 'is already used in this valuation');

  const posting = new Posting(state, receiptId, date);
  // Serials with their own costs (a transfer in): the line is worth their sum, already exact.
  const value = serialCosts
    ? [...serialCosts.values()].reduce((sum, c) => sum.plus(c), ZERO)
    : state.money.round(qty.times(unitCost));
  const receipt = newReceipt(receiptId, date, qty, unitCost, value);
  posting.touchReceipt(receipt);
  let opened = false;
  if (state.method === 'standard') {
    // Units that fill a negative balance are not tracked as on hand.
    const tracked = qty.minus(max(ZERO, state.qty.neg()));
    const stock = standardValue(state, state.qty.plus(qty)).minus(state.value);
    posting.post(
      'receipt',
      { qty, stock, received: value, variance: value.minus(stock) },
      undefined,
      'purchase_price',
    );
    if (tracked.gt(ZERO)) {
      openLayer(state, receiptId, 'receipt', date, tracked, ZERO);
      opened = true;
    }
  } else {
    posting.post('receipt', { qty, stock: value, received: value });
    const rest = settlePending(state, posting, qty, value);
    if (serialCosts && rest.qty.eq(qty)) {
      openSerialLayers(state, receiptId, 'receipt', date, serialCosts);
      opened = true;
    } else if (rest.qty.gt(ZERO)) {
      openLayer(state, receiptId, 'receipt', date, rest.qty, rest.value, named);
      opened = true;
    }
  }
  state.lastCost = { value: unitCost, qty: ONE };
  if (opened || state.keepHistory) state.receipts.set(receiptId, receipt);
  return posting.result();
}

/** `serialCosts`: under specific, with `serials`, a cost for each serial and for no other. */
function requireSerialCosts(
  value: unknown,
  named: Named | undefined,
  decimals: number,
): Map<string, Dec> | undefined {
  if (!named) return undefined;
  const serials = named.serials;
  if (serials === undefined)
    return fail(C.INVALID_INPUT, 'serialCosts', 'goes with `serials` (a line of several serials)');
  const costs = parseSerialCosts(value, 'serialCosts');
  const ordered = costsOf(serials, costs);
  if (!ordered || costs.size !== serials.length)
    return fail(C.INVALID_INPUT, 'serialCosts', 'must give a cost for each serial of the line and no other');
  // Costs that left another valuation are money already: finer than the minor unit is not one.
  for (const [serial, cost] of ordered)
    if (decimalPlaces(cost) > decimals)
      fail(
        C.INVALID_INPUT,
        `serialCosts/${serial}`,
        `must have at most ${decimals} decimals (the currency's)`,
      );
  return ordered;
}

/** A line of several serials arrives only with serials not already on hand (one unit each). */
export function requireNotOnHand(state: State, named: Named): void {
  named.serials?.forEach((serial, i) => {
    if (lotQty(state, serial).gt(ZERO)) fail(C.INVALID_INPUT, `serials/${i}`, `${serial} is already on hand`);
  });
}
