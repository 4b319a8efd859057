// Experiment runner: the kernel-read bench's setup, then each ladder variant and the kernel.
import { startChildServer } from '../support/child.js';
import { processTree } from '../support/cpu.js';
import { benchCluster, scratchDatabase } from '../support/database.js';
import { startBenchKernel } from '../support/kernel.js';
import { failures, type LoadResult, load, medianOf, type Target } from '../support/load.js';
import { type Cell, formatTable } from '../support/report.js';

const variants = (process.env.LADDER ?? 'a,b,c,d,e,g,k').split(',');
const runs = Number(process.env.BENCH_RUNS ?? 3);
const durationSeconds = Number(process.env.BENCH_DURATION ?? 8);
const cleanup: Array<() => Promise<void>> = [];
try {
  const cluster = await benchCluster();
  cleanup.unshift(() => cluster.stop());
  const db = await scratchDatabase(cluster.url);
  cleanup.unshift(() => db.drop());
  const kernel = await startBenchKernel(db.url, { env: JSON.parse(process.env.KERNEL_ENV ?? '{}') });
  cleanup.unshift(() => kernel.stop());
  const ladder = await startChildServer(new URL('./ladder-server.ts', import.meta.url), {
    env: { DATABASE_URL: db.url, BENCH_TENANT_ID: kernel.tenantId },
  });
  cleanup.unshift(() => ladder.stop());
  const targets: Target[] = variants.map((v) =>
    v === 'k'
      ? { name: 'k', url: `${kernel.url}/api/v1/iam/users/${kernel.adminId}`, headers: { authorization: kernel.auth }, pid: kernel.pid }
      : { name: v, url: `${ladder.url}/${v}/users/${kernel.adminId}`, pid: ladder.pid },
  );
  for (const t of targets) {
    const r = await fetch(t.url, { headers: t.headers });
    const body = await r.text();
    if (r.status !== 200 || !body.includes(kernel.adminId)) throw new Error(`${t.name}: ${r.status} ${body}`);
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
  const base = medianOf(measured[0]!).rps;
  const rows: Cell[][] = [['variant', 'req/s', 'ratio', 'p99', 'node µs', 'pg µs', 'ac µs', 'sum µs', 'busy']];
  targets.forEach((t, j) => {
    const m = medianOf(measured[j]!);
    rows.push([t.name, Math.round(m.rps), Math.round((100 * m.rps) / base) / 100, m.p99Ms, m.serverCpuUsPerReq, m.dbCpuUsPerReq, m.loadgenCpuUsPerReq,
      Math.round((m.serverCpuUsPerReq ?? 0) + (m.dbCpuUsPerReq ?? 0) + (m.loadgenCpuUsPerReq ?? 0)), m.machineBusy]);
  });
  console.log(formatTable(rows));
} finally {
  for (const fn of cleanup) await fn().catch((e) => console.error('cleanup:', e));
}
process.exit(0);
