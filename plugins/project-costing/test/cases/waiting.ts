// A stock cost (costing.issue.costed) for a project in a currency with no exchange rate for the
// day cannot be refused (the cost happened): it waits, is shown, and is booked when the rate is set.
import { describe, expect, it } from 'vitest';
import { actuals, code, type Env, ok } from '../support/world.js';

export function waiting(env: () => Env) {
  describe('costs waiting for an exchange rate', () => {
    it('a stock cost with no exchange rate for its day waits, and is booked when the rate is set', async () => {
      const { b, kit } = env();
      // Tenant B (base EUR) has no USD rate yet.
      const project = await ok(
        b.pc.post('/projects', {
          code: code('W'),
          name: 'Waiting',
          status: 'active',
          billing: 'time-and-materials',
          currency: 'USD',
          startsOn: '2025-05-05',
          endsOn: '2025-05-30',
        }),
        201,
      );
      const wh = await ok(b.wh.post('/warehouses', { code: code('W'), name: 'B main' }), 201);
      const loc = await ok(
        b.wh.post('/locations', { warehouseId: wh.id, code: 'STOCK', name: 'Stock' }),
        201,
      );
      const item = await ok(
        b.wh.post('/items', { sku: code('NUT'), name: 'Nut', uom: 'EA', qtyScale: 0 }),
        201,
      );
      await ok(
        b.wh.post('/receipts', {
          effectiveAt: '2025-05-01T09:00:00Z',
          supplier: 'ACME',
          lines: [{ itemId: item.id, locationId: loc.id, qty: '4', unitCost: '2.5' }],
        }),
        201,
      );
      await ok(
        b.wh.post('/issues', {
          effectiveAt: '2025-05-06T09:00:00Z',
          customer: 'site',
          projectId: project.id,
          lines: [{ itemId: item.id, locationId: loc.id, qty: '4' }],
        }),
        201,
      );
      await kit.waitFor(async () => (await actuals(b, project.id)).waitingCosts.length === 1, 30_000);
      const waiting = await actuals(b, project.id);
      expect(waiting.actuals).toEqual([]);
      expect(waiting.waitingCosts[0]).toMatchObject({ kind: 'material', amount: '10', currency: 'EUR' });
      expect(waiting.waitingCosts[0].reason).toContain('USD');
      // 1 USD = 0.8 EUR from 1 May: 10 EUR = 12.50 USD.
      const set = await ok(
        b.pc.post('/exchange-rates', { currency: 'USD', on: '2025-05-01', rate: '0.8' }),
        201,
      );
      expect(set.costedEntries).toBe(1);
      const booked = await actuals(b, project.id);
      expect(booked.waitingCosts).toEqual([]);
      expect(booked.actuals.map((x: { kind: string; amount: string }) => [x.kind, x.amount])).toEqual([
        ['material', '12.5'],
      ]);
    });
  });
}
