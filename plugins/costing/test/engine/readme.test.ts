// The README's example, so the documentation cannot drift from the engine.
import { expect, it } from 'vitest';
import { createValuation } from '../../src/index.js';

it('computes what the README example says', () => {
  const widget = createValuation({ method: 'fifo' });
  widget.receive({ receiptId: 'po-1', date: '2025-03-01', qty: '10', unitCost: '1' });
  widget.receive({ receiptId: 'po-2', date: '2025-03-02', qty: '10', unitCost: '2' });
  expect(widget.issue({ issueId: 'do-1', date: '2025-03-03', qty: '15' }).cogs).toBe('20');
  expect(widget.layers()).toEqual([
    { id: 'po-2', kind: 'receipt', date: '2025-03-02', qty: '5', value: '10' },
  ]);
  const rma = widget.customerReturn({ returnId: 'rma-1', issueId: 'do-1', date: '2025-03-04', qty: '3' });
  expect(rma.entries[0]?.stock).toBe('4');
  const freight = widget.landedCost({
    landedCostId: 'freight-7',
    date: '2025-03-05',
    amount: '12.50',
    split: 'quantity',
    lines: [{ receiptId: 'po-1' }, { receiptId: 'po-2' }],
  });
  expect(freight.entries.map((e) => [e.ref, e.stock, e.cogs])).toEqual([
    ['po-1', '0', '6.25'],
    ['po-2', '3.13', '3.12'],
  ]);
  expect(widget.totals()).toEqual({
    qty: '8',
    value: '17.13',
    received: '30',
    landed: '12.5',
    revaluation: '0',
    cogs: '25.37',
    variance: '0',
    variances: { purchase_price: '0', landed_cost: '0', vendor_return: '0', customer_return: '0' },
  });
});
