// Holt-Winters with a damped additive trend and additive or multiplicative seasonality (the
// ETS(A,Ad,A) and ETS(A,Ad,M) recursions of Hyndman & Athanasopoulos, "Forecasting: Principles and
// Practice", §8.3). alpha, beta, gamma and phi are fitted by minimising the one-step squared error
// with Nelder–Mead; beta and gamma are searched as shares of alpha and 1 − alpha, which keeps
// every candidate inside the usual admissible region (0 < beta ≤ alpha, 0 < gamma ≤ 1 − alpha).
// Initial states come from the first two seasons (classical decomposition), as in the textbook.
// No npm library does this with a damped trend and a fitted phi, and the ones that do plain
// Holt-Winters are unmaintained single-author packages: hence this file.
import { minimise } from '../optimize.js';
import type { Model, ModelRun } from './types.js';

type Kind = 'additive' | 'multiplicative';

interface Path {
  level: Float64Array; // level after observation t-1, at index t (index 0: initial)
  trend: Float64Array;
  /** seasonal[m + q]: the season updated by observation q; seasonal[0..m-1]: initial. */
  seasonal: Float64Array;
  sse: number;
}

function initial(y: readonly number[], m: number, kind: Kind) {
  let first = 0;
  let second = 0;
  for (let i = 0; i < m; i++) {
    first += y[i]!;
    second += y[m + i]!;
  }
  first /= m;
  second /= m;
  const level = first;
  const trend = (second - first) / m;
  const season = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    // The season's value net of the trend line through the first season's middle.
    const base = first + (i - (m - 1) / 2) * trend;
    season[i] = kind === 'additive' ? y[i]! - base : base > 0 ? y[i]! / base : 1;
  }
  return { level, trend, season };
}

function filter(y: readonly number[], m: number, kind: Kind, p: Record<string, number>): Path {
  const { alpha, beta, gamma, phi } = p as { alpha: number; beta: number; gamma: number; phi: number };
  const n = y.length;
  const init = initial(y, m, kind);
  const level = new Float64Array(n + 1);
  const trend = new Float64Array(n + 1);
  const seasonal = new Float64Array(n + m);
  level[0] = init.level;
  trend[0] = init.trend;
  seasonal.set(init.season, 0);
  let sse = 0;
  for (let t = 0; t < n; t++) {
    const l = level[t]!;
    const b = trend[t]!;
    const s = seasonal[t]!; // the same season, one cycle ago (index t = m + (t - m))
    const base = l + phi * b;
    const yt = y[t]!;
    const fitted = kind === 'additive' ? base + s : base * s;
    sse += (yt - fitted) ** 2;
    const nl =
      kind === 'additive'
        ? alpha * (yt - s) + (1 - alpha) * base
        : alpha * (s !== 0 ? yt / s : yt) + (1 - alpha) * base;
    level[t + 1] = nl;
    trend[t + 1] = beta * (nl - l) + (1 - beta) * phi * b;
    seasonal[m + t] =
      kind === 'additive'
        ? gamma * (yt - base) + (1 - gamma) * s
        : gamma * (base !== 0 ? yt / base : 1) + (1 - gamma) * s;
  }
  return { level, trend, seasonal, sse };
}

/**
 * The one-step squared error alone, for the optimiser (hundreds of evaluations per fit): the same
 * recursion and the same arithmetic as `filter`, so the same parameters win, but with no arrays
 * per evaluation — the seasons live in a ring of length m reused across evaluations, and the
 * initial states are computed once per fit. Profiled on the 10k-series benchmark, `filter`'s
 * allocations and the repeated `initial` were about half the engine's CPU and most of its GC.
 */
function sseOf(
  y: readonly number[],
  m: number,
  kind: Kind,
  init: { level: number; trend: number; season: Float64Array },
  alpha: number,
  beta: number,
  gamma: number,
  phi: number,
  ring: Float64Array,
): number {
  ring.set(init.season);
  let l = init.level;
  let b = init.trend;
  let sse = 0;
  let i = 0;
  const additive = kind === 'additive';
  for (let t = 0; t < y.length; t++) {
    const s = ring[i]!;
    const base = l + phi * b;
    const yt = y[t]!;
    const fitted = additive ? base + s : base * s;
    sse += (yt - fitted) ** 2;
    const nl = additive
      ? alpha * (yt - s) + (1 - alpha) * base
      : alpha * (s !== 0 ? yt / s : yt) + (1 - alpha) * base;
    b = beta * (nl - l) + (1 - beta) * phi * b;
    ring[i] = additive
      ? gamma * (yt - base) + (1 - gamma) * s
      : gamma * (base !== 0 ? yt / base : 1) + (1 - gamma) * s;
    l = nl;
    if (++i === m) i = 0;
  }
  return sse;
}

function forecaster(path: Path, m: number, kind: Kind, phi: number): ModelRun {
  return {
    forecastAt(t, h) {
      const l = path.level[t]!;
      const b = path.trend[t]!;
      const out = new Array<number>(h);
      let damp = 0;
      let pow = 1;
      for (let j = 1; j <= h; j++) {
        pow *= phi;
        damp += pow;
        const period = t + j - 1;
        // The latest update of this period's season that the origin knows (q ≤ t − 1).
        const q = period - m * Math.ceil((period - t + 1) / m);
        const s = path.seasonal[m + q]!;
        out[j - 1] = kind === 'additive' ? l + damp * b + s : (l + damp * b) * s;
      }
      return out;
    },
  };
}

function model(kind: Kind): Model {
  const shares = (x: number[]) => ({
    alpha: x[0]!,
    beta: x[0]! * x[1]!,
    gamma: (1 - x[0]!) * x[2]!,
    phi: x[3]!,
  });
  return {
    name: kind === 'additive' ? 'holt-winters-additive' : 'holt-winters-multiplicative',
    minLength: (m) => 2 * m + 2,
    applies: (y, m) => m > 1 && (kind === 'additive' || y.every((v) => v > 0)),
    fit(y, m) {
      const init = initial(y, m, kind);
      const ring = new Float64Array(m);
      const { x } = minimise(
        (v) => sseOf(y, m, kind, init, v[0]!, v[0]! * v[1]!, (1 - v[0]!) * v[2]!, v[3]!, ring),
        [0.3, 0.1, 0.2, 0.9],
        { lower: [0.01, 0.001, 0.001, 0.8], upper: [0.95, 0.99, 0.99, 0.98] },
        { maxEvaluations: 400 },
      );
      return shares(x);
    },
    run: (y, m, p) => forecaster(filter(y, m, kind, p), m, kind, p.phi!),
  };
}

export const holtWintersAdditive = model('additive');
export const holtWintersMultiplicative = model('multiplicative');

/** One-step squared error of Holt-Winters with the given parameters (exported for tests). */
export const holtWintersSse = (y: readonly number[], m: number, kind: Kind, p: Record<string, number>) =>
  sseOf(y, m, kind, initial(y, m, kind), p.alpha!, p.beta!, p.gamma!, p.phi!, new Float64Array(m));
