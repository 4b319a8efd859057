// Experiment: bare baseline and several kernels (other checkouts / env toggles) in one run.
// VARIANTS='name=entry|ENV=1,ENV2=1;name2=entry' ; entry "tree" = this tree's @erp/kernel.
import { startChildServer } from '../support/child.js';
import { processTree } from '../support/cpu.js';
import { benchCluster, scratchDatabase } from '../support/database.js';
import { startBenchKernel } from '../support/kernel.js';
import { failures, type LoadResult, load, medianOf, type Target } from '../support/load.js';
import { type Cell, formatTable } from '../support/report.js';

const runs = Number(process.env.BENCH_RUNS ?? 3);
const durationSeconds = Number(process.env.BENCH_DURATION ?? 8);
const specs = (process.env.VARIANTS ?? '').split(';').filter(Boolean).map((v) => {
  const [name, rest] = v.split('=', 2) as [string, string];
  const [entry, envs] = rest.split('|');
  const env: Record<string, string> = {};
  for (const kv of (envs ?? '').split(',').filter(Boolean)) {
    const [k, val] = kv.split(':');
    env[k!] = val ?? '1';
  }
  return { name, entry: entry!, env };
});
const cleanup: Array<() => Promise<void>> = [];
try {
  const cluster = await benchCluster();
  cleanup.unshift(() => cluster.stop());
  const targets: Target[] = [];
  let bareDb: string | undefined;
  let first: { tenantId: string; adminId: string } | undefined;
  for (const s of specs) {
    const db = await scratchDatabase(cluster.url);
    cleanup.unshift(() => db.drop());
    bareDb ??= db.url;
    const k = await startBenchKernel(db.url, {
      env: { ...s.env, ...(s.entry === 'tree' ? {} : { KERNEL_ENTRY: s.entry }) },
      script: s.entry === 'tree' ? undefined : new URL('./kernel-at-server.ts', import.meta.url),
    });
    cleanup.unshift(() => k.stop());
    first ??= k;
    targets.push({ name: s.name, url: `${k.url}/api/v1/iam/users/${k.adminId}`, headers: { authorization: k.auth }, pid: k.pid });
  }
  const bare = await startChildServer(new URL('../servers/bare-read-server.ts', import.meta.url), {
    env: { DATABASE_URL: bareDb!, BENCH_TENANT_ID: first!.tenantId },
  });
  cleanup.unshift(() => bare.stop());
  targets.unshift({ name: 'bare', url: `${bare.url}/users/${first!.adminId}`, pid: bare.pid });
  for (const t of targets) {
    const r = await fetch(t.url, { headers: t.headers });
    if (r.status !== 200) throw new Error(`${t.name}: ${r.status} ${await r.text()}`);
  }
  const dbPids = cluster.postmasterPid ? () => processTree(cluster.postmasterPid!) : undefined;
  const measured: LoadResult[][] = targets.map(() => []);
  for (let i = 0; i < runs; i++) {
    for (const [j, t] of targets.entries()) {
      await load(t, { connections: 64, durationSeconds: 2, dbPids });
      const r = await load(t, { connections: 64, durationSeconds, dbPids });
      measured[j]!.push(r);
      console.log(`run ${i} ${t.name} ${Math.round(r.rps)} req/s p99 ${r.p99Ms} cpu ${r.serverCpuUsPerReq}/${r.dbCpuUsPerReq}/${r.loadgenCpuUsPerReq} fail ${failures(r)}`);
    }
  }
  const base = medianOf(measured[0]!);
  const baseSum = (base.serverCpuUsPerReq ?? 0) + (base.dbCpuUsPerReq ?? 0) + (base.loadgenCpuUsPerReq ?? 0);
  const rows: Cell[][] = [['variant', 'req/s', 'ratio', 'p99', 'node µs', 'pg µs', 'ac µs', 'sum µs', 'cpu ratio', 'busy']];
  targets.forEach((t, j) => {
    const m = medianOf(measured[j]!);
    const sum = (m.serverCpuUsPerReq ?? 0) + (m.dbCpuUsPerReq ?? 0) + (m.loadgenCpuUsPerReq ?? 0);
    rows.push([t.name, Math.round(m.rps), Math.round((100 * m.rps) / base.rps) / 100, m.p99Ms, m.serverCpuUsPerReq, m.dbCpuUsPerReq,
      m.loadgenCpuUsPerReq, Math.round(sum), Math.round((100 * baseSum) / sum) / 100, m.machineBusy]);
  });
  console.log(formatTable(rows));
} finally {
  for (const fn of cleanup) await fn().catch((e) => console.error('cleanup:', e));
}
process.exit(0);
