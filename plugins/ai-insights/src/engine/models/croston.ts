// Croston's method for intermittent demand (many periods with none): it smooths the size of the
// non-zero demands and the interval between them separately and forecasts their ratio, a demand
// rate per period. SBA (Syntetos & Boylan 2005) multiplies by 1 − alpha/2, removing Croston's
// known upward bias. alpha is chosen from a small grid by one-step squared error, the usual
// practice (the error surface is flat and noisy, so a simplex buys nothing here).
import type { Model, ModelRun } from './types.js';

const GRID = [0.05, 0.1, 0.15, 0.2, 0.3];

/** rate[t]: the forecast per period known after y[0..t-1]. */
function rates(y: readonly number[], alpha: number, sba: boolean): Float64Array {
  const n = y.length;
  const rate = new Float64Array(n + 1);
  let size = 0;
  let interval = 0;
  let since = 1;
  let started = false;
  const factor = sba ? 1 - alpha / 2 : 1;
  for (let t = 0; t < n; t++) {
    const v = y[t]!;
    if (v > 0) {
      if (!started) {
        size = v;
        interval = since;
        started = true;
      } else {
        size = alpha * v + (1 - alpha) * size;
        interval = alpha * since + (1 - alpha) * interval;
      }
      since = 1;
    } else since++;
    rate[t + 1] = started ? (factor * size) / interval : 0;
  }
  return rate;
}

function model(sba: boolean): Model {
  return {
    name: sba ? 'sba' : 'croston',
    minLength: () => 6,
    applies: (y) => y.filter((v) => v > 0).length >= 2,
    fit(y) {
      let best = { alpha: GRID[0]!, sse: Number.POSITIVE_INFINITY };
      for (const alpha of GRID) {
        const r = rates(y, alpha, sba);
        let sse = 0;
        for (let t = 1; t < y.length; t++) sse += (y[t]! - r[t]!) ** 2;
        if (sse < best.sse) best = { alpha, sse };
      }
      return { alpha: best.alpha };
    },
    run(y, _m, p): ModelRun {
      const r = rates(y, p.alpha!, sba);
      return { forecastAt: (t, h) => new Array<number>(h).fill(r[t]!) };
    },
  };
}

export const croston = model(false);
export const sba = model(true);
