// Issue 11's benchmark: what the sandbox costs. In one run, (a) the same plugin handler (the
// scaffold's GET /items: one query in the tenant's unit of work) served by the real kernel with
// the plugin in-process and with the same code as a third-party plugin in the sandbox, under the
// same load (autocannon), runs alternating, medians of p50 and p99; (b) one facade call from
// inside an isolate: a synchronous one (ctx.log, fire and forget), a blocking host callback and
// an awaited capability call (ctx.db.query against a host that answers at once). Ratios are
// printed, never asserted: only errors or non-2xx answers fail the run.
//
// Environment: DATABASE_URL (else an embedded cluster), BENCH_CONNECTIONS (16), BENCH_DURATION
// (seconds per run, 5), BENCH_RUNS (3), BENCH_WARMUP (seconds before each run, 2).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { SandboxPool } from '@erp/sandbox';
import { scaffoldFiles } from '@erp/sdk/scaffold';
import ivm from 'isolated-vm';
import { benchCluster, scratchDatabase } from './support/database.js';
import { startBenchKernel } from './support/kernel.js';
import { failures, type LoadResult, load, medianOf, type Target } from './support/load.js';
import { type Cell, writeReport } from './support/report.js';
import { round } from './support/stats.js';

const TARGET_P99_RATIO = 1.5;
const TARGET_FACADE_US = 20;
const int = (name: string, fallback: number) => {
  const v = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(v) || v < 1) throw new Error(`${name} must be a positive integer`);
  return v;
};
const connections = int('BENCH_CONNECTIONS', 16);
const durationSeconds = int('BENCH_DURATION', 5);
const runs = int('BENCH_RUNS', 3);
const warmupSeconds = int('BENCH_WARMUP', 2);

/** The scaffold's plugin under `id`, first-party (in-process) or third-party (sandbox). */
function writePlugin(root: string, id: string, trust: 'first-party' | 'third-party'): void {
  const files = scaffoldFiles({
    id,
    packageName: `@bench/${id}`,
    displayName: `Bench ${id}`,
    version: '1.0.0',
    kernelRange: '^0.1.0',
    sdkRange: '^0.1.0',
    trust,
  });
  for (const [rel, content] of Object.entries(files)) {
    const file = join(root, id, rel);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
}

/** Microseconds per facade call, measured inside the isolate over `n` calls (median of 5). */
async function facadeCosts(n: number): Promise<{ logUs: number; syncUs: number; awaitedUs: number }> {
  const code = `(function () { var module = { exports: {} };
    module.exports.default = { routes: {
      'GET /log': { permission: 'p', async handler(ctx, input) {
        const t0 = Date.now(); for (let i = 0; i < input.n; i++) ctx.log.debug('x'); return (Date.now() - t0) * 1000 / input.n; } },
      'GET /awaited': { permission: 'p', async handler(ctx, input) {
        const t0 = Date.now(); for (let i = 0; i < input.n; i++) await ctx.db.query('select 1'); return (Date.now() - t0) * 1000 / input.n; } },
    } };
    globalThis.__erpPlugin = module.exports; })();`;
  const pool = new SandboxPool();
  await pool.loadCode('facade@1', code);
  const host = { call: async () => [], log() {} };
  const context = { user: { id: null, kind: 'system' }, tenant: { id: 't' }, config: {} };
  const run = async (entry: string, calls: number) =>
    (await pool.invoke('facade@1', 't', { kind: 'route', entry, input: { n: calls }, context }, host))
      .value as number;
  // A blocking host callback (what a synchronous capability would be), on its own isolate.
  const iso = new ivm.Isolate({ memoryLimit: 32 });
  const ctx = await iso.createContext();
  await ctx.global.set('__sync', new ivm.Callback((a: number) => a + 1));
  const sync = async () =>
    (await ctx.eval(
      `(() => { const t0 = Date.now(); let s = 0; for (let i = 0; i < ${n}; i++) s = __sync(s); return (Date.now() - t0) * 1000 / ${n}; })()`,
    )) as number;
  const med = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
  const logs: number[] = [];
  const syncs: number[] = [];
  const awaits: number[] = [];
  for (let i = 0; i < 5; i++) {
    logs.push(await run('GET /log', n));
    syncs.push(await sync());
    awaits.push(await run('GET /awaited', Math.ceil(n / 20)));
  }
  pool.close();
  iso.dispose();
  return { logUs: med(logs), syncUs: med(syncs), awaitedUs: med(awaits) };
}

const cleanup: Array<() => Promise<void>> = [];
let exitCode = 0;
try {
  const facade = await facadeCosts(20_000);
  const cluster = await benchCluster();
  cleanup.unshift(() => cluster.stop());
  const db = await scratchDatabase(cluster.url);
  cleanup.unshift(() => db.drop());
  const plugins = mkdtempSync(join(tmpdir(), 'erp-bench-plugins-'));
  cleanup.unshift(async () => rmSync(plugins, { recursive: true, force: true }));
  writePlugin(plugins, 'native', 'first-party');
  writePlugin(plugins, 'isolated', 'third-party');
  console.log(`sandbox: ${cluster.kind} PostgreSQL, ${connections} connections, ${runs}×${durationSeconds}s`);
  const kernel = await startBenchKernel(db.url, {
    env: { ERP_PLUGIN_PATH: plugins, ERP_PLUGIN_USAGE_FLUSH_MS: '1000' },
    nodeArgs: ['--no-node-snapshot'],
  });
  cleanup.unshift(() => kernel.stop());
  const api = (method: string, path: string, body?: unknown) =>
    fetch(`${kernel.url}${path}`, {
      method,
      headers: { authorization: kernel.auth, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
  for (const id of ['native', 'isolated']) {
    const res = await api('POST', '/api/v1/plugins/installations', { plugin: id });
    if (res.status !== 201) throw new Error(`installing ${id}: ${res.status} ${await res.text()}`);
    for (let i = 0; i < 20; i++) await api('POST', `/api/v1/p/${id}/items`, { name: `item ${i}` });
  }
  const usage = (await (await api('GET', '/api/v1/plugins/usage')).json()) as {
    usage: { plugin: string; runtime: string }[];
  };
  const runtimes = Object.fromEntries(usage.usage.map((u) => [u.plugin, u.runtime]));
  if (runtimes.native !== 'in-process' || runtimes.isolated !== 'sandbox')
    throw new Error(`unexpected runtimes ${JSON.stringify(runtimes)}`);

  const targets: Target[] = ['native', 'isolated'].map((id) => ({
    name: id === 'native' ? 'in-process' : 'sandbox',
    url: `${kernel.url}/api/v1/p/${id}/items`,
    headers: { authorization: kernel.auth },
    pid: kernel.pid,
  }));
  const results = new Map<string, LoadResult[]>(targets.map((t) => [t.name, []]));
  for (let i = 0; i < runs; i++) {
    for (const t of i % 2 ? [...targets].reverse() : targets) {
      await load(t, { connections, durationSeconds: warmupSeconds });
      const r = await load(t, { connections, durationSeconds });
      if (failures(r) > 0) throw new Error(`${t.name}: ${failures(r)} failed requests`);
      results.get(t.name)!.push(r);
    }
  }
  const inProcess = medianOf(results.get('in-process')!);
  const sandboxed = medianOf(results.get('sandbox')!);
  const p50Ratio = sandboxed.p50Ms / inProcess.p50Ms;
  const p99Ratio = sandboxed.p99Ms / inProcess.p99Ms;
  const rpsRatio = sandboxed.rps / inProcess.rps;
  const table: Cell[][] = [
    ['runtime', 'req/s', 'p50 ms', 'p99 ms'],
    ['in-process', round(inProcess.rps, 0), round(inProcess.p50Ms), round(inProcess.p99Ms)],
    ['sandbox', round(sandboxed.rps, 0), round(sandboxed.p50Ms), round(sandboxed.p99Ms)],
    ['ratio', round(rpsRatio), round(p50Ratio), round(p99Ratio)],
    [],
    ['facade call (inside the isolate)', 'µs', '', ''],
    ['ctx.log (fire and forget)', round(facade.logUs, 2), '', ''],
    ['blocking host callback', round(facade.syncUs, 2), '', ''],
    ['awaited ctx.db.query (host answers at once)', round(facade.awaitedUs, 2), '', ''],
  ];
  writeReport({
    bench: 'sandbox',
    summary: `p99 ratio ${round(p99Ratio)} (target ≤ ${TARGET_P99_RATIO}), p50 ratio ${round(p50Ratio)}, sync facade call ${round(facade.logUs, 2)} µs / blocking ${round(facade.syncUs, 2)} µs (target ≤ ${TARGET_FACADE_US})`,
    params: { cluster: cluster.kind, connections, durationSeconds, runs, warmupSeconds },
    results: { inProcess, sandboxed, p50Ratio, p99Ratio, rpsRatio, facade },
    table,
    notes: [
      'same scaffold plugin, GET /items (one query in the tenant transaction), once first-party (in-process), once third-party (sandbox)',
      'facade costs are medians of 5 runs measured with Date.now inside the isolate',
    ],
  });
} catch (err) {
  console.error(err);
  exitCode = 1;
} finally {
  for (const f of cleanup) await f().catch(() => {});
}
process.exit(exitCode);
