// Issue 14 over HTTP: specific identification (ERPNext's batch-wise valuation, erpnext/stock's
// "use batchwise valuation" tests): each batch carries its own cost from receipt to issue, and an
// issue that does not name its batch is refused by warehouses and changes nothing. Both tenants;
// figures by hand.
import { describe, expect, it } from 'vitest';
import { buildWorld, costed, type Env, ok, snapshot, type Tenant, valuation } from '../support/world.js';

export function specific(env: () => Env) {
  describe('issue 14: specific identification', () => {
    it('issues a batch at its own receipts’ cost, oldest first, and refuses an issue naming none', async () => {
      const e = env();
      const run = async (t: Tenant) => {
        const w = await buildWorld(t);
        const sku = `LOT-${Math.random().toString(36).slice(2, 8)}`;
        const item = (await ok(t.wh.post('/items', { sku, name: sku, uom: 'EA', tracking: 'lot' }), 201)).id;
        await ok(t.costing.put(`/items/${item}/settings`, { method: 'specific' }));
        const line = (lot: string, qty: string, unitCost?: string) => ({
          itemId: item,
          locationId: w.location,
          lot,
          qty,
          ...(unitCost ? { unitCost } : {}),
        });
        const r1 = await ok(
          t.wh.post('/receipts', {
            effectiveAt: '2025-10-01T00:00:00Z',
            lines: [line('A', '5', '10'), line('B', '5', '14')],
          }),
          201,
        );
        const r2 = await ok(
          t.wh.post('/receipts', { effectiveAt: '2025-10-02T00:00:00Z', lines: [line('A', '3', '12')] }),
          201,
        );
        const out = await ok(
          t.wh.post('/issues', {
            effectiveAt: '2025-10-03T00:00:00Z',
            lines: [line('A', '6'), line('B', '2')],
          }),
          201,
        );
        const ids = [...r1.moves, ...r2.moves, ...out.moves].map((m: { id: string }) => m.id);
        await costed(e, t, item, ids);
        // batch A: 5 × 10 + 1 × 12 = 62 (FIFO over the item would take B's 14: 64); batch B: 2 × 14 = 28
        expect((await ok(t.costing.get(`/issues/${out.moves[0].id}`))).totalCogs).toBe('62');
        expect((await ok(t.costing.get(`/issues/${out.moves[1].id}`))).totalCogs).toBe('28');
        // left: A 2 × 12 = 24, B 3 × 14 = 42
        expect((await valuation(t, item))[w.warehouse]).toEqual({ qty: '5', value: '66' });
        const layers = (await ok(t.costing.get(`/items/${item}`))).valuations[0].layers;
        expect(
          layers.map((l: { lot: string; qty: string; value: string }) => [l.lot, l.qty, l.value]),
        ).toEqual([
          ['B', '3', '42'],
          ['A', '2', '24'],
        ]);
        // an issue without its batch: refused, nothing changes
        const before = await snapshot(t, item);
        const bad = await ok(
          t.wh.post('/issues', { lines: [{ itemId: item, locationId: w.location, qty: '1' }] }),
          422,
        );
        expect(bad).toMatchObject({
          code: 'WAREHOUSES_LOT_REQUIRED',
          errors: [{ field: '/body/lines/0/lot' }],
        });
        expect(await snapshot(t, item)).toEqual(before);
      };
      await run(e.a);
      await run(e.b);
    });

    it('a line of several serials: each serial at its own cost, issued together at their sum, a cancel puts them back', async () => {
      const e = env();
      const run = async (t: Tenant) => {
        const w = await buildWorld(t);
        const sku = `SER-${Math.random().toString(36).slice(2, 8)}`;
        const item = (await ok(t.wh.post('/items', { sku, name: sku, uom: 'EA', tracking: 'serial' }), 201))
          .id;
        await ok(t.costing.put(`/items/${item}/settings`, { method: 'specific' }));
        const line = (serials: string[], unitCost?: string) => ({
          itemId: item,
          locationId: w.location,
          serials,
          qty: String(serials.length),
          ...(unitCost ? { unitCost } : {}),
        });
        const post = async (path: string, at: string, l: Record<string, unknown>) =>
          ok(t.wh.post(path, { effectiveAt: `2025-11-0${at}T00:00:00Z`, lines: [l] }), 201);
        const r1 = await post('/receipts', '1', line(['S1', 'S2'], '10')); // 20
        const r2 = await post('/receipts', '2', line(['S3', 'S4'], '14')); // 28
        const i1 = await post('/issues', '3', line(['S1', 'S3']));
        const i2 = await post('/issues', '4', line(['S2']));
        const [sold1, sold2] = [i1.moves[0].id, i2.moves[0].id];
        await costed(e, t, item, [r1.moves[0].id, r2.moves[0].id, sold1, sold2]);
        // S1 at 10 + S3 at 14 = 24 (FIFO would take S1 + S2 = 20); S2 alone at 10
        expect((await ok(t.costing.get(`/issues/${sold1}`))).totalCogs).toBe('24');
        expect((await ok(t.costing.get(`/issues/${sold2}`))).totalCogs).toBe('10');
        const cogs = await ok(t.costing.get(`/cogs?itemId=${item}`));
        expect(cogs.items.map((i: { totalCogs: string }) => i.totalCogs)).toEqual(['24', '10']);
        expect(cogs.totalCogs).toBe('34');
        expect((await valuation(t, item))[w.warehouse]).toEqual({ qty: '1', value: '14' }); // S4

        // cancel the issue of S1 and S3: costing reposts without it, both back at their own costs
        await ok(t.wh.post(`/documents/${i1.id}/cancel`, { reason: 'posted by mistake' }), 201);
        await e.kit.waitFor(async () => (await valuation(t, item))[w.warehouse]?.qty === '3', 20_000);
        expect((await valuation(t, item))[w.warehouse]).toEqual({ qty: '3', value: '38' }); // 10 + 14 + 14
        const layers = (await ok(t.costing.get(`/items/${item}`))).valuations[0].layers;
        expect(
          layers.map((l: { serials?: string[]; lot?: string; qty: string; value: string }) => [
            l.serials ?? [l.lot],
            l.qty,
            l.value,
          ]),
        ).toEqual([
          [['S1'], '1', '10'],
          [['S3', 'S4'], '2', '28'],
        ]);
        expect((await ok(t.costing.get(`/cogs?itemId=${item}`))).totalCogs).toBe('10');
        // S1 and S3 to the second warehouse leave at 10 + 14 = 24 and arrive each at its own cost
        const tr = await ok(
          t.wh.post('/transfers', {
            fromLocationId: w.location,
            toLocationId: w.location2,
            lines: [{ itemId: item, qty: '2', serials: ['S3', 'S1'] }],
          }),
          201,
        );
        await ok(t.wh.post(`/transfers/${tr.id}/approve`, { effectiveAt: '2025-11-05T00:00:00Z' }));
        const i3 = await post('/issues', '6', line(['S4']));
        await costed(e, t, item, [i3.moves[0].id]);
        expect((await ok(t.costing.get(`/issues/${i3.moves[0].id}`))).totalCogs).toBe('14');
        // nothing left in the first warehouse; S1 and S3 worth 24 in the second, S1 at 10 and S3 at 14
        expect(await valuation(t, item)).toEqual({ [w.warehouse2]: { qty: '2', value: '24' } });
        const layersIn2 = async () =>
          (await ok(t.costing.get(`/items/${item}`))).valuations
            .find((v: { warehouseId: string }) => v.warehouseId === w.warehouse2)
            .layers.map((l: { serials?: string[]; lot?: string; value: string }) => [
              l.serials ?? [l.lot],
              l.value,
            ]);
        expect(await layersIn2()).toEqual([
          [['S3'], '14'],
          [['S1'], '10'],
        ]);
        // sold together from there (24), returned together: back at 10 and 14, not 12 each
        const there = (serials: string[], more: Record<string, unknown> = {}) => ({
          ...line(serials),
          locationId: w.location2,
          ...more,
        });
        const i4 = await post('/issues', '7', there(['S1', 'S3']));
        const back = await post('/receipts', '8', there(['S1', 'S3'], { returnOf: i4.moves[0].id }));
        await costed(e, t, item, [i4.moves[0].id, back.moves[0].id]);
        expect((await ok(t.costing.get(`/issues/${i4.moves[0].id}`))).totalCogs).toBe('24');
        expect(await layersIn2()).toEqual([
          [['S1'], '10'],
          [['S3'], '14'],
        ]);
        // S3 issued alone there costs its own 14
        const i5 = await post('/issues', '9', there(['S3']));
        await costed(e, t, item, [i5.moves[0].id]);
        expect((await ok(t.costing.get(`/issues/${i5.moves[0].id}`))).totalCogs).toBe('14');
        expect(await valuation(t, item)).toEqual({ [w.warehouse2]: { qty: '1', value: '10' } });
      };
      await run(e.a);
      await run(e.b);
    });

    it('a landed cost on a transfer in of serials at two costs reaches both layers; the part of the one sold goes to COGS', async () => {
      const e = env();
      const run = async (t: Tenant, other: Tenant) => {
        const w = await buildWorld(t);
        const sku = `LCT-${Math.random().toString(36).slice(2, 8)}`;
        const item = (await ok(t.wh.post('/items', { sku, name: sku, uom: 'EA', tracking: 'serial' }), 201))
          .id;
        await ok(t.costing.put(`/items/${item}/settings`, { method: 'specific' }));
        const line = (locationId: string, serials: string[], unitCost?: string) => ({
          itemId: item,
          locationId,
          serials,
          qty: String(serials.length),
          ...(unitCost ? { unitCost } : {}),
        });
        const post = async (path: string, at: string, l: Record<string, unknown>) =>
          ok(t.wh.post(path, { effectiveAt: `2025-12-0${at}T00:00:00Z`, lines: [l] }), 201);
        await post('/receipts', '1', line(w.location, ['S1'], '10'));
        await post('/receipts', '2', line(w.location, ['S3'], '14'));
        const tr = await ok(
          t.wh.post('/transfers', {
            fromLocationId: w.location,
            toLocationId: w.location2,
            lines: [{ itemId: item, qty: '2', serials: ['S1', 'S3'] }],
          }),
          201,
        );
        await ok(t.wh.post(`/transfers/${tr.id}/approve`, { effectiveAt: '2025-12-03T00:00:00Z' }));
        const moves = (await ok(t.wh.get(`/moves?itemId=${item}`), 200)).moves;
        const transferIn = moves.find((m: { kind: string }) => m.kind === 'transfer-in').id;
        const sold = await post('/issues', '4', line(w.location2, ['S1']));
        await costed(e, t, item, [transferIn, sold.moves[0].id]);
        expect((await ok(t.costing.get(`/issues/${sold.moves[0].id}`))).totalCogs).toBe('10');

        // The other tenant cannot name this transfer; an issue is not a receipt; nothing changes.
        const before = await snapshot(t, item);
        const bad = (receiptId: string, c = t) =>
          c.costing.post('/landed-costs', {
            date: '2025-12-05T00:00:00Z',
            amount: '6',
            split: 'quantity',
            lines: [{ receiptId }],
          });
        expect((await bad(transferIn, other)).json.code).toBe('COSTING_UNKNOWN_RECEIPT');
        expect((await bad(sold.moves[0].id)).json.code).toBe('COSTING_NOT_A_RECEIPT');
        expect(await snapshot(t, item)).toEqual(before);

        // Freight 6 on the 2 units transferred: S3 (on hand) takes 3, S1's 3 goes to COGS.
        const lc = await ok(bad(transferIn), 201);
        await e.kit.waitFor(async () => (await valuation(t, item))[w.warehouse2]?.value === '17', 20_000);
        expect(await valuation(t, item)).toEqual({ [w.warehouse2]: { qty: '1', value: '17' } });
        expect((await ok(t.costing.get(`/cogs?itemId=${item}`))).totalCogs).toBe('13');
        const layers = (await ok(t.costing.get(`/items/${item}`))).valuations.find(
          (v: { warehouseId: string }) => v.warehouseId === w.warehouse2,
        ).layers;
        expect(layers.map((l: { lot?: string; value: string }) => [l.lot, l.value])).toEqual([['S3', '17']]);
        expect(
          lc.lines.map((l: { share: string; capitalised: string; expensed: string }) => [
            l.share,
            l.capitalised,
            l.expensed,
          ]),
        ).toEqual([['6', '3', '3']]);
      };
      await run(e.a, e.b);
    });
  });
}
