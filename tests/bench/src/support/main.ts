// The frame of a bench process: a cluster and a scratch database, the bench's body, cleanup in
// reverse order whatever happened, and the exit code (non-zero when the body threw or reported a
// failure: errors fail a bench, ratios never do).
import { type BenchCluster, benchCluster, type ScratchDatabase, scratchDatabase } from './database.js';

export interface BenchSetup {
  cluster: BenchCluster;
  db: ScratchDatabase;
  /** Runs `fn` when the bench ends, before what was registered earlier. */
  cleanup(fn: () => Promise<void>): void;
}

/** Runs `body`; it returns false when the bench failed (failed requests, broken invariants). */
export async function benchMain(body: (setup: BenchSetup) => Promise<boolean>): Promise<never> {
  const cleanups: Array<() => Promise<void>> = [];
  let exitCode = 0;
  try {
    const cluster = await benchCluster();
    cleanups.unshift(() => cluster.stop());
    const db = await scratchDatabase(cluster.url);
    cleanups.unshift(() => db.drop());
    if (!(await body({ cluster, db, cleanup: (fn) => cleanups.unshift(fn) }))) exitCode = 1;
  } catch (err) {
    console.error(err);
    exitCode = 1;
  } finally {
    for (const fn of cleanups) await fn().catch((e) => console.error('cleanup:', e));
  }
  process.exit(exitCode);
}
