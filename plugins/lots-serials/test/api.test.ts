// biome-ignore-all lint/suspicious/noExplicitAny: tests read arbitrary JSON from the API
// lots-serials with warehouses beside it in a real kernel (embedded PostgreSQL, or DATABASE_URL):
// one kernel and tenant for the file, each case building its own warehouse and items.
import { fileURLToPath } from 'node:url';
import { createPluginTestKit, type PluginTestKit } from '@erp/plugin-testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fefo } from './cases/fefo.js';
import { install } from './cases/install.js';
import { serialRules } from './cases/serial-rules.js';
import { trace } from './cases/trace.js';
import { unknownIds } from './cases/unknown-ids.js';
import { buildWorld, ok, pluginClient } from './support/setup.js';

const WAREHOUSES = fileURLToPath(new URL('../../warehouses', import.meta.url));

let kit: PluginTestKit;
let early: { itemId: string; late: string };
beforeAll(async () => {
  kit = await createPluginTestKit({
    pluginDir: new URL('..', import.meta.url),
    pluginPath: [WAREHOUSES],
    install: false,
  });
  const refused = await kit.api.post('/api/v1/plugins/installations', { plugin: '@erp-plugin/lots-serials' });
  expect(refused.status).toBeGreaterThanOrEqual(400);
  expect(JSON.stringify(refused.json)).toContain('@erp-plugin/warehouses');
  await ok(kit.api.post('/api/v1/plugins/installations', { plugin: '@erp-plugin/warehouses' }));
  // Stock that moves before lots-serials is installed: only a replay can tell it about it.
  const wh = pluginClient(kit.api, 'warehouses');
  const w = await buildWorld(wh, 'EARLY');
  await ok(wh.post('/receipts', { lines: [{ itemId: w.milk, locationId: w.a1, qty: '5', lot: 'EARLY' }] }));
  await ok(wh.post('/issues', { lines: [{ itemId: w.milk, locationId: w.a1, qty: '2', lot: 'EARLY' }] }));
  // A lot whose expiry lots-serials will compute (settings set after the install), delivered after it
  // expired: the replay below delivers the issue before the receipt (issue 14, learnt early).
  const late = await ok(
    wh.post('/items', { sku: 'EARLY-LATE', name: 'Yoghurt', uom: 'L', qtyScale: 2, tracking: 'lot' }),
  );
  await ok(
    wh.post('/receipts', {
      effectiveAt: '2025-01-01T08:00:00Z',
      lines: [{ itemId: late.id, locationId: w.a1, qty: '4', lot: 'Y-1' }],
    }),
  );
  await ok(
    wh.post('/issues', {
      effectiveAt: '2025-02-01T08:00:00Z',
      lines: [{ itemId: late.id, locationId: w.a1, qty: '1', lot: 'Y-1' }],
    }),
  );
  early = { itemId: w.milk, late: late.id };
  // Let the bus deliver those events (to nobody: lots-serials is not installed yet) before installing.
  await kit.waitFor(async () => {
    const events = (await kit.api.get('/api/v1/events?limit=500')).json.items;
    const subscribers = (await kit.api.get('/api/v1/events/subscribers')).json.items;
    return events.every((e: any) => e.relayedAt) && subscribers.every((s: any) => s.pending === 0);
  });
  await ok(kit.api.post('/api/v1/plugins/installations', { plugin: '@erp-plugin/lots-serials' }));
});
afterAll(async () => kit?.close());

const get = () => kit;
install(get, () => early);
fefo(get);
trace(get);
serialRules(get);
unknownIds(get);

// The same suite runs in both runtimes (vitest projects in-process and sandbox, see vitest.config.ts).
it(`ran both plugins' code ${process.env.ERP_TEST_RUNTIME === 'sandbox' ? 'in the sandbox' : 'in-process'}`, async () => {
  const usage = (await kit.api.get('/api/v1/plugins/usage')).json.usage;
  expect(usage.map((u: any) => [u.plugin, u.runtime]).sort()).toEqual([
    ['lots-serials', kit.runtime],
    ['warehouses', kit.runtime],
  ]);
  if (kit.runtime === 'sandbox') expect(usage.every((u: any) => u.cpuMs > 0)).toBe(true);
});
