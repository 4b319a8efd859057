// Issue 13's request-path benchmark. In one run, autocannon (64 connections) loads, alternating:
// (a) bare fastify + pg doing the kernel's user-by-id query and (b) the real kernel serving GET
// /api/v1/iam/users/:id (JWT, session, RBAC, a tenant unit of work under forced RLS); (c) bare
// fastify + pg doing the two statements of the warehouses plugin's stock on hand for one item and
// (d) the real kernel serving GET /api/v1/p/warehouses/stock?itemId= (dispatch to the installed
// version, permission, validation, the plugin's role inside the tenant's unit of work, the parser
// guard on its SQL, the integrity check). Ratios are reported against their targets beside the CPU
// µs per request, never asserted: only errors or non-2xx answers fail the run. The round trips per
// request are asserted by kernel/test/round-trips.test.ts, not here.
//
// Environment: DATABASE_URL (else an embedded cluster), BENCH_CONNECTIONS (64), BENCH_DURATION
// (seconds per run, 10), BENCH_RUNS (3), BENCH_WARMUP (seconds before each run, 2).
import { fileURLToPath } from 'node:url';
import { startChildServer } from './support/child.js';
import { compareTargets, comparisonTable, ratioOf } from './support/compare.js';
import { processTree } from './support/cpu.js';
import { envInt } from './support/env.js';
import { startBenchKernel } from './support/kernel.js';
import { failures, type Target } from './support/load.js';
import { benchMain } from './support/main.js';
import { writeReport } from './support/report.js';

const KERNEL_TARGET = 0.8;
const PLUGIN_TARGET = 0.7;
const connections = envInt('BENCH_CONNECTIONS', 64);
const durationSeconds = envInt('BENCH_DURATION', 10);
const runs = envInt('BENCH_RUNS', 3);
const warmupSeconds = envInt('BENCH_WARMUP', 2);
const PLUGINS = fileURLToPath(new URL('../../../plugins', import.meta.url));

async function check(target: Target, ok: (body: Record<string, unknown>) => boolean): Promise<void> {
  const res = await fetch(target.url, { headers: target.headers });
  const body = (await res.json()) as Record<string, unknown>;
  if (res.status !== 200 || !ok(body))
    throw new Error(`${target.name} answered ${res.status} ${JSON.stringify(body)}`);
}

await benchMain(async ({ cluster, db, cleanup }) => {
  console.log(
    `request-path: ${cluster.kind} PostgreSQL, ${connections} connections, ${runs}×${durationSeconds}s`,
  );

  const cpuProfDir = process.env.BENCH_CPU_PROF_DIR;
  const kernel = await startBenchKernel(db.url, {
    env: { ERP_PLUGIN_PATH: PLUGINS },
    nodeArgs: cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`] : [],
  });
  cleanup(() => kernel.stop());
  const api = async (method: string, path: string, body?: object) => {
    const res = await fetch(`${kernel.url}${path}`, {
      method,
      headers: { authorization: kernel.auth, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as { id: string };
  };
  await api('POST', '/api/v1/plugins/installations', { plugin: '@erp-plugin/warehouses' });
  const w = await api('POST', '/api/v1/p/warehouses/warehouses', { code: 'MAIN', name: 'Main' });
  const loc = await api('POST', '/api/v1/p/warehouses/locations', {
    warehouseId: w.id,
    code: 'A1',
    name: 'A1',
    kind: 'bin',
  });
  const item = await api('POST', '/api/v1/p/warehouses/items', {
    sku: 'BENCH-1',
    name: 'Bench item',
    uom: 'EA',
  });
  await api('POST', '/api/v1/p/warehouses/receipts', {
    lines: [{ itemId: item.id, locationId: loc.id, qty: '12', unitCost: '3.25' }],
  });

  const env = { DATABASE_URL: db.url, BENCH_TENANT_ID: kernel.tenantId };
  const bareUsers = await startChildServer(new URL('./servers/bare-read-server.ts', import.meta.url), {
    env,
  });
  cleanup(() => bareUsers.stop());
  const bareStock = await startChildServer(new URL('./servers/bare-stock-server.ts', import.meta.url), {
    env,
  });
  cleanup(() => bareStock.stop());

  const auth = { authorization: kernel.auth };
  const targets: Target[] = [
    {
      name: 'bare fastify + pg: user by id',
      url: `${bareUsers.url}/users/${kernel.adminId}`,
      pid: bareUsers.pid,
    },
    {
      name: 'kernel GET /api/v1/iam/users/:id',
      url: `${kernel.url}/api/v1/iam/users/${kernel.adminId}`,
      headers: auth,
      pid: kernel.pid,
    },
    {
      name: 'bare fastify + pg: stock of one item',
      url: `${bareStock.url}/stock?itemId=${item.id}`,
      pid: bareStock.pid,
    },
    {
      name: 'plugin GET /api/v1/p/warehouses/stock',
      url: `${kernel.url}/api/v1/p/warehouses/stock?itemId=${item.id}`,
      headers: auth,
      pid: kernel.pid,
    },
  ];
  const isUser = (b: Record<string, unknown>) => b.id === kernel.adminId;
  const isStock = (b: Record<string, unknown>) =>
    Array.isArray(b.stock) && (b.stock as Array<{ qty: string }>)[0]?.qty === '12';
  for (const [i, t] of targets.entries()) await check(t, i < 2 ? isUser : isStock);

  const dbPids = cluster.postmasterPid ? () => processTree(cluster.postmasterPid!) : undefined;
  const c = await compareTargets(targets, { connections, durationSeconds, runs, warmupSeconds, dbPids });
  const k = ratioOf(c, 0, 1);
  const p = ratioOf(c, 2, 3);
  const failed = c.medians.reduce((a, m) => a + failures(m), 0);
  const line = (name: string, r: typeof k, target: number, bi: number, si: number) =>
    `${name} ${r.ratio} (target ≥ ${target}${r.ratio >= target ? ', reached' : ', NOT reached'}; ` +
    `CPU µs/req bare ${c.medians[bi]!.serverCpuUsPerReq} / ${name} ${c.medians[si]!.serverCpuUsPerReq} server-side` +
    (r.cpuRatio === null
      ? ''
      : `, total ${Math.round(r.baselineCpuUs!)} / ${Math.round(r.subjectCpuUs!)}, CPU ratio ${r.cpuRatio}`) +
    ')';
  writeReport({
    bench: 'request-path',
    summary:
      `${line('kernel', k, KERNEL_TARGET, 0, 1)}; ${line('plugin', p, PLUGIN_TARGET, 2, 3)}` +
      (failed ? `; ${failed} failed requests` : ''),
    params: { cluster: cluster.kind, connections, durationSeconds, runs, warmupSeconds, dbPool: 10 },
    results: {
      kernel: { ...k, target: KERNEL_TARGET },
      plugin: { ...p, target: PLUGIN_TARGET },
      medians: Object.fromEntries(targets.map((t, i) => [t.name, c.medians[i]])),
      runs: Object.fromEntries(targets.map((t, i) => [t.name, c.runs[i]])),
    },
    table: comparisonTable(targets, c),
    notes: [
      `kernel per-round ratios ${k.rounds.join(', ')}; plugin per-round ratios ${p.rounds.join(', ')}`,
      'CPU ratio = baseline total CPU µs per request / subject total (server + postgres + autocannon): ' +
        'the throughput ratio the two would reach on cores nothing else uses',
    ],
  });
  return failed === 0;
});
