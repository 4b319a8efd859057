// Customer return: goods come back against the issue that sent them out, at that issue's cost
// (its COGS including corrections, per unit; returning all that is left takes back exactly what is
// left). The COGS is reversed by that value.
//  FIFO/LIFO: the units form a new layer at that cost. Average: they join the pool at that cost.
//  Standard: stock takes them at the standard price; the difference is a variance.
// Like any arrival, they first settle issues made below zero.
import { type Dec, max, ONE, ZERO } from '../decimal.js';
import { CostingErrorCode as C, fail } from '../errors.js';
import { Posting } from '../posting.js';
import { type IssueRec, isKnownId, type State } from '../state.js';
import { costsOf, openLayer, openSerialLayers, settlePending, standardValue } from '../stock.js';
import type { CustomerReturnInput, StepResult } from '../types.js';
import {
  type Named,
  requireDate,
  requireId,
  requireNamed,
  requireObject,
  requirePositiveQty,
} from '../validate.js';
import { requireNotOnHand } from './receive.js';
import { resolveIssue } from './resolve.js';

export function customerReturn(state: State, input: CustomerReturnInput): StepResult {
  const o = requireObject(input, '');
  const returnId = requireId(o.returnId, 'returnId');
  const issueId = requireId(o.issueId, 'issueId');
  const date = requireDate(o.date, 'date');
  const qty = requirePositiveQty(o.qty, 'qty');
  const named = requireNamed(state.method, o, qty);
  if (named) requireNotOnHand(state, named);
  if (isKnownId(state, returnId)) fail(C.DUPLICATE_ID, 'returnId', 'is already used in this valuation');
  const issue = resolveIssue(state, issueId, o.original, '');
  const returnable = issue.qty.minus(issue.returnedQty);
  if (qty.gt(returnable)) {
    fail(
      C.RETURN_EXCEEDS_ORIGINAL,
      'qty',
      `exceeds what issue ${issueId} has left to return (${returnable})`,
    );
  }

  const posting = new Posting(state, returnId, date);
  const totalCogs = issue.corrections.reduce((sum, c) => sum.plus(c.amount), issue.cogs);
  // Serials issued together come back each at its own cost when the issue recorded it (and no
  // correction changed the line since); otherwise at the issue's cost per unit.
  const left = totalCogs.minus(issue.returnedValue);
  const own = ownCosts(issue, named, qty, returnable, left);
  const value = own ? sumOf(own) : state.money.share(left, qty, returnable);
  if (state.method === 'standard') {
    const tracked = qty.minus(max(ZERO, state.qty.neg()));
    const stock = standardValue(state, state.qty.plus(qty)).minus(state.value);
    posting.post(
      'customer_return',
      { qty, stock, cogs: value.neg(), variance: value.minus(stock) },
      issueId,
      'customer_return',
    );
    if (tracked.gt(ZERO)) openLayer(state, returnId, 'return', date, tracked, ZERO);
  } else {
    posting.post('customer_return', { qty, stock: value, cogs: value.neg() }, issueId);
    const rest = settlePending(state, posting, qty, value);
    if (own && rest.qty.eq(qty)) openSerialLayers(state, returnId, 'return', date, own);
    else if (rest.qty.gt(ZERO)) openLayer(state, returnId, 'return', date, rest.qty, rest.value, named);
  }
  issue.returnedQty = issue.returnedQty.plus(qty);
  issue.returnedValue = issue.returnedValue.plus(value);
  posting.touchIssue(issue);
  return posting.result();
}

const sumOf = (costs: ReadonlyMap<string, Dec>): Dec =>
  [...costs.values()].reduce((sum, c) => sum.plus(c), ZERO);

/**
 * The serials' own costs from the issue's record, when it has each one and no correction changed
 * the line since; and only while they fit what is left to return (the last return takes exactly
 * what is left), so a serial named twice cannot take more than the issue cost.
 */
function ownCosts(issue: IssueRec, named: Named | undefined, qty: Dec, returnable: Dec, left: Dec) {
  const serials = named?.serials ?? (named?.lot !== undefined && qty.eq(ONE) ? [named.lot] : undefined);
  if (!serials || !issue.serialCosts || issue.corrections.length > 0) return undefined;
  const own = costsOf(serials, issue.serialCosts);
  if (!own) return undefined;
  const value = sumOf(own);
  return (qty.eq(returnable) ? value.eq(left) : value.lte(left)) ? own : undefined;
}
