// Prediction intervals from the backtest's own out-of-sample errors rather than from a model's
// theoretical variance: the same recipe for every model (Croston has no agreed variance), and
// honest about misspecification. Errors are standardised by their horizon's RMSE, pooled (a
// backtest has only a few dozen errors per horizon), and the pooled empirical quantiles are scaled
// back by each horizon's RMSE (never below the one-step RMSE × √h). Horizons the backtest never
// reached extrapolate the RMSE with √h.
import { quantileSorted } from 'simple-statistics';
import type { BacktestError } from './backtest.js';

export interface Interval {
  lower: number[];
  upper: number[];
  /** Forecast error standard deviation per horizon (RMSE of the backtest errors). */
  sigma: number[];
}

export function intervals(
  point: readonly number[],
  errors: readonly BacktestError[],
  level: number,
  nonNegative = true,
): Interval {
  const H = point.length;
  const byH: number[][] = Array.from({ length: H }, () => []);
  for (const e of errors) if (e.h <= H) byH[e.h - 1]!.push(e.error);
  const sigma = new Array<number>(H).fill(0);
  let lastKnown = -1;
  for (let j = 0; j < H; j++) {
    const es = byH[j]!;
    if (es.length >= 3) {
      sigma[j] = Math.sqrt(es.reduce((a, e) => a + e * e, 0) / es.length);
      lastKnown = j;
    } else if (lastKnown >= 0) {
      sigma[j] = sigma[lastKnown]! * Math.sqrt((j + 1) / (lastKnown + 1));
    }
  }
  // Never narrower than the one-step error grown by √h. Later horizons rest on few origins whose
  // errors share periods, and understate the spread; the floor is conservative for a well-fitted
  // smoothing model (its error grows more slowly than √h) but on the synthetic tests it brings 80%
  // intervals from 73.8% to 77.5% coverage and 90% ones from 87.5% to 90.4%.
  for (let j = 1; j < H; j++) sigma[j] = Math.max(sigma[j]!, sigma[0]! * Math.sqrt(j + 1));
  const z: number[] = [];
  for (let j = 0; j < H; j++) if (sigma[j]! > 0) for (const e of byH[j]!) z.push(e / sigma[j]!);
  z.sort((a, b) => a - b);
  const lo = z.length ? quantileSorted(z, (1 - level) / 2) : 0;
  const hi = z.length ? quantileSorted(z, (1 + level) / 2) : 0;
  const floor = (v: number) => (nonNegative ? Math.max(0, v) : v);
  return {
    lower: point.map((p, j) => floor(p + lo * sigma[j]!)),
    upper: point.map((p, j) => floor(p + hi * sigma[j]!)),
    sigma,
  };
}
