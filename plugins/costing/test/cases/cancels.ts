// Issue 14 over HTTP: cancelling warehouses documents re-costs costing (ERPNext's repost after a
// cancel), and costing tells project costing what changed (costing.issue.costed / .recosted).
// Two tenants; figures computed by hand in the comments.
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
  type Tenant,
  valuation,
} from '../support/world.js';

const PROJECT = '5f0c8a4e-3b7d-4e39-9a41-0c2d7e6b1a55';

/** Waits until costing no longer has a step for any of the moves (their cancels were costed). */
async function gone(env: Env, t: Tenant, itemId: string, moveIds: readonly string[]) {
  await env.kit.waitFor(async () => {
    const res = await t.costing.get(`/steps?itemId=${itemId}&limit=1000`);
    const steps: Body[] = res.json?.steps ?? [];
    return (
      steps.every((s) => s.status === 'applied') && !steps.some((s) => moveIds.includes(s.id as string))
    );
  }, 20_000);
}

async function issueEvents(t: Tenant, moveId: string) {
  const list = async (type: string) =>
    (await ok(t.api.get(`/api/v1/events?type=costing.issue.${type}&limit=500`))).items
      .map((e: Body) => e.payload)
      .filter((p: Body) => p.moveId === moveId);
  return { costed: await list('costed'), recosted: await list('recosted') };
}

const cancel = (t: Tenant, documentId: string, status = 201) =>
  ok(t.wh.post(`/documents/${documentId}/cancel`, { reason: 'posted by mistake' }), status);

export function cancels(env: () => Env) {
  describe('issue 14: cancel and repost of warehouses documents', () => {
    it('cancelling a receipt re-costs the later issue, then cancelling the issue returns its units', async () => {
      const e = env();
      const run = async (t: Tenant) => {
        const w = await buildWorld(t);
        const item = await newItem(t); // FIFO, the tenant default
        const line = stockLine(w.location, item);
        const r1 = await ok(
          t.wh.post('/receipts', { effectiveAt: '2025-06-01T00:00:00Z', lines: [line('10', '2')] }),
          201,
        );
        const [r2] = await receive(t, '2025-06-02T00:00:00Z', [line('10', '5')]);
        const i1 = await ok(
          t.wh.post('/issues', {
            effectiveAt: '2025-06-03T00:00:00Z',
            projectId: PROJECT,
            lines: [line('8')],
          }),
          201,
        );
        const sold = i1.moves[0].id as string;
        expect(i1.projectId).toBe(PROJECT);
        await costed(e, t, item, [r1.moves[0].id, r2!, sold]);
        // FIFO: the 8 come from R1 at 2 → 16
        expect((await ok(t.costing.get(`/issues/${sold}`))).totalCogs).toBe('16');

        const c1 = await cancel(t, r1.id);
        expect(c1).toMatchObject({ cancels: r1.id, purpose: 'cancel' });
        expect(c1.moves[0]).toMatchObject({ qty: '-10', cancelsMoveId: r1.moves[0].id, kind: 'adjustment' });
        await gone(e, t, item, [r1.moves[0].id]);
        // Reposted without R1: the 8 come from R2 at 5 → 40; 2 left at 5 → 10
        expect((await ok(t.costing.get(`/issues/${sold}`))).totalCogs).toBe('40');
        expect((await valuation(t, item))[w.warehouse]).toEqual({ qty: '2', value: '10' });
        // stock at any date reads as if R1 never moved
        const at = await ok(t.wh.get(`/stock?itemId=${item}&asOf=2025-06-01T12:00:00Z`));
        expect(at.stock).toEqual([]);

        const c2 = await cancel(t, i1.id);
        expect(c2.moves[0]).toMatchObject({ qty: '8', cancelsMoveId: sold });
        await gone(e, t, item, [sold]);
        expect((await valuation(t, item))[w.warehouse]).toEqual({ qty: '10', value: '50' });
        return { item, sold, r1, warehouse: w.warehouse };
      };
      const a = await run(e.a);
      await run(e.b);

      // What project costing hears: costed at 16, +24 on the repost, −40 when the issue is cancelled.
      await e.kit.waitFor(async () => (await issueEvents(e.a, a.sold)).recosted.length >= 2, 10_000);
      const heard = await issueEvents(e.a, a.sold);
      expect(heard.costed).toEqual([
        expect.objectContaining({ amount: '16', qty: '8', projectId: PROJECT, itemId: a.item }),
      ]);
      expect(heard.recosted.map((r: Body) => [r.delta, r.reason, r.projectId])).toEqual([
        ['24', 'repost', PROJECT],
        ['-40', 'cancelled', PROJECT],
      ]);
      // warehouses announced each reversal once, for the serial register and costing
      const events = (await ok(e.a.api.get('/api/v1/events?type=warehouses.stock.cancelled&limit=500'))).items;
      expect(events.map((x: Body) => x.payload).filter((p: Body) => p.itemId === a.item)).toEqual([
        expect.objectContaining({
          cancelsMoveId: a.r1.moves[0].id,
          cancelsDocumentId: a.r1.id,
          cancelsKind: 'receipt',
          qty: '10',
          direction: 'out',
          effectiveAt: '2025-06-01T00:00:00.000000Z',
        }),
        expect.objectContaining({ cancelsKind: 'issue', qty: '8', direction: 'in' }),
      ]);
      // another tenant's document is unknown; a second cancel and a cancel of a cancel are refused
      const other = await ok(e.b.wh.post(`/documents/${a.r1.id}/cancel`, {}), 404);
      expect(other.code).toBe('WAREHOUSES_DOCUMENT_NOT_FOUND');
      expect((await cancel(e.a, a.r1.id, 409)).code).toBe('WAREHOUSES_ALREADY_CANCELLED');
    });

    it('a cancel later moves depend on is refused, naming the warehouse, and changes nothing', async () => {
      const e = env();
      const t = e.a;
      const w = await buildWorld(t);
      const item = await newItem(t);
      const line = stockLine(w.location, item);
      const po = await ok(
        t.wh.post('/receipts', { effectiveAt: '2025-07-01T00:00:00Z', lines: [line('5', '1')] }),
        201,
      );
      const [sold] = await issue(t, '2025-07-02T00:00:00Z', [line('4')]);
      await costed(e, t, item, [po.moves[0].id, sold!]);
      const before = await snapshot(t, item);
      const moves = (await ok(t.wh.get(`/moves?itemId=${item}`))).moves.length;
      // the 4 issued on 07-02 came from this receipt: only 1 of its 5 can be taken back
      const refused = await cancel(t, po.id, 409);
      expect(refused.code).toBe('WAREHOUSES_INSUFFICIENT_STOCK');
      const wh = await ok(t.wh.get(`/warehouses/${w.warehouse}`));
      expect(refused.detail).toContain(`in warehouse ${wh.code}`);
      expect((await ok(t.wh.get(`/moves?itemId=${item}`))).moves.length).toBe(moves);
      expect(await snapshot(t, item)).toEqual(before);
      expect((await ok(t.wh.get(`/receipts/${po.id}`))).cancelledBy).toBeNull();
    });
  });
}
