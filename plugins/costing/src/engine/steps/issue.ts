// Issue: units leave stock (a delivery, consumption). Returns the COGS of this issue.
//  FIFO/LIFO: taken from the oldest/newest layers, each at its own remaining unit cost.
//  Average: at the current average. Standard: at the standard price.
// The issue that empties stock takes exactly the remaining value. With negative stock allowed,
// units beyond what is on hand are costed at the last known unit cost and wait, as pending, for
// stock to arrive and correct their cost.
import { type Dec, max, min, ONE, str, ZERO } from '../decimal.js';
import { CostingErrorCode as C, fail } from '../errors.js';
import { Posting } from '../posting.js';
import { isKnownId, newIssue, type State } from '../state.js';
import { fallbackCost, issueBelowZero, lotQty, standardValue, takeFromLayers, takeNamed } from '../stock.js';
import type { CostSource, IssueInput, IssueResult } from '../types.js';
import {
  type Named,
  requireDate,
  requireId,
  requireNamed,
  requireObject,
  requirePositiveQty,
  requireUnitCost,
} from '../validate.js';

export function issue(state: State, input: IssueInput): IssueResult {
  const o = requireObject(input, '');
  const issueId = requireId(o.issueId, 'issueId');
  const date = requireDate(o.date, 'date');
  const qty = requirePositiveQty(o.qty, 'qty');
  const lastPurchasePrice =
    o.lastPurchasePrice === undefined ? null : requireUnitCost(o.lastPurchasePrice, 'lastPurchasePrice');
  const named = requireNamed(state.method, o, qty);
  if (isKnownId(state, issueId)) fail(C.DUPLICATE_ID, 'issueId', 'is already used in this valuation');
  // Specific identification: only units of the named serial or batch on hand can go, never below
  // zero (a unit that is not there has no cost of its own); a line of serials, each of them.
  if (named) requireNamedOnHand(state, named, qty);
  const onHand = max(state.qty, ZERO);
  if (qty.gt(onHand) && !state.allowNegativeStock) {
    fail(C.INSUFFICIENT_STOCK, 'qty', `exceeds the quantity on hand (${str(state.qty)})`, {
      requested: str(qty),
      onHand: str(state.qty),
    });
  }

  const posting = new Posting(state, issueId, date);
  const fromStock = min(qty, onHand);
  const below = qty.minus(fromStock);
  const record = newIssue(issueId, date, qty, ZERO, below);
  let cogs: Dec;
  let source: CostSource | undefined;
  if (state.method === 'standard') {
    // Standard cost knows every unit's cost, so even units below zero need no later correction.
    cogs = state.value.minus(standardValue(state, state.qty.minus(qty)));
    record.pendingQty = ZERO;
    takeFromLayers(state, fromStock);
  } else {
    if (state.method === 'average') {
      cogs = ZERO;
      if (fromStock.gt(ZERO)) {
        state.lastCost = { value: state.value, qty: state.qty };
        cogs = state.money.share(state.value, fromStock, state.qty);
      }
      takeFromLayers(state, fromStock);
    } else {
      if (named) {
        // Each serial's cost goes on the record: a transfer in or a return brings it back at it.
        const taken = takeNamed(state, named, fromStock);
        cogs = taken.value;
        if (taken.serialCosts) record.serialCosts = taken.serialCosts;
      } else {
        cogs = takeFromLayers(state, fromStock);
      }
    }
    if (below.gt(ZERO)) {
      const unit = fallbackCost(state, lastPurchasePrice);
      source = unit.source;
      cogs = cogs.plus(issueBelowZero(state, record, below, unit));
    }
  }
  record.cogs = cogs;
  posting.post('issue', { qty: qty.neg(), stock: cogs.neg(), cogs });
  posting.touchIssue(record);
  if (record.pendingQty.gt(ZERO) || state.keepHistory) state.issues.set(issueId, record);
  const result: IssueResult = {
    ...posting.result(),
    cogs: str(cogs),
    provisionalQty: str(record.pendingQty),
  };
  if (source) result.costSource = source;
  if (source === 'zero') {
    result.warnings = [
      {
        code: 'COSTING_ZERO_COST_FALLBACK',
        message: `${str(below)} units issued below zero with no cost history, cost price or purchase price: costed at zero until stock arrives`,
      },
    ];
  }
  return result;
}

/** Every unit a specific-identification issue names is on hand (else nothing changes). */
function requireNamedOnHand(state: State, named: Named, qty: Dec): void {
  if (named.lot !== undefined) {
    const onHand = lotQty(state, named.lot);
    if (qty.gt(onHand)) {
      fail(C.INSUFFICIENT_STOCK, 'qty', `exceeds the units of ${named.lot} on hand (${str(onHand)})`, {
        requested: str(qty),
        onHand: str(onHand),
      });
    }
    return;
  }
  named.serials.forEach((serial, i) => {
    if (lotQty(state, serial).lt(ONE)) fail(C.INSUFFICIENT_STOCK, `serials/${i}`, `${serial} is not on hand`);
  });
}
