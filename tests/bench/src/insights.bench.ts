// Issue 17's benchmark: the ai-insights forecasting engine training and forecasting N item series
// (model selection by rolling-origin backtest over every applicable candidate, refit of the
// winner, 12-period forecast with its interval) — time, CPU time and peak memory for N and 10 × N
// series; target: 10× the series in ≤ 11× the time. The engine runs one series after another in
// one process, as the plugin's retraining job does per tenant, and keeps nothing between series,
// so memory must not grow with N.
//
// Series are drawn from a seeded generator, 60 monthly periods each (five years; season 12): 55%
// seasonal with trend and noise (additive or multiplicative), 25% intermittent (demand in a
// quarter of the periods), 20% level with noise only. Each size runs in a child process of its own
// so its peak RSS is its own. Nothing is asserted; an engine error fails the run.
//
// Environment: INSIGHTS_BENCH_SIZES (10000,100000: the pair, about 4.5 minutes of CPU;
// 1000,10000 for a quick look), INSIGHTS_BENCH_RUNS (1).
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { forecast } from '../../../plugins/ai-insights/src/index.js';
import { rng } from '../../../plugins/ai-insights/test/support/synthetic.js';
import { type Cell, writeReport } from './support/report.js';
import { median, round } from './support/stats.js';

const TARGET_TIME_RATIO = 11;
const N_PERIODS = 60;
const SEASON = 12;
const HORIZON = 12;

interface ChildResult {
  series: number;
  ms: number;
  cpuMs: number;
  peakRssMb: number;
  startRssMb: number;
  models: Record<string, number>;
  insufficient: number;
}

function makeSeries(r: () => number): number[] {
  const gauss = () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
  const kind = r();
  const level = 20 + r() * 500;
  if (kind < 0.25) {
    const size = 1 + r() * 20;
    return Array.from({ length: N_PERIODS }, () =>
      r() < 0.25 ? Math.max(1, Math.round(size * (1 + 0.3 * gauss()))) : 0,
    );
  }
  if (kind < 0.45) return Array.from({ length: N_PERIODS }, () => Math.max(0, level * (1 + 0.15 * gauss())));
  const trend = (r() - 0.3) * level * 0.01;
  const amp = level * (0.1 + r() * 0.4);
  const phase = r() * 2 * Math.PI;
  const mult = r() < 0.4;
  return Array.from({ length: N_PERIODS }, (_, t) => {
    const base = level + trend * t;
    const s = Math.sin((2 * Math.PI * t) / SEASON + phase);
    const v = mult ? base * (1 + (amp / level) * s) : base + amp * s;
    return Math.max(0, v + level * 0.06 * gauss());
  });
}

function runSeries(n: number): ChildResult {
  const r = rng(17);
  const startRssMb = process.memoryUsage().rss / 1024 / 1024;
  const models: Record<string, number> = {};
  let insufficient = 0;
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  for (let i = 0; i < n; i++) {
    const f = forecast(makeSeries(r), { seasonLength: SEASON, horizon: HORIZON, level: 0.8 });
    if (f.status === 'ok') models[f.model] = (models[f.model] ?? 0) + 1;
    else insufficient++;
  }
  const cpu = process.cpuUsage(cpuStarted);
  return {
    series: n,
    ms: performance.now() - started,
    cpuMs: (cpu.user + cpu.system) / 1000,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    startRssMb,
    models,
    insufficient,
  };
}

function runChild(n: number): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), ['--child', String(n)], {
      execArgv: ['--import', 'tsx'],
    });
    child.once('message', (m) => resolve(m as ChildResult));
    child.once('exit', (code) => (code ? reject(new Error(`child exited ${code}`)) : undefined));
  });
}

async function main() {
  const sizes = (process.env.INSIGHTS_BENCH_SIZES ?? '10000,100000').split(',').map(Number);
  const runs = Number(process.env.INSIGHTS_BENCH_RUNS ?? 1);
  const table: Cell[][] = [
    [
      'series',
      'time s',
      'CPU s',
      'series/s',
      'CPU ms/series',
      'peak RSS MB',
      'RSS growth MB',
      'time ratio',
      'CPU ratio',
    ],
  ];
  const results: ChildResult[] = [];
  for (const n of sizes) {
    const all: ChildResult[] = [];
    for (let i = 0; i < runs; i++) {
      const res = await runChild(n);
      console.log(
        `  ${n} series: ${round(res.ms / 1000, 2)} s, CPU ${round(res.cpuMs / 1000, 2)} s, peak RSS ${round(res.peakRssMb, 1)} MB`,
      );
      all.push(res);
    }
    results.push({ ...all[0]!, ms: median(all.map((a) => a.ms)), cpuMs: median(all.map((a) => a.cpuMs)) });
  }
  const first = results[0]!;
  for (const r of results) {
    table.push([
      r.series,
      round(r.ms / 1000, 2),
      round(r.cpuMs / 1000, 2),
      Math.round(r.series / (r.ms / 1000)),
      round(r.cpuMs / r.series, 2),
      round(r.peakRssMb, 1),
      round(r.peakRssMb - r.startRssMb, 1),
      round(r.ms / first.ms, 2),
      round(r.cpuMs / first.cpuMs, 2),
    ]);
  }
  const last = results.at(-1)!;
  const sizeRatio = last.series / first.series;
  const cpuRatio = last.cpuMs / first.cpuMs;
  const summary = `${sizeRatio}× series (${first.series}→${last.series}) in ${round(last.ms / first.ms, 2)}× time, ${round(cpuRatio, 2)}× CPU (target ≤ ${TARGET_TIME_RATIO}×); peak RSS ${round(first.peakRssMb, 0)}→${round(last.peakRssMb, 0)} MB`;
  writeReport({
    bench: 'insights',
    summary,
    params: { sizes, runs, periods: N_PERIODS, season: SEASON, horizon: HORIZON },
    results,
    table,
    notes: [
      'each size ran in its own child process; peak RSS is that process’s maxRSS',
      `models chosen at ${last.series}: ${JSON.stringify(last.models)}; insufficient history: ${last.insufficient}`,
    ],
  });
}

if (process.argv[2] === '--child') {
  const result = runSeries(Number(process.argv[3]));
  process.send!(result, () => process.exit(0));
} else {
  await main();
}
