// Vendor return: goods go back against the receipt that brought them in.
//  FIFO/LIFO: they leave at the receipt's own layer cost (landed cost included), and the same value
//  is taken off what was received. If that layer has fewer units left than are returned (the rest
//  were issued), the others come out of stock in the usual order and the gap between their value
//  and the receipt's unit cost (landed cost included) is booked as a vendor-return variance.
//  Average: they leave at the current average (Odoo); the vendor is credited the receipt's cost; the
//  gap is the variance. With valueAt 'receipt' (ERPNext) they leave at that credit instead. Standard: they leave at the standard price; the gap is the variance.
// A vendor return never drives stock below zero, whatever the negative-stock setting.
import { type Dec, dec, max, min, str, ZERO } from '../decimal.js';
import { CostingErrorCode as C, fail } from '../errors.js';
import type { Layer } from '../layers.js';
import { Posting } from '../posting.js';
import { isLayered, type ReceiptRec, type State } from '../state.js';
import { dropSerials, standardValue, takeFromLayer, takeFromLayers } from '../stock.js';
import type { StepResult, VendorReturnInput } from '../types.js';
import { requireDate, requireId, requireObject, requirePositiveQty, requireSerials } from '../validate.js';
import { resolveReceipt } from './resolve.js';

/** What the vendor credits for `qty` more units of the receipt: its cost with landed cost, pro rata. */
function credit(state: State, receipt: ReceiptRec, qty: Dec): Dec {
  const left = receipt.value.plus(receipt.landed).minus(receipt.returnedValue);
  const positive = left.gt(ZERO) ? left : ZERO;
  return state.money.share(positive, qty, receipt.qty.minus(receipt.returnedQty));
}

export function vendorReturn(state: State, input: VendorReturnInput): StepResult {
  const o = requireObject(input, '');
  const returnId = requireId(o.returnId, 'returnId');
  const receiptId = requireId(o.receiptId, 'receiptId');
  const date = requireDate(o.date, 'date');
  const qty = requirePositiveQty(o.qty, 'qty');
  if (o.valueAt !== undefined && o.valueAt !== 'average' && o.valueAt !== 'receipt')
    fail(C.INVALID_INPUT, 'valueAt', 'must be average or receipt');
  const receipt = resolveReceipt(state, receiptId, o.original, '');
  const returnable = receipt.qty.minus(receipt.returnedQty);
  if (qty.gt(returnable)) {
    fail(
      C.RETURN_EXCEEDS_ORIGINAL,
      'qty',
      `exceeds what receipt ${receiptId} has left to return (${returnable})`,
    );
  }
  if (qty.gt(state.qty)) {
    fail(C.INSUFFICIENT_STOCK, 'qty', `exceeds the quantity on hand (${str(state.qty)})`, {
      requested: str(qty),
      onHand: str(state.qty),
    });
  }

  const layer = state.layers.get(receiptId);
  // Specific identification returns the receipt's own units: others are other serials or batches.
  if (state.method === 'specific' && !(layer?.kind === 'receipt' && layer.qty.gte(qty))) {
    fail(
      C.INSUFFICIENT_STOCK,
      'qty',
      `exceeds the units of receipt ${receiptId} on hand (${layer?.kind === 'receipt' ? str(layer.qty) : '0'})`,
    );
  }
  // A one-serial move names its serial as `lot`: against a line of serials, that serial goes back.
  const named = o.serials ?? (layer?.serials && o.lot !== undefined ? [o.lot] : undefined);
  const serials = state.method === 'specific' ? returnedSerials(named, layer, qty) : undefined;
  const posting = new Posting(state, returnId, date);
  if (serials) dropSerials(layer!, serials);
  const own = layer?.kind === 'receipt' ? min(layer.qty, qty) : ZERO;
  const others = qty.minus(own);
  if (isLayered(state.method)) {
    const ownValue = own.gt(ZERO) ? takeFromLayer(state, layer!, own) : ZERO;
    receipt.returnedQty = receipt.returnedQty.plus(own);
    receipt.returnedValue = receipt.returnedValue.plus(ownValue);
    let othersValue = ZERO;
    let othersCredit = ZERO;
    if (others.gt(ZERO)) {
      othersCredit = credit(state, receipt, others);
      othersValue = takeFromLayers(state, others);
      receipt.returnedQty = receipt.returnedQty.plus(others);
      receipt.returnedValue = receipt.returnedValue.plus(othersCredit);
    }
    posting.post(
      'vendor_return',
      {
        qty: qty.neg(),
        stock: ownValue.plus(othersValue).neg(),
        received: ownValue.plus(othersCredit).neg(),
        variance: othersValue.minus(othersCredit),
      },
      receiptId,
      'vendor_return',
    );
  } else {
    const received = credit(state, receipt, qty);
    // ERPNext's rule (valueAt 'receipt'): the units leave at what the vendor credits, bounded by
    // the pool (the whole pool when they are all that is left, so no residue stays behind).
    const atReceipt = state.method === 'average' && o.valueAt === 'receipt';
    const leaving =
      state.method === 'standard'
        ? state.value.minus(standardValue(state, state.qty.minus(qty)))
        : atReceipt
          ? qty.eq(state.qty)
            ? state.value
            : min(received, max(state.value, ZERO))
          : state.money.share(state.value, qty, state.qty);
    if (own.gt(ZERO)) takeFromLayer(state, layer!, own);
    if (others.gt(ZERO)) takeFromLayers(state, others);
    receipt.returnedQty = receipt.returnedQty.plus(qty);
    receipt.returnedValue = receipt.returnedValue.plus(received);
    posting.post(
      'vendor_return',
      { qty: qty.neg(), stock: leaving.neg(), received: received.neg(), variance: leaving.minus(received) },
      receiptId,
      'vendor_return',
    );
  }
  posting.touchReceipt(receipt);
  return posting.result();
}

/**
 * Specific identification: the serials going back from a receipt line of several serials (they
 * leave at the layer's value per unit, landed cost included). A batch or one-serial receipt needs
 * none; serials named against it must be its own.
 */
function returnedSerials(value: unknown, layer: Layer | undefined, qty: Dec): string[] | undefined {
  if (value === undefined && !layer?.serials) return undefined;
  if (value === undefined) fail(C.LOT_REQUIRED, 'serials', 'name the serials going back to the vendor');
  const serials = requireSerials(value, 'serials');
  if (!qty.eq(dec(String(serials.length)))) {
    fail(C.INVALID_QUANTITY, 'qty', `must be the number of serials (${serials.length}): each is one unit`);
  }
  serials.forEach((serial, i) => {
    const own = layer?.serials ? layer.serials.includes(serial) : layer?.lot === serial;
    if (!own)
      fail(C.INSUFFICIENT_STOCK, `serials/${i}`, `${serial} is not among the receipt's units on hand`);
  });
  return layer?.serials ? serials : undefined;
}
