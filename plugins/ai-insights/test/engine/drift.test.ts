// Drift: a model's error on the periods after its training, over the error its backtest promised.
// Demand that carries on as before gives a ratio near 1; demand that jumps gives a large one.
import { expect, it } from 'vitest';
import { forecast, forecastDrift } from '../../src/engine/index.js';
import { seasonal } from '../support/synthetic.js';

it('stays near 1 while demand behaves, and rises when it shifts', () => {
  const spec = { n: 72, m: 12, level: 200, trend: 1, amplitude: 50, noise: 10 };
  const ratios = { steady: [] as number[], shifted: [] as number[] };
  for (let i = 0; i < 20; i++) {
    const y = seasonal(5000 + i, spec);
    const train = y.slice(0, 60);
    const f = forecast(train, { seasonLength: 12, horizon: 12 });
    if (f.status !== 'ok') throw new Error(f.message);
    const after = y.slice(60);
    const steady = forecastDrift(
      after.map((actual, j) => ({ actual, forecast: f.point[j]! })),
      train,
      12,
      f.metrics.mase,
    );
    const shifted = forecastDrift(
      after.map((actual, j) => ({ actual: actual * 1.6, forecast: f.point[j]! })),
      train,
      12,
      f.metrics.mase,
    );
    ratios.steady.push(steady.ratio!);
    ratios.shifted.push(shifted.ratio!);
  }
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  console.log(
    `drift ratio (20 series, 12 periods after training): median ${med(ratios.steady).toFixed(2)} when demand carries on, ${med(ratios.shifted).toFixed(2)} after a 60% jump`,
  );
  expect(med(ratios.steady)).toBeGreaterThan(0.5);
  expect(med(ratios.steady)).toBeLessThan(2);
  expect(med(ratios.shifted)).toBeGreaterThan(4 * med(ratios.steady));
  expect(forecastDrift([], [1, 2, 3], 1, 1)).toEqual({ mase: null, ratio: null, n: 0 });
});
