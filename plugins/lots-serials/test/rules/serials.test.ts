// The serial register's rules, hand-worked. Behaviour learnt from ERPNext's serial-and-batch tests
// (erpnext/stock/doctype/serial_no/test_serial_no.py, serial_and_batch_bundle/
// test_serial_and_batch_bundle.py: a serial is delivered from where it is, a sales return brings it
// back with the return as its latest document, cancelling a delivery puts it back in its warehouse)
// and Odoo's stock tests (stock/tests/test_move.py: a serial in one quant at a time, returns of
// serial-tracked moves). The numbers and names are our own.
import { describe, expect, it } from 'vitest';
import { checkDelivery, checkReceipt, type SerialMove, serialState } from '../../src/rules/index.js';

const W = 'w-1';
const mv = (
  seq: number,
  kind: string,
  direction: 'in' | 'out',
  extra: Partial<SerialMove> = {},
): SerialMove => ({
  moveId: `m${seq}`,
  seq,
  kind,
  direction,
  documentId: `d${seq}`,
  warehouseId: W,
  locationId: 'A1',
  partner: null,
  reference: null,
  effectiveAt: `2025-01-${String(seq).padStart(2, '0')}T08:00:00.000Z`,
  ...extra,
});

describe('serial register', () => {
  const received = mv(1, 'receipt', 'in', { partner: 'Bosch', reference: 'PO-1' });
  const moved = mv(2, 'transfer-out', 'out');
  const arrived = mv(3, 'transfer-in', 'in', { locationId: 'B2' });
  const delivered = mv(4, 'issue', 'out', { locationId: 'B2', partner: 'Flo', reference: 'SO-1' });
  const returned = mv(5, 'customer-return', 'in', { locationId: 'R1', partner: 'Flo', reference: 'RMA-1' });

  it('follows the latest movement: delivered, then returned, it is in stock at the return with the return as its receipt', () => {
    const out = serialState([received, moved, arrived, delivered]);
    expect(out).toMatchObject({ inStock: false, warehouseId: null, locationId: null, lastSeq: 4 });
    expect(out.delivery).toMatchObject({ documentId: 'd4', partner: 'Flo' });
    const back = serialState([received, moved, arrived, delivered, returned]);
    expect(back).toMatchObject({ inStock: true, locationId: 'R1', lastSeq: 5 });
    expect(back.receipt).toMatchObject({ kind: 'customer-return', documentId: 'd5', reference: 'RMA-1' });
    // the purchase (and its supplier) and the last delivery are still known
    expect(back.purchase).toMatchObject({ documentId: 'd1', partner: 'Bosch' });
    expect(back.delivery).toMatchObject({ documentId: 'd4' });
    // a buy-back posted as a purchase receipt makes the customer its latest supplier
    const bought = serialState([received, delivered, mv(6, 'receipt', 'in', { partner: 'Flo' })]);
    expect(bought.purchase).toMatchObject({ documentId: 'd6', partner: 'Flo' });
  });

  it('is decided by ledger order, not by the order the moves are learnt in, and counts a move once', () => {
    const state = serialState([returned, delivered, received, arrived, moved, delivered]);
    expect(state).toEqual(serialState([received, moved, arrived, delivered, returned]));
  });

  it('a cancelled delivery puts the serial back where it was; a cancelled receipt takes it out of stock', () => {
    const cancelDelivery = mv(6, 'cancel', 'in', { locationId: 'B2', cancels: 'm4' });
    const state = serialState([received, moved, arrived, delivered, cancelDelivery]);
    expect(state).toMatchObject({ inStock: true, locationId: 'B2', lastSeq: 3, delivery: null });
    // the cancel learnt before the move it cancels: same answer
    expect(serialState([cancelDelivery, received, moved, arrived, delivered])).toEqual(state);
    const cancelReceipt = mv(2, 'cancel', 'out', { cancels: 'm1' });
    expect(serialState([received, cancelReceipt])).toMatchObject({
      inStock: false,
      receipt: null,
      lastSeq: 0,
    });
  });

  it('refuses serials listed twice or already in stock on a receipt, and serials not in stock on a delivery', () => {
    const register = new Map([
      ['S-1', { inStock: true, warehouseId: W, locationId: 'A1' }],
      ['S-2', { inStock: false, warehouseId: null, locationId: null }],
    ]);
    const lookup = (s: string) => register.get(s);
    expect(checkReceipt(['S-3', 'S-2', 'S-3', 'S-1'], lookup).map((p) => [p.index, p.code])).toEqual([
      [2, 'SERIAL_DUPLICATE'],
      [3, 'SERIAL_IN_STOCK'],
    ]);
    expect(checkDelivery(['S-1', 'S-2', 'S-9'], lookup).map((p) => [p.index, p.code])).toEqual([
      [1, 'SERIAL_NOT_IN_STOCK'],
      [2, 'SERIAL_NOT_IN_STOCK'],
    ]);
    expect(checkDelivery(['S-1'], lookup, { locationId: 'B2' })).toMatchObject([{ code: 'SERIAL_NOT_HERE' }]);
    expect(checkDelivery(['S-1'], lookup, { warehouseId: W, locationId: 'A1' })).toEqual([]);
  });
});
