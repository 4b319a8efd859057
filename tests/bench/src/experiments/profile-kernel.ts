// Experiment: load only the kernel under --cpu-prof, so the profile is the request path alone.
import { processTree } from '../support/cpu.js';
import { benchCluster, scratchDatabase } from '../support/database.js';
import { startBenchKernel } from '../support/kernel.js';
import { load } from '../support/load.js';

const dir = process.env.PROF_DIR ?? '/tmp/prof-kernel';
const cleanup: Array<() => Promise<void>> = [];
try {
  const cluster = await benchCluster();
  cleanup.unshift(() => cluster.stop());
  const db = await scratchDatabase(cluster.url);
  cleanup.unshift(() => db.drop());
  const kernel = await startBenchKernel(db.url, {
    nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--cpu-prof-interval=250'],
    env: JSON.parse(process.env.KERNEL_ENV ?? '{}'),
  });
  cleanup.unshift(() => kernel.stop());
  const dbPids = cluster.postmasterPid ? () => processTree(cluster.postmasterPid!) : undefined;
  const t = { name: 'k', url: `${kernel.url}/api/v1/iam/users/${kernel.adminId}`, headers: { authorization: kernel.auth }, pid: kernel.pid };
  await load(t, { connections: 64, durationSeconds: 3, dbPids });
  const started = Date.now();
  const r = await load(t, { connections: 64, durationSeconds: Number(process.env.BENCH_DURATION ?? 15), dbPids });
  console.log(JSON.stringify(r), 'measured from', started);
} finally {
  for (const fn of cleanup) await fn().catch((e) => console.error('cleanup:', e));
}
process.exit(0);
