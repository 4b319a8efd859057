// Simple exponential smoothing: a level and nothing else, for series with neither trend nor
// season worth modelling. alpha is fitted by minimising one-step squared error.
import { minimise } from '../optimize.js';
import type { Model } from './types.js';

function levels(y: readonly number[], alpha: number): number[] {
  const l = new Array<number>(y.length + 1);
  l[0] = y[0] ?? 0;
  for (let t = 0; t < y.length; t++) l[t + 1] = alpha * y[t]! + (1 - alpha) * l[t]!;
  return l;
}

function sse(y: readonly number[], alpha: number): number {
  let level = y[0] ?? 0;
  let s = 0;
  for (let t = 1; t < y.length; t++) {
    level = alpha * y[t - 1]! + (1 - alpha) * level;
    s += (y[t]! - level) ** 2;
  }
  return s;
}

export const ses: Model = {
  name: 'ses',
  minLength: () => 4,
  applies: () => true,
  fit(y) {
    const { x } = minimise(([a]) => sse(y, a!), [0.3], { lower: [0.01], upper: [0.99] });
    return { alpha: x[0]! };
  },
  run(y, _m, p) {
    const l = levels(y, p.alpha!);
    return { forecastAt: (t, h) => new Array<number>(h).fill(l[t]!) };
  },
};
