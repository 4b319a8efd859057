// Vendor bills over HTTP (issue 14), two tenants: a price variance under standard cost, an on-hand
// adjustment and price difference under FIFO in a foreign currency, refusals that change nothing,
// and another tenant's receipt unknown. Figures computed by hand.
import { describe, expect, it } from 'vitest';
import {
  type Body,
  buildWorld,
  costed,
  type Env,
  issue,
  newItem,
  ok,
  receive,
  snapshot,
  stockLine,
  valuation,
} from '../support/world.js';

export function vendorBills(env: () => Env) {
  describe('vendor bills', () => {
    it('standard: the difference is purchase price variance; FIFO: on hand adjusted, rest price difference', async () => {
      const e = env();
      const { a, b } = e;
      const w = await buildWorld(a);
      const std = await newItem(a, { method: 'standard', standardPrice: '10' });
      const fifo = await newItem(a);
      const [r1, r2] = await receive(a, '2025-04-01T00:00:00Z', [
        stockLine(w.location, std)('10', '10'),
        stockLine(w.location, fifo)('10', '10'),
      ]);
      const [sold] = await issue(a, '2025-04-02T00:00:00Z', [stockLine(w.location, fifo)('4')]);
      await costed(e, a, std, [r1!]);
      await costed(e, a, fifo, [r2!, sold!]);

      const bill = await ok(
        a.costing.post('/vendor-bills', {
          reference: 'INV-1',
          date: '2025-04-03T00:00:00Z',
          currency: 'USD',
          rate: '1.25',
          lines: [
            { receiptId: r1, unitPrice: '8.80' }, // 10 × 8.80 × 1.25 = 110: +10, all variance
            { receiptId: r2, unitPrice: '9' }, // 10 × 9 × 1.25 = 112.50: +12.50; 6 of 10 on hand → 7.50
          ],
        }),
        201,
      );
      expect(bill.lines.map((l: Body) => [l.difference, l.capitalised, l.priceDifference])).toEqual([
        ['10', '0', '10'],
        ['12.5', '7.5', '5'],
      ]);
      expect(bill).toMatchObject({ reference: 'INV-1', currency: 'USD', rate: '1.25' });
      expect(await ok(a.costing.get(`/vendor-bills/${bill.id}`))).toEqual(bill);
      expect(await valuation(a, std)).toEqual({ [w.warehouse]: { qty: '10', value: '100' } });
      expect(await valuation(a, fifo)).toEqual({ [w.warehouse]: { qty: '6', value: '67.5' } });

      // billed in full: a second bill is refused at its line, and changes nothing
      const before = await snapshot(a, fifo);
      const again = await a.costing.post('/vendor-bills', { lines: [{ receiptId: r2, unitPrice: '9' }] });
      expect(again.status).toBe(422);
      expect(again.json).toMatchObject({
        code: 'COSTING_BILL_EXCEEDS_RECEIPT',
        errors: [{ field: '/body/lines/0/qty' }],
      });
      expect(await snapshot(a, fifo)).toEqual(before);

      // cancelled: the valuations are re-costed without it; a second cancel is refused
      const cancelled = await ok(a.costing.post(`/vendor-bills/${bill.id}/cancel`, {}));
      expect(cancelled.cancelledAt).toEqual(expect.any(String));
      expect(cancelled.lines.map((l: Body) => l.difference)).toEqual(['0', '0']);
      expect(await valuation(a, fifo)).toEqual({ [w.warehouse]: { qty: '6', value: '60' } });
      const twice = await a.costing.post(`/vendor-bills/${bill.id}/cancel`, {});
      expect([twice.status, twice.json.code]).toEqual([409, 'COSTING_ALREADY_CANCELLED']);
      // and the receipt can be billed again
      await ok(a.costing.post('/vendor-bills', { lines: [{ receiptId: r2, unitPrice: '10' }] }), 201);
      expect((await b.costing.post(`/vendor-bills/${bill.id}/cancel`, {})).status).toBe(404);

      const noRate = await a.costing.post('/vendor-bills', {
        currency: 'USD',
        lines: [{ receiptId: r1, unitPrice: '1' }],
      });
      expect([noRate.status, noRate.json.code]).toEqual([422, 'COSTING_RATE_REQUIRED']);

      // the other tenant sees neither the receipt nor the bill
      const steal = await b.costing.post('/vendor-bills', { lines: [{ receiptId: r1, unitPrice: '1' }] });
      expect([steal.status, steal.json.code]).toEqual([404, 'COSTING_UNKNOWN_RECEIPT']);
      expect((await b.costing.get(`/vendor-bills/${bill.id}`)).status).toBe(404);
    });
  });
}
