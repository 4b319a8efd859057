// Rolling-origin evaluation (Tashman 2000): parameters are fitted on the series up to the first
// origin, then the model runs over the rest with those parameters, forecasting 1..H periods ahead
// from every origin. Every error is out of sample; refitting at each origin would be a little
// fairer and many times slower, and the benchmark needs 10k series.
import { type Accuracy, accuracy, maseScale } from './metrics.js';
import type { Model } from './models/index.js';

export interface BacktestError {
  origin: number;
  /** 1-based horizon. */
  h: number;
  actual: number;
  forecast: number;
  error: number;
}

export interface Backtest {
  model: Model['name'];
  params: Record<string, number>;
  accuracy: Accuracy;
  errors: BacktestError[];
}

export function backtest(
  model: Model,
  y: readonly number[],
  m: number,
  firstOrigin: number,
  horizon: number,
): Backtest {
  const train = y.slice(0, firstOrigin);
  const params = model.fit(train, m);
  const run = model.run(y, m, params);
  const errors: BacktestError[] = [];
  for (let t = firstOrigin; t < y.length; t++) {
    const h = Math.min(horizon, y.length - t);
    const f = run.forecastAt(t, h);
    for (let j = 0; j < h; j++) {
      const actual = y[t + j]!;
      errors.push({ origin: t, h: j + 1, actual, forecast: f[j]!, error: actual - f[j]! });
    }
  }
  return { model: model.name, params, accuracy: accuracy(errors, maseScale(train, m)), errors };
}
