// Issue 13's mixed-load run, the one a user would recognise: BENCH_MIXED_CONNECTIONS (1,000)
// concurrent keep-alive connections for BENCH_MIXED_DURATION seconds (60) against one real kernel
// with the warehouses and costing plugins installed on BENCH_MIXED_TENANTS tenants (20), the event
// bus (embedded, or JetStream when NATS_URL is set) and the audit sealer running. Each connection
// loops over a mix of plugin reads and writes for a random tenant and item: stock on hand for one
// item (35%), valuation of one item (25%), a receipt (25%), an issue (15%). Afterwards, once the bus
// and the sealer have caught up, it asserts: 0 failed requests (non-2xx or connection errors),
// 0 lost events (every receipt and issue move of the ledger has its costing step, no dead letter),
// every tenant's audit chain valid. Throughput, p50/p95/p99 are printed; p95 is reported against
// the 200 ms target, never asserted.
//
// Environment: DATABASE_URL (else an embedded cluster), NATS_URL (else the embedded bus),
// BENCH_MIXED_CONNECTIONS (1000), BENCH_MIXED_DURATION (60), BENCH_MIXED_TENANTS (20),
// BENCH_MIXED_ITEMS (items per tenant, 10), BENCH_DB_POOL (the kernel's request pool, 10),
// BENCH_MIXED_DRAIN (seconds to wait for the bus and the sealer afterwards, 300), BENCH_CPU_PROF_DIR (run
// the kernel under --cpu-prof and write its profile there).
import http from 'node:http';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { createTenantWithAdmin } from '@erp/kernel';
import pg from 'pg';
import { envInt } from './support/env.js';
import { startBenchKernel } from './support/kernel.js';
import { benchMain } from './support/main.js';
import { type Cell, writeReport } from './support/report.js';
import { round } from './support/stats.js';

const P95_TARGET_MS = 200;
const connections = envInt('BENCH_MIXED_CONNECTIONS', 1000);
const durationSeconds = envInt('BENCH_MIXED_DURATION', 60);
const tenantCount = envInt('BENCH_MIXED_TENANTS', 20);
const itemsPerTenant = envInt('BENCH_MIXED_ITEMS', 10);
const dbPool = envInt('BENCH_DB_POOL', 10);
const drainSeconds = envInt('BENCH_MIXED_DRAIN', 300);
const PLUGINS = fileURLToPath(new URL('../../../plugins', import.meta.url));
const PASSWORD = 'Mixed-Load-42-battery-staple';

interface Tenant {
  id: string;
  auth: string;
  locationId: string;
  items: string[];
}
type Op = 'stock' | 'valuation' | 'receipt' | 'issue';
const MIX: Array<[Op, number]> = [
  ['stock', 0.35],
  ['valuation', 0.25],
  ['receipt', 0.25],
  ['issue', 0.15],
];

const pick = <T>(xs: readonly T[]) => xs[Math.floor(Math.random() * xs.length)]!;
function pickOp(): Op {
  let r = Math.random();
  for (const [op, w] of MIX) {
    r -= w;
    if (r < 0) return op;
  }
  return 'stock';
}
const percentile = (sorted: readonly number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : 0;

await benchMain(async ({ cluster, db, cleanup }) => {
  const load0 = loadavg();
  console.log(
    `mixed-load: ${cluster.kind} PostgreSQL, bus ${process.env.NATS_URL ? 'JetStream' : 'embedded'}, ` +
      `${connections} connections × ${durationSeconds}s, ${tenantCount} tenants × ${itemsPerTenant} items, ` +
      `load average ${load0.map((l) => l.toFixed(2)).join(' ')}`,
  );
  const kernel = await startBenchKernel(db.url, {
    env: { ERP_PLUGIN_PATH: PLUGINS, ERP_DB_POOL_SIZE: String(dbPool) },
    nodeArgs: process.env.BENCH_CPU_PROF_DIR
      ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF_DIR}`]
      : [],
  });
  cleanup(() => kernel.stop());
  const superuser = new pg.Pool({ connectionString: db.url, max: 2 });
  cleanup(() => superuser.end());

  // ---- setup: tenants, plugins, a warehouse, items with plenty of stock --------------------------
  const api = async (auth: string, method: string, path: string, body?: object) => {
    const res = await fetch(`${kernel.url}${path}`, {
      method,
      headers: { authorization: auth, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as Record<string, unknown> & { id: string };
  };
  const tenantAuths: Array<{ id: string; auth: string }> = [{ id: kernel.tenantId, auth: kernel.auth }];
  for (let i = 1; i < tenantCount; i++) {
    const slug = `mixed-${i}`;
    const email = `admin@${slug}.test`;
    const created = await createTenantWithAdmin(superuser, {
      slug,
      name: `Mixed ${i}`,
      adminEmail: email,
      adminPassword: PASSWORD,
    });
    const res = await fetch(`${kernel.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tenant: slug, email, password: PASSWORD }),
    });
    if (res.status !== 200) throw new Error(`login ${slug}: ${res.status} ${await res.text()}`);
    tenantAuths.push({
      id: created.tenantId,
      auth: `Bearer ${((await res.json()) as { accessToken: string }).accessToken}`,
    });
  }
  const tenants: Tenant[] = [];
  for (const t of tenantAuths) {
    for (const plugin of ['@erp-plugin/warehouses', '@erp-plugin/costing'])
      await api(t.auth, 'POST', '/api/v1/plugins/installations', { plugin });
    const w = await api(t.auth, 'POST', '/api/v1/p/warehouses/warehouses', { code: 'MAIN', name: 'Main' });
    const loc = await api(t.auth, 'POST', '/api/v1/p/warehouses/locations', {
      warehouseId: w.id,
      code: 'A1',
      name: 'A1',
      kind: 'bin',
    });
    const items: string[] = [];
    for (let i = 0; i < itemsPerTenant; i++)
      items.push(
        (
          await api(t.auth, 'POST', '/api/v1/p/warehouses/items', {
            sku: `MIX-${i}`,
            name: `Item ${i}`,
            uom: 'EA',
          })
        ).id,
      );
    // Enough stock that the issues of the run never take an item below zero.
    await api(t.auth, 'POST', '/api/v1/p/warehouses/receipts', {
      supplier: 'Opening',
      lines: items.map((itemId) => ({ itemId, locationId: loc.id, qty: '1000000', unitCost: '10.00' })),
    });
    tenants.push({ id: t.id, auth: t.auth, locationId: loc.id, items });
  }
  console.log(`  set up ${tenants.length} tenants`);

  // ---- the load --------------------------------------------------------------------------------
  const target = new URL(kernel.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const send = (method: string, path: string, auth: string, body?: object) =>
    new Promise<number>((resolve, reject) => {
      const payload = body ? JSON.stringify(body) : undefined;
      const req = http.request(
        {
          agent,
          host: target.hostname,
          port: target.port,
          method,
          path,
          headers: {
            authorization: auth,
            ...(payload
              ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }
              : {}),
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  const latencies: Record<Op, number[]> = { stock: [], valuation: [], receipt: [], issue: [] };
  const failed: Record<string, number> = {};
  const fail = (key: string) => {
    failed[key] = (failed[key] ?? 0) + 1;
  };
  const started = performance.now();
  const deadline = started + durationSeconds * 1000;
  const user = async () => {
    while (performance.now() < deadline) {
      const t = pick(tenants);
      const itemId = pick(t.items);
      const op = pickOp();
      const t0 = performance.now();
      try {
        let status: number;
        if (op === 'stock') status = await send('GET', `/api/v1/p/warehouses/stock?itemId=${itemId}`, t.auth);
        else if (op === 'valuation')
          status = await send('GET', `/api/v1/p/costing/valuation?itemId=${itemId}`, t.auth);
        else if (op === 'receipt')
          status = await send('POST', '/api/v1/p/warehouses/receipts', t.auth, {
            supplier: 'ACME',
            lines: [
              {
                itemId,
                locationId: t.locationId,
                qty: String(1 + Math.floor(Math.random() * 5)),
                unitCost: '10.25',
              },
            ],
          });
        else
          status = await send('POST', '/api/v1/p/warehouses/issues', t.auth, {
            lines: [{ itemId, locationId: t.locationId, qty: '1' }],
          });
        const expected = op === 'receipt' || op === 'issue' ? 201 : 200;
        if (status !== expected) fail(`${op}: HTTP ${status}`);
        else latencies[op].push(performance.now() - t0);
      } catch (err) {
        fail(`${op}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      }
    }
  };
  const cpu0 = process.cpuUsage();
  await Promise.all(Array.from({ length: connections }, user));
  const elapsed = (performance.now() - started) / 1000;
  const loadgenCpu = process.cpuUsage(cpu0);
  agent.destroy();
  const load1 = loadavg();

  // ---- afterwards: the bus and the sealer catch up, then the checks ----------------------------
  const drainDeadline = Date.now() + drainSeconds * 1000;
  const lostSql = `select count(*)::int as n from p_warehouses.moves m
     where m.kind in ('receipt', 'issue')
       and not exists (select 1 from p_costing.steps s where s.tenant_id = m.tenant_id and s.id = m.id)`;
  let lost = -1;
  const drain0 = performance.now();
  for (;;) {
    lost = (await superuser.query<{ n: number }>(lostSql)).rows[0]!.n;
    if (lost === 0 || Date.now() > drainDeadline) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  const busDrainSeconds = round((performance.now() - drain0) / 1000, 1);
  const deadLetters = (
    await superuser.query<{ n: number }>('select count(*)::int as n from erp.event_dead_letters')
  ).rows[0]!.n;
  const moves = (
    await superuser.query<{ n: number }>(
      "select count(*)::int as n from p_warehouses.moves where kind in ('receipt', 'issue')",
    )
  ).rows[0]!.n;
  const writesOk = latencies.receipt.length + latencies.issue.length;
  const invalidChains: string[] = [];
  let auditEntries = 0;
  for (const t of tenants) {
    for (;;) {
      const status = (await api(t.auth, 'GET', '/api/v1/audit/status')) as unknown as {
        valid: boolean;
        entries: number;
        pending: number;
      };
      if (status.pending > 0 && Date.now() < drainDeadline) {
        await new Promise((r) => setTimeout(r, 500));
        continue;
      }
      auditEntries += status.entries;
      if (!status.valid || status.pending > 0)
        invalidChains.push(`${t.id} (valid ${status.valid}, pending ${status.pending})`);
      break;
    }
  }

  // ---- the report ------------------------------------------------------------------------------
  const all = Object.values(latencies)
    .flat()
    .sort((a, b) => a - b);
  const failedTotal = Object.values(failed).reduce((a, b) => a + b, 0);
  const row = (name: string, xs: number[]): Cell[] => {
    const s = [...xs].sort((a, b) => a - b);
    return [
      name,
      s.length,
      round(s.length / elapsed, 1),
      round(percentile(s, 50), 1),
      round(percentile(s, 95), 1),
      round(percentile(s, 99), 1),
    ];
  };
  const p95 = round(percentile(all, 95), 1);
  const p99 = round(percentile(all, 99), 1);
  const throughput = round(all.length / elapsed, 1);
  const ok =
    failedTotal === 0 && lost === 0 && deadLetters === 0 && invalidChains.length === 0 && moves >= writesOk;
  writeReport({
    bench: 'mixed-load',
    summary:
      `${throughput} req/s, p95 ${p95} ms (target < ${P95_TARGET_MS}: ${p95 < P95_TARGET_MS ? 'reached' : 'NOT reached'}), ` +
      `p99 ${p99} ms; ${failedTotal} failed requests, ${lost} lost events, ${deadLetters} dead letters, ` +
      `${tenants.length - invalidChains.length}/${tenants.length} audit chains valid` +
      ` (${connections} connections × ${durationSeconds}s, load average ${load0[0]!.toFixed(1)} → ${load1[0]!.toFixed(1)})`,
    params: {
      cluster: cluster.kind,
      bus: process.env.NATS_URL ? 'jetstream' : 'embedded',
      connections,
      durationSeconds,
      tenants: tenantCount,
      itemsPerTenant,
      dbPool,
      mix: Object.fromEntries(MIX),
    },
    results: {
      throughput,
      p50Ms: round(percentile(all, 50), 1),
      p95Ms: p95,
      p99Ms: p99,
      p95TargetMs: P95_TARGET_MS,
      requests: all.length,
      elapsedSeconds: round(elapsed, 1),
      failed,
      lostEvents: lost,
      deadLetters,
      ledgerMoves: moves,
      successfulWrites: writesOk,
      busDrainSeconds,
      auditEntries,
      invalidChains,
      loadgenCpuUsPerReq: all.length ? round((loadgenCpu.user + loadgenCpu.system) / all.length, 1) : null,
      loadAverageBefore: load0,
      loadAverageAfter: load1,
    },
    table: [
      ['operation', 'ok', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms'],
      row('stock on hand (GET warehouses/stock)', latencies.stock),
      row('valuation (GET costing/valuation)', latencies.valuation),
      row('receipt (POST warehouses/receipts)', latencies.receipt),
      row('issue (POST warehouses/issues)', latencies.issue),
      row('all', all),
    ],
    notes: [
      `failed: ${failedTotal ? JSON.stringify(failed) : 'none'}`,
      `events: ${moves} receipt/issue moves in the ledger (${writesOk} successful writes plus the opening receipts' lines), ` +
        `${lost} without their costing step, ${deadLetters} dead letters; the bus caught up ${busDrainSeconds}s after the load`,
      `audit: ${auditEntries} sealed entries over ${tenants.length} tenants; invalid: ${invalidChains.join(', ') || 'none'}`,
    ],
  });
  return ok;
});
