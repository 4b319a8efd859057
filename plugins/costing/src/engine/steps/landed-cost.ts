// Landed cost: freight, duty, insurance … added after the receipt, split over one or more receipt
// lines of this item (see allocation.ts for the split). For each line, the share that belongs to
// the receipt's units still on hand is capitalised into stock (into that receipt's layer under
// FIFO/LIFO, into the pool under average), and the share for units already issued goes to COGS on
// the landed cost's date; the share of units already returned to the vendor is a vendor-return
// variance. "Still on hand" is the receipt's open layer quantity (average tracks it first-in
// first-out, as Odoo does) over the units received.
// A transfer in of serials at several costs opened several layers: the capitalised part is
// spread over those still open by quantity (rounding leftover on the last, as allocate does).
// Under standard cost all of it is a variance: stock stays at the standard price.
// To split one landed cost over several items, use allocateLandedCost and give each valuation its
// share as a one-line landed cost.

import { allocate, basisOf, requireSplit } from '../allocation.js';
import { type Dec, ZERO } from '../decimal.js';
import { CostingErrorCode as C, fail } from '../errors.js';
import { Posting } from '../posting.js';
import { isLayered, type ReceiptRec, type State } from '../state.js';
import { receiptLayers } from '../stock.js';
import type { LandedCostInput, StepResult } from '../types.js';
import { requireAmount, requireDate, requireId, requireObject } from '../validate.js';
import { resolveReceipt } from './resolve.js';

export function landedCost(state: State, input: LandedCostInput): StepResult {
  const o = requireObject(input, '');
  const landedCostId = requireId(o.landedCostId, 'landedCostId');
  const date = requireDate(o.date, 'date');
  const amount = requireAmount(o.amount, 'amount', state.money);
  const split = requireSplit(o.split, 'split');
  if (!Array.isArray(o.lines) || o.lines.length === 0)
    fail(C.INVALID_INPUT, 'lines', 'must be a non-empty array');
  const seen = new Set<string>();
  const receipts: ReceiptRec[] = [];
  const bases: Dec[] = [];
  (o.lines as unknown[]).forEach((value, i) => {
    const line = requireObject(value, `lines/${i}`);
    const receiptId = requireId(line.receiptId, `lines/${i}/receiptId`);
    if (seen.has(receiptId))
      fail(C.DUPLICATE_ID, `lines/${i}/receiptId`, 'names the same receipt as another line');
    seen.add(receiptId);
    const receipt = resolveReceipt(state, receiptId, line.original, `lines/${i}/`);
    receipts.push(receipt);
    bases.push(
      basisOf(split, { ...line, qty: receipt.qty.toString(), value: receipt.value.toString() }, `lines/${i}`),
    );
  });
  const shares = allocate(state.money, amount, bases, 'split');

  const posting = new Posting(state, landedCostId, date);
  receipts.forEach((receipt, i) => {
    const share = shares[i]!;
    if (state.method === 'standard') {
      posting.post('landed_cost', { landed: share, variance: share }, receipt.receiptId, 'landed_cost');
    } else {
      // Shares by units of the receipt (Odoo's remaining_qty ÷ quantity): on hand → capitalised;
      // returned to the vendor → a vendor_return variance (those units are gone, the ones left
      // must not carry their share); issued → COGS.
      // A line of serials at several costs (a transfer in) holds one layer per cost: the share
      // goes to all of them still open, by their quantity.
      const layers = receiptLayers(state, receipt.receiptId);
      const onHand = layers.reduce((sum, l) => sum.plus(l.qty), ZERO);
      const capitalised = onHand.gt(ZERO) ? state.money.share(share, onHand, receipt.qty) : ZERO;
      const returned = receipt.returnedQty;
      const returnedShare = !returned.gt(ZERO)
        ? ZERO
        : onHand.plus(returned).eq(receipt.qty)
          ? share.minus(capitalised)
          : state.money.mulDiv(share, returned, receipt.qty);
      if (isLayered(state.method) && !capitalised.eq(ZERO)) {
        const parts =
          layers.length === 1
            ? [capitalised]
            : allocate(
                state.money,
                capitalised,
                layers.map((l) => l.qty),
                'split',
              );
        layers.forEach((l, j) => {
          l.value = l.value.plus(parts[j]!);
        });
      }
      posting.post(
        'landed_cost',
        {
          landed: share,
          stock: capitalised,
          cogs: share.minus(capitalised).minus(returnedShare),
          variance: returnedShare,
        },
        receipt.receiptId,
        'vendor_return',
      );
      // Counted as already credited, so a later return of the units left is credited their own
      // share only (the vendor-return credit is value + landed − returnedValue, pro rata).
      receipt.returnedValue = receipt.returnedValue.plus(returnedShare);
    }
    receipt.landed = receipt.landed.plus(share);
    posting.touchReceipt(receipt);
  });
  return posting.result();
}
