// Upward and downward trace between documents, hand-worked (the shape of Odoo's traceability
// report, stock/report/stock_traceability.py, and ERPNext's batch-wise traceability: by lot, and by
// serial). Our own documents and numbers.
import { describe, expect, it } from 'vitest';
import { type TraceMove, traceDown, traceUp } from '../../src/rules/index.js';

let seq = 0;
const m = (
  documentId: string,
  kind: string,
  unit: { lot?: string; serials?: string[] },
  extra: Partial<TraceMove> = {},
): TraceMove => ({
  moveId: `m${++seq}`,
  seq,
  kind,
  documentId,
  itemId: 'milk',
  lot: unit.lot ?? null,
  serials: unit.serials ?? [],
  partner: null,
  ...extra,
});

describe('trace', () => {
  // PO-1 brings lots L1 and L2; PO-2 brings L3. SO-1 ships L1; SO-2 ships L1 and L3 (after a
  // transfer of L3); SO-3 ships L2 and is cancelled. PO-3 brings serials S1, S2 of a drill;
  // SO-4 ships S2.
  const moves = [
    m('PO-1', 'receipt', { lot: 'L1' }, { partner: 'Dairy' }),
    m('PO-1', 'receipt', { lot: 'L2' }, { partner: 'Dairy' }),
    m('PO-2', 'receipt', { lot: 'L3' }, { partner: 'Farm' }),
    m('TR-1', 'transfer-out', { lot: 'L3' }),
    m('TR-1', 'transfer-in', { lot: 'L3' }),
    m('SO-1', 'issue', { lot: 'L1' }, { partner: 'Ann' }),
    m('SO-2', 'issue', { lot: 'L1' }, { partner: 'Bob' }),
    m('SO-2', 'issue', { lot: 'L3' }, { partner: 'Bob' }),
    m('SO-3', 'issue', { lot: 'L2' }, { partner: 'Cy', moveId: 'so3' }),
    m('CX-1', 'cancel', { lot: 'L2' }, { cancels: 'so3' }),
    m('PO-3', 'receipt', { serials: ['S1', 'S2'] }, { itemId: 'drill', partner: 'Bosch' }),
    m('SO-4', 'issue', { serials: ['S2'] }, { itemId: 'drill', partner: 'Dee' }),
  ];

  it('traces down from a receipt to the deliveries that took its lots, skipping cancelled ones', () => {
    expect(traceDown(moves, 'PO-1')).toEqual([
      { documentId: 'SO-1', kind: 'issue', partner: 'Ann', lots: ['L1'], serials: [] },
      { documentId: 'SO-2', kind: 'issue', partner: 'Bob', lots: ['L1'], serials: [] },
    ]);
    expect(traceDown(moves, 'PO-3')).toEqual([
      { documentId: 'SO-4', kind: 'issue', partner: 'Dee', lots: [], serials: ['S2'] },
    ]);
  });

  it('traces up from a delivery to the receipts its lots came by, through transfers', () => {
    expect(traceUp(moves, 'SO-2')).toEqual([
      { documentId: 'PO-1', kind: 'receipt', partner: 'Dairy', lots: ['L1'], serials: [] },
      { documentId: 'PO-2', kind: 'receipt', partner: 'Farm', lots: ['L3'], serials: [] },
    ]);
    expect(traceUp(moves, 'SO-3')).toEqual([]); // cancelled: it shipped nothing
  });
});
