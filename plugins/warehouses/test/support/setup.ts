// biome-ignore-all lint/suspicious/noExplicitAny: tests read arbitrary JSON from the API
// Builds the small world most tests need through the plugin's own API: items of each tracking
// mode and a warehouse with a location tree. Every call goes through the real kernel.
import type { TestClient } from '@erp/plugin-testkit';
import { expect } from 'vitest';

export interface World {
  warehouseId: string;
  /** Top location "STOCK" with bins A1, A2 inside; "DOCK" beside it. */
  stock: string;
  a1: string;
  a2: string;
  dock: string;
  plain: string;
  lotted: string;
  serial: string;
}

let n = 0;

export async function ok<T = any>(p: Promise<{ status: number; json: any }>, status = 201): Promise<T> {
  const res = await p;
  expect(res.status, JSON.stringify(res.json)).toBe(status);
  return res.json as T;
}

export async function buildWorld(client: TestClient, code = `W${++n}`): Promise<World> {
  const w = await ok(client.post('/warehouses', { code, name: `Warehouse ${code}` }));
  const loc = (body: object) => ok(client.post('/locations', { warehouseId: w.id, ...body }));
  const stock = await loc({ code: 'STOCK', name: 'Stock' });
  const a1 = await loc({ code: 'A1', name: 'Bin A1', kind: 'bin', parentId: stock.id });
  const a2 = await loc({ code: 'A2', name: 'Bin A2', kind: 'bin', parentId: stock.id });
  const dock = await loc({ code: 'DOCK', name: 'Dock' });
  const item = (body: object) => ok(client.post('/items', body));
  const plain = await item({ sku: `${code}-BOLT`, name: 'Bolt', uom: 'EA' });
  const lotted = await item({ sku: `${code}-MILK`, name: 'Milk', uom: 'L', qtyScale: 3, tracking: 'lot' });
  const serial = await item({ sku: `${code}-DRILL`, name: 'Drill', uom: 'EA', tracking: 'serial' });
  return {
    warehouseId: w.id,
    stock: stock.id,
    a1: a1.id,
    a2: a2.id,
    dock: dock.id,
    plain: plain.id,
    lotted: lotted.id,
    serial: serial.id,
  };
}

/** On-hand rows for an item, keyed "locationId|lot". */
export async function onHand(
  client: TestClient,
  itemId: string,
  asOf?: string,
): Promise<Record<string, string>> {
  const q = new URLSearchParams({ itemId, ...(asOf ? { asOf } : {}) });
  const res = await ok(client.get(`/stock?${q}`), 200);
  return Object.fromEntries(res.stock.map((r: any) => [`${r.locationId}|${r.lot ?? ''}`, r.qty]));
}

/** Events the plugin published for the tenant (the kernel's outbox), oldest first. */
export async function published(
  api: TestClient,
  type: string,
  where: (payload: any) => boolean = () => true,
) {
  const res = await ok(api.get(`/api/v1/events?type=warehouses.${type}&limit=500`), 200);
  return res.items.map((e: any) => e.payload).filter(where);
}

/** Everything a refused request must leave untouched: the ledger, the balances, the outbox. */
export async function snapshot(client: TestClient, api: TestClient) {
  const moves = await ok(client.get('/moves?limit=1000'), 200);
  const stock = await ok(client.get('/stock'), 200);
  const events = await ok(api.get('/api/v1/events?limit=500'), 200);
  return {
    moves: moves.moves.map((m: any) => m.id),
    stock: stock.stock,
    events: events.items.filter((e: any) => e.type.startsWith('warehouses.')).length,
  };
}
