// Issue 2's benchmark: what the kernel's authenticated read path costs. In one run, autocannon
// (64 connections) loads (a) a bare fastify + pg server doing the same SQL by primary key and (b) the
// real kernel serving GET /api/v1/iam/users/:id with an administrator's bearer token (JWT, session
// check, rate limits, RBAC, one tenant transaction under forced RLS, response schema). Runs
// alternate between the two so drift from other work on the machine hits both; medians are
// reported. The ratio is reported, never asserted: only errors or non-2xx answers fail the run.
//
// Environment: DATABASE_URL (else an embedded cluster), BENCH_CONNECTIONS (64), BENCH_DURATION
// (seconds per run, 10), BENCH_RUNS (3), BENCH_WARMUP (seconds before each run, 2), BENCH_CPU_PROF_DIR (run the
// kernel under --cpu-prof and write its profile there).
import { startChildServer } from './support/child.js';
import { processTree } from './support/cpu.js';
import { benchCluster, scratchDatabase } from './support/database.js';
import { startBenchKernel } from './support/kernel.js';
import { failures, type LoadResult, load, medianOf, type Target, totalCpuUsPerReq } from './support/load.js';
import { type Cell, writeReport } from './support/report.js';
import { round } from './support/stats.js';

const TARGET_RATIO = 0.8; // issue 13 (was 0.6, issue 2)
const int = (name: string, fallback: number) => {
  const v = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(v) || v < 1) throw new Error(`${name} must be a positive integer`);
  return v;
};
const connections = int('BENCH_CONNECTIONS', 64);
const durationSeconds = int('BENCH_DURATION', 10);
const runs = int('BENCH_RUNS', 3);
const warmupSeconds = int('BENCH_WARMUP', 2);
const cpuProfDir = process.env.BENCH_CPU_PROF_DIR;

async function check(target: Target, expectId: string): Promise<void> {
  const res = await fetch(target.url, { headers: target.headers });
  const body = (await res.json()) as { id?: string };
  if (res.status !== 200 || body.id !== expectId) {
    throw new Error(`${target.name} answered ${res.status} ${JSON.stringify(body)}`);
  }
}

const cleanup: Array<() => Promise<void>> = [];
let exitCode = 0;
try {
  const cluster = await benchCluster();
  cleanup.unshift(() => cluster.stop());
  const db = await scratchDatabase(cluster.url);
  cleanup.unshift(() => db.drop());
  console.log(
    `kernel-read: ${cluster.kind} PostgreSQL, ${connections} connections, ${runs}×${durationSeconds}s`,
  );

  const kernel = await startBenchKernel(db.url, {
    nodeArgs: cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`] : [],
  });
  cleanup.unshift(() => kernel.stop());
  const bare = await startChildServer(new URL('./servers/bare-read-server.ts', import.meta.url), {
    env: { DATABASE_URL: db.url, BENCH_TENANT_ID: kernel.tenantId },
  });
  cleanup.unshift(() => bare.stop());

  const targets: Target[] = [
    { name: 'bare fastify + pg', url: `${bare.url}/users/${kernel.adminId}`, pid: bare.pid },
    {
      name: 'kernel GET /api/v1/iam/users/:id',
      url: `${kernel.url}/api/v1/iam/users/${kernel.adminId}`,
      headers: { authorization: kernel.auth },
      pid: kernel.pid,
    },
  ];
  for (const t of targets) await check(t, kernel.adminId);
  const dbPids = cluster.postmasterPid ? () => processTree(cluster.postmasterPid!) : undefined;
  const opts = { connections, durationSeconds, dbPids };
  const measured: LoadResult[][] = targets.map(() => []);
  for (let i = 0; i < runs; i++) {
    for (const [j, t] of targets.entries()) {
      // A warm-up before every run: the other server's run let this one's pool connections idle out.
      await load(t, { ...opts, durationSeconds: warmupSeconds });
      const r = await load(t, opts);
      measured[j]!.push(r);
      console.log(
        `  run ${i + 1}/${runs} ${t.name}: ${Math.round(r.rps)} req/s, p99 ${r.p99Ms} ms` +
          (failures(r) ? `, ${failures(r)} failures` : ''),
      );
    }
  }
  const [bareM, kernelM] = measured.map(medianOf) as [LoadResult, LoadResult];
  // The ratio of medians, and the median of per-round ratios (each round's pair ran back to back).
  const ratio = round(kernelM.rps / bareM.rps, 3);
  const roundRatios = measured[1]!.map((k, i) => round(k.rps / measured[0]![i]!.rps, 3));
  const bareCpu = totalCpuUsPerReq(bareM);
  const kernelCpu = totalCpuUsPerReq(kernelM);
  const cpuRatio = bareCpu && kernelCpu ? round(bareCpu / kernelCpu, 3) : null;
  const table: Cell[][] = [
    [
      'server',
      'req/s',
      'p50 ms',
      'p99 ms',
      'CPU µs/req: server',
      'postgres',
      'autocannon',
      'total',
      'machine busy',
      'failed',
    ],
    ...targets.map((t, j): Cell[] => {
      const m = [bareM, kernelM][j]!;
      return [
        t.name,
        Math.round(m.rps),
        m.p50Ms,
        m.p99Ms,
        m.serverCpuUsPerReq ?? '',
        m.dbCpuUsPerReq ?? '',
        m.loadgenCpuUsPerReq ?? '',
        ((t) => (t === null ? '' : round(t, 1)))(totalCpuUsPerReq(m)),
        m.machineBusy === null ? '' : `${Math.round(m.machineBusy * 100)}%`,
        failures(m),
      ];
    }),
  ];
  const failed = failures(bareM) + failures(kernelM);
  if (failed) exitCode = 1;
  writeReport({
    bench: 'kernel-read',
    summary:
      `ratio ${ratio} (target ≥ ${TARGET_RATIO}${ratio >= TARGET_RATIO ? ', reached' : ', NOT reached'}); ` +
      `p99 bare ${bareM.p99Ms} ms, kernel ${kernelM.p99Ms} ms` +
      (cpuRatio === null ? '' : `; CPU-per-request ratio ${cpuRatio}`) +
      (failed ? `; ${failed} failed requests` : ''),
    params: { cluster: cluster.kind, connections, durationSeconds, runs, warmupSeconds, dbPool: 10 },
    results: {
      ratio,
      roundRatios,
      cpuRatio,
      targetRatio: TARGET_RATIO,
      bare: { median: bareM, runs: measured[0] },
      kernel: { median: kernelM, runs: measured[1] },
    },
    table,
    notes: [
      `per-round ratios ${roundRatios.join(', ')}`,
      ...(cpuRatio === null
        ? []
        : [
            `CPU-per-request ratio ${cpuRatio} (bare ${round(bareCpu!, 0)} µs / kernel ${round(kernelCpu!, 0)} µs, ` +
              'server + postgres + autocannon): the throughput ratio the two would reach on cores nothing else uses',
          ]),
    ],
  });
} catch (err) {
  console.error(err);
  exitCode = 1;
} finally {
  for (const fn of cleanup) await fn().catch((e) => console.error('cleanup:', e));
}
process.exit(exitCode);
