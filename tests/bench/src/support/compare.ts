// Side-by-side HTTP load of several servers in one run: runs alternate between the targets so that
// drift from other work on the machine hits all of them, each run is preceded by a warm-up, and the
// medians are compared. The table prints CPU µs per request (server, PostgreSQL, load generator)
// beside the throughput.
import { failures, type LoadResult, load, medianOf, type Target, totalCpuUsPerReq } from './load.js';
import type { Cell } from './report.js';
import { round } from './stats.js';

export interface CompareOptions {
  connections: number;
  durationSeconds: number;
  runs: number;
  warmupSeconds: number;
  dbPids?: () => number[];
}

export interface Comparison {
  /** Every run of each target, in the targets' order. */
  runs: LoadResult[][];
  medians: LoadResult[];
}

export async function compareTargets(targets: readonly Target[], opts: CompareOptions): Promise<Comparison> {
  const load1 = { connections: opts.connections, durationSeconds: opts.durationSeconds, dbPids: opts.dbPids };
  const runs: LoadResult[][] = targets.map(() => []);
  for (let i = 0; i < opts.runs; i++) {
    for (const [j, t] of targets.entries()) {
      // A warm-up before every run: the other servers' runs let this one's pool connections idle out.
      await load(t, { ...load1, durationSeconds: opts.warmupSeconds });
      const r = await load(t, load1);
      runs[j]!.push(r);
      console.log(
        `  run ${i + 1}/${opts.runs} ${t.name}: ${Math.round(r.rps)} req/s, p99 ${r.p99Ms} ms` +
          (failures(r) ? `, ${failures(r)} failures` : ''),
      );
    }
  }
  return { runs, medians: runs.map(medianOf) };
}

/** subject / baseline throughput: the ratio of medians and each round's ratio (a pair ran back to back). */
export function ratioOf(c: Comparison, baseline: number, subject: number) {
  const ratio = round(c.medians[subject]!.rps / c.medians[baseline]!.rps, 3);
  const rounds = c.runs[subject]!.map((s, i) => round(s.rps / c.runs[baseline]![i]!.rps, 3));
  const b = totalCpuUsPerReq(c.medians[baseline]!);
  const s = totalCpuUsPerReq(c.medians[subject]!);
  const cpuRatio = b && s ? round(b / s, 3) : null;
  return { ratio, rounds, cpuRatio, baselineCpuUs: b, subjectCpuUs: s };
}

export function comparisonTable(targets: readonly Target[], c: Comparison): Cell[][] {
  return [
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
      const m = c.medians[j]!;
      const total = totalCpuUsPerReq(m);
      return [
        t.name,
        Math.round(m.rps),
        m.p50Ms,
        m.p99Ms,
        m.serverCpuUsPerReq ?? '',
        m.dbCpuUsPerReq ?? '',
        m.loadgenCpuUsPerReq ?? '',
        total === null ? '' : round(total, 1),
        m.machineBusy === null ? '' : `${Math.round(m.machineBusy * 100)}%`,
        failures(m),
      ];
    }),
  ];
}
