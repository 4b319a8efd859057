// HTTP load with autocannon, run in the bench process against a server in a child process, with
// the server's CPU time per request and the machine's load measured over the same window.
import autocannon from 'autocannon';
import { cpuMsBetween, cpuMsByPid, machineCpuMs, processCpuMs } from './cpu.js';
import { median, round } from './stats.js';

export interface Target {
  name: string;
  url: string;
  headers?: Record<string, string>;
  /** pid of the server process, for its CPU time per request. */
  pid?: number;
}

export interface LoadOptions {
  connections: number;
  durationSeconds: number;
  /** Processes of the database (an embedded cluster's postmaster and backends), for its CPU. */
  dbPids?: () => number[];
}

export interface LoadResult {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  /** Responses that were not 2xx, connection errors and timeouts: any of them fails the bench. */
  non2xx: number;
  errors: number;
  timeouts: number;
  /** CPU the server process spent per request (µs), when /proc is readable. */
  serverCpuUsPerReq: number | null;
  /** CPU the database processes spent per request (µs), when they are known. */
  dbCpuUsPerReq: number | null;
  /** CPU the load generator (this process) spent per request (µs). */
  loadgenCpuUsPerReq: number | null;
  /** Share of all cores busy during the run (0–1), when /proc is readable. */
  machineBusy: number | null;
}

export async function load(target: Target, opts: LoadOptions): Promise<LoadResult> {
  const cpu0 = target.pid ? processCpuMs(target.pid) : null;
  const db0 = opts.dbPids ? cpuMsByPid(opts.dbPids()) : null;
  const own0 = process.cpuUsage();
  const m0 = machineCpuMs();
  const r = await autocannon({
    url: target.url,
    headers: target.headers,
    connections: opts.connections,
    duration: opts.durationSeconds,
  });
  const cpu1 = target.pid ? processCpuMs(target.pid) : null;
  // Backends the pool opened during the run count too (the pool closes idle ones after 10 s).
  const db1 = opts.dbPids ? cpuMsByPid(opts.dbPids()) : null;
  const own = process.cpuUsage(own0);
  const m1 = machineCpuMs();
  const requests = r.requests.total;
  const perReq = (us: number) => (requests ? round(us / requests, 1) : null);
  return {
    rps: r.requests.average,
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    requests,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    serverCpuUsPerReq: cpu0 !== null && cpu1 !== null ? perReq((cpu1 - cpu0) * 1000) : null,
    dbCpuUsPerReq: db0 && db1 ? perReq(cpuMsBetween(db0, db1) * 1000) : null,
    loadgenCpuUsPerReq: perReq(own.user + own.system),
    machineBusy: m0 && m1 ? round((m1.busy - m0.busy) / (m1.total - m0.total || 1), 3) : null,
  };
}

/** The median of each figure over repeated runs; counts of failures are summed instead. */
export function medianOf(runs: readonly LoadResult[]): LoadResult {
  const med = (f: (r: LoadResult) => number | null) => {
    const v = runs.map(f).filter((x): x is number => x !== null);
    return v.length ? median(v) : null;
  };
  const sum = (f: (r: LoadResult) => number) => runs.reduce((a, r) => a + f(r), 0);
  return {
    rps: med((r) => r.rps)!,
    p50Ms: med((r) => r.p50Ms)!,
    p99Ms: med((r) => r.p99Ms)!,
    requests: sum((r) => r.requests),
    non2xx: sum((r) => r.non2xx),
    errors: sum((r) => r.errors),
    timeouts: sum((r) => r.timeouts),
    serverCpuUsPerReq: med((r) => r.serverCpuUsPerReq),
    dbCpuUsPerReq: med((r) => r.dbCpuUsPerReq),
    loadgenCpuUsPerReq: med((r) => r.loadgenCpuUsPerReq),
    machineBusy: med((r) => r.machineBusy),
  };
}

export const failures = (r: LoadResult) => r.non2xx + r.errors + r.timeouts;

/**
 * CPU spent per request by the server, the database and the load generator together, when all
 * three are known (an embedded cluster). On a machine whose cores they share, throughput is bounded
 * by this sum, so baseline-sum / subject-sum estimates the throughput ratio without the noise that
 * other work on the machine adds to req/s.
 */
export function totalCpuUsPerReq(r: LoadResult): number | null {
  if (r.serverCpuUsPerReq === null || r.dbCpuUsPerReq === null || r.loadgenCpuUsPerReq === null) return null;
  return r.serverCpuUsPerReq + r.dbCpuUsPerReq + r.loadgenCpuUsPerReq;
}
