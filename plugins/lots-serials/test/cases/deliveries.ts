// biome-ignore-all lint/suspicious/noExplicitAny: tests read arbitrary JSON from the API
// Issue 14 (session 6), two tenants on one kernel (real PostgreSQL): warehouses refuses a delivery
// of an expired lot, or of one past its removal date, with the dates lots-serials computed from the
// item's rules (lots-serials.lot.dated) or given on the receipt; nothing changes; a holder of
// warehouses.lots.expired-override posts it with a reason, audited; others cannot. And a policy
// warranty follows a cancelled delivery: withdrawn, or back to the delivery before it.
import { clientFor, type TestClient } from '@erp/plugin-testkit';
import { describe, expect, it } from 'vitest';
import { buildWorld, ok, pluginClient, until } from '../support/setup.js';
import type { Side } from './issue14.js';

interface Env {
  a: Side;
  b: Side;
  url: string;
  /** The kernel's owner pool: to see warehouses' copy of a lot's dates below the API. */
  owner: { query(sql: string, params?: unknown[]): Promise<{ rows: any[] }> };
}

/** Waits until warehouses holds at least `version` of the lot's dates (from lots-serials' event). */
const datesKnown = (env: Env, itemId: string, lot: string, version: number) =>
  until(async () => {
    const { rows } = await env.owner.query(
      'select version from p_warehouses.lot_dates where item_id = $1 and lot = $2',
      [itemId, lot],
    );
    return (rows[0]?.version ?? 0) >= version;
  });

/** Everything a refusal must leave unchanged: the item's moves and its stock. */
const ledgerOf = async (wh: TestClient, itemId: string) => ({
  moves: (await ok(wh.get(`/moves?itemId=${itemId}`), 200)).moves.length,
  stock: (await ok(wh.get(`/stock?itemId=${itemId}`), 200)).stock,
});

const issue = (
  effectiveAt: string,
  itemId: string,
  locationId: string,
  lots: string[],
  more: object = {},
) => ({
  customer: 'Ida',
  effectiveAt,
  lines: lots.map((lot) => ({ itemId, locationId, qty: '1', lot })),
  ...more,
});

export function deliveries(env: () => Env) {
  describe('delivering expired lots (enforced by warehouses)', () => {
    it('refuses an expired or past-removal lot naming each line, changes nothing, and lets the override through', async () => {
      const e = env();
      const { a: mine, b: other } = e;
      const wh = pluginClient(mine.api, 'warehouses');
      const w = await buildWorld(wh, 'DLV');
      await ok(mine.client.put(`/items/${w.milk}/expiry`, { expirationDays: 30, removalDays: 20 }), 200);
      const receive = (effectiveAt: string, lot: string, lotExpiresOn?: string) =>
        ok(
          wh.post('/receipts', {
            effectiveAt,
            lines: [
              { itemId: w.milk, locationId: w.a1, qty: '5', lot, ...(lotExpiresOn ? { lotExpiresOn } : {}) },
            ],
          }),
        );
      const old = await receive('2025-01-30T09:00:00Z', 'L-OLD'); // expires 03-01, removal 02-19
      await receive('2025-02-10T09:00:00Z', 'L-MID'); // expires 03-12, removal 03-02
      await datesKnown(e, w.milk, 'L-OLD', 1);
      await datesKnown(e, w.milk, 'L-MID', 1);
      const before = await ledgerOf(wh, w.milk);

      // 02-25: L-MID is fine, L-OLD is past its removal date (not expired): refused, naming line 2.
      const removal = await wh.post(
        '/issues',
        issue('2025-02-25T10:00:00Z', w.milk, w.a1, ['L-MID', 'L-OLD']),
      );
      expect([removal.status, removal.json.code]).toEqual([409, 'WAREHOUSES_LOT_PAST_REMOVAL']);
      expect(removal.headers['content-type']).toContain('application/problem+json');
      expect(removal.json.errors).toEqual([
        {
          field: '/body/lines/1/lot',
          message: expect.stringContaining(
            'lot L-OLD of DLV-MILK (line 2) was due for removal on 2025-02-19',
          ),
        },
      ]);
      // 03-05: both lines, the expired one decides the code.
      const expired = await wh.post(
        '/issues',
        issue('2025-03-05T10:00:00Z', w.milk, w.a1, ['L-MID', 'L-OLD']),
      );
      expect([expired.status, expired.json.code]).toEqual([409, 'WAREHOUSES_LOT_EXPIRED']);
      expect(expired.json.errors.map((x: any) => x.field)).toEqual([
        '/body/lines/0/lot',
        '/body/lines/1/lot',
      ]);
      expect(expired.json.errors[1].message).toContain('expired on 2025-03-01');
      expect(await ledgerOf(wh, w.milk)).toEqual(before);
      // A date given on the receipt line is known to warehouses at once, without lots-serials.
      await receive('2025-01-20T09:00:00Z', 'L-GIVEN', '2025-02-01');
      const given = await wh.post('/issues', issue('2025-02-02T10:00:00Z', w.milk, w.a1, ['L-GIVEN']));
      expect([given.status, given.json.code]).toEqual([409, 'WAREHOUSES_LOT_EXPIRED']);
      // Before expiry the same lot goes; a return of an expired lot to its vendor is not a delivery.
      await ok(wh.post('/issues', issue('2025-02-18T10:00:00Z', w.milk, w.a1, ['L-OLD'])));
      await ok(
        wh.post('/issues', {
          effectiveAt: '2025-03-05T10:00:00Z',
          lines: [{ itemId: w.milk, locationId: w.a1, qty: '1', returnOf: old.moves[0].id }],
        }),
      );
      // A correction in lots-serials reaches warehouses: L-MID now expires on 02-20.
      await ok(mine.client.patch(`/lots/${w.milk}/L-MID`, { expiresOn: '2025-02-20' }), 200);
      await datesKnown(e, w.milk, 'L-MID', 2);
      const corrected = await wh.post('/issues', issue('2025-02-21T10:00:00Z', w.milk, w.a1, ['L-MID']));
      expect([corrected.status, corrected.json.code]).toEqual([409, 'WAREHOUSES_LOT_EXPIRED']);

      // The override: only with its permission, a reason, and only where it is needed.
      const keyFor = async (name: string, permissions: string[]) => {
        const key = await ok(mine.api.post('/api/v1/iam/api-keys', { name, permissions }), 201);
        return pluginClient(clientFor(e.url, key.token), 'warehouses');
      };
      const clerk = await keyFor('clerk', ['warehouses.stock.issue', 'warehouses.stock.read']);
      const supervisor = await keyFor('supervisor', ['warehouses.lots.expired-override']);
      const late = issue('2025-03-05T10:00:00Z', w.milk, w.a1, ['L-OLD']);
      const stock = await ledgerOf(wh, w.milk);
      const denied = await clerk.post('/issues/expired-override', {
        ...late,
        overrideReason: 'customer asked',
      });
      expect(denied.status).toBe(403);
      expect((await clerk.post('/issues', late)).json.code).toBe('WAREHOUSES_LOT_EXPIRED');
      expect((await supervisor.post('/issues', late)).status).toBe(403);
      const noReason = await supervisor.post('/issues/expired-override', late);
      expect([noReason.status, noReason.json.code]).toEqual([400, 'ERP_VALIDATION']);
      expect(
        (await supervisor.post('/issues/expired-override', { ...late, overrideReason: '   ' })).status,
      ).toBe(400);
      const fresh = issue('2025-02-05T10:00:00Z', w.milk, w.a1, ['L-OLD'], { overrideReason: 'why not' });
      const notNeeded = await supervisor.post('/issues/expired-override', fresh);
      expect([notNeeded.status, notNeeded.json.code]).toEqual([422, 'WAREHOUSES_EXPIRY_OVERRIDE_NOT_NEEDED']);
      expect(await ledgerOf(wh, w.milk)).toEqual(stock);

      const posted = await ok(
        supervisor.post('/issues/expired-override', { ...late, overrideReason: 'sold for animal feed' }),
      );
      expect(posted.expiredLots).toEqual([
        expect.objectContaining({
          field: '/body/lines/0/lot',
          lot: 'L-OLD',
          status: 'expired',
          expiresOn: '2025-03-01',
          on: '2025-03-05',
        }),
      ]);
      expect(posted.warnings).toEqual(['lot L-OLD of DLV-MILK (line 1) expired on 2025-03-01']);
      expect(posted.moves[0].expiryOverride).toBe('sold for animal feed');
      // Audited (entries are chained by the sealer just after commit), with the reason and the lines.
      let entry: any;
      await until(async () => {
        const items = (await mine.api.get('/api/v1/audit/entries?action=warehouses.issue.expired-override'))
          .json.items;
        entry = items?.find((x: any) => x.resource.id === posted.id);
        return entry !== undefined;
      });
      expect([entry.change.reason, entry.change.lines]).toEqual([
        'sold for animal feed',
        [{ line: 0, itemId: w.milk, lot: 'L-OLD', status: 'expired', on: '2025-03-05' }],
      ]);

      // The other tenant: same lot code, no rules there, nothing refused; it cannot see the override.
      const owh = pluginClient(other.api, 'warehouses');
      const o = await buildWorld(owh, 'DLV');
      await ok(
        owh.post('/receipts', {
          effectiveAt: '2025-01-30T09:00:00Z',
          lines: [{ itemId: o.milk, locationId: o.a1, qty: '2', lot: 'L-OLD' }],
        }),
      );
      await ok(owh.post('/issues', issue('2025-03-05T10:00:00Z', o.milk, o.a1, ['L-OLD'])));
      expect((await owh.get(`/issues/${posted.id}`)).status).toBe(404);
      const theirs = await other.api.get('/api/v1/audit/entries?action=warehouses.issue.expired-override');
      expect(theirs.json.items).toEqual([]);
    });
  });

  describe('warranty follows a cancelled delivery', () => {
    it('withdraws a policy warranty when its delivery is cancelled, and restores the earlier one', async () => {
      const { a: mine } = env();
      const wh = pluginClient(mine.api, 'warehouses');
      const w = await buildWorld(wh, 'WTY');
      await ok(mine.client.put(`/warranty-policies/${w.drill}`, { months: 12 }), 200);
      const line = (serial: string, more: object = {}) => ({
        itemId: w.drill,
        locationId: w.a1,
        qty: '1',
        serials: [serial],
        ...more,
      });
      await ok(
        wh.post('/receipts', { effectiveAt: '2025-01-02T08:00:00Z', lines: [line('W-1'), line('W-2')] }),
      );
      const serial = async (s: string, moves: number) => {
        await until(
          async () =>
            (await mine.client.get(`/moves?itemId=${w.drill}&serial=${s}`)).json.moves.length === moves,
        );
        return (await ok(mine.client.get(`/serials/${w.drill}/${s}?on=2025-07-01`), 200)).warranty;
      };
      // W-1: delivered once, then the delivery is cancelled: no warranty left.
      const sale = await ok(
        wh.post('/issues', { customer: 'Ann', effectiveAt: '2025-01-10T08:00:00Z', lines: [line('W-1')] }),
      );
      expect(await serial('W-1', 2)).toMatchObject({
        startsOn: '2025-01-10',
        endsOn: '2026-01-09',
        source: 'policy',
        status: 'active',
      });
      await ok(wh.post(`/documents/${sale.id}/cancel`, { reason: 'never left' }));
      expect(await serial('W-1', 3)).toMatchObject({
        startsOn: null,
        endsOn: null,
        source: null,
        status: 'none',
      });
      // W-2: delivered, returned, delivered again; cancelling the second delivery restores the first's.
      const first = await ok(
        wh.post('/issues', { customer: 'Bo', effectiveAt: '2025-01-10T08:00:00Z', lines: [line('W-2')] }),
      );
      await ok(
        wh.post('/receipts', {
          effectiveAt: '2025-02-01T08:00:00Z',
          lines: [line('W-2', { returnOf: first.moves[0].id })],
        }),
      );
      const second = await ok(
        wh.post('/issues', { customer: 'Cy', effectiveAt: '2025-06-01T08:00:00Z', lines: [line('W-2')] }),
      );
      expect(await serial('W-2', 4)).toMatchObject({ startsOn: '2025-06-01', endsOn: '2026-05-31' });
      await ok(wh.post(`/documents/${second.id}/cancel`, {}));
      expect(await serial('W-2', 5)).toMatchObject({
        startsOn: '2025-01-10',
        endsOn: '2026-01-09',
        source: 'policy',
      });
      // A warranty set by hand survives a cancel.
      const third = await ok(
        wh.post('/issues', { customer: 'Di', effectiveAt: '2025-06-02T08:00:00Z', lines: [line('W-2')] }),
      );
      await serial('W-2', 6);
      await ok(
        mine.client.put(`/serials/${w.drill}/W-2/warranty`, { startsOn: '2025-06-02', endsOn: '2027-06-01' }),
        200,
      );
      await ok(wh.post(`/documents/${third.id}/cancel`, {}));
      expect(await serial('W-2', 7)).toMatchObject({
        startsOn: '2025-06-02',
        endsOn: '2027-06-01',
        source: 'manual',
      });
    });
  });
}
