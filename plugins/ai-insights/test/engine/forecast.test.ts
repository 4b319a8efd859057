// The forecaster on synthetic series whose truth is known: the last `H` periods are held out (the
// forecaster never sees them) and the chosen model's error on them is compared with seasonal
// naive's; the interval's coverage of the held-out values is counted. Figures are printed.
import { describe, expect, it } from 'vitest';
import { forecast, maseScale, seasonalNaive } from '../../src/engine/index.js';
import { intermittent, seasonal } from '../support/synthetic.js';

const H = 12;

function holdout(series: number[][], m: number, level = 0.8) {
  let modelMase = 0;
  let naiveMase = 0;
  let covered = 0;
  let total = 0;
  const chosen: Record<string, number> = {};
  for (const y of series) {
    const train = y.slice(0, -H);
    const test = y.slice(-H);
    const f = forecast(train, { seasonLength: m, horizon: H, level });
    if (f.status !== 'ok') throw new Error(f.message);
    chosen[f.model] = (chosen[f.model] ?? 0) + 1;
    const scale = maseScale(train, m);
    const sn = seasonalNaive.run(y, m, {}).forecastAt(train.length, H);
    test.forEach((actual, j) => {
      modelMase += Math.abs(actual - f.point[j]!) / scale;
      naiveMase += Math.abs(actual - sn[j]!) / scale;
      if (actual >= f.lower[j]! && actual <= f.upper[j]!) covered++;
      total++;
    });
  }
  return { model: modelMase / total, seasonalNaive: naiveMase / total, coverage: covered / total, chosen };
}

describe('forecasting on synthetic series (held-out last 12 periods)', () => {
  it('beats seasonal naive on seasonal series with trend and noise, intervals cover about 80%', () => {
    const series = Array.from({ length: 60 }, (_, i) =>
      seasonal(1000 + i, { n: 84, m: 12, level: 200, trend: 1.5, amplitude: 60, noise: 12 }),
    );
    const r = holdout(series, 12);
    const margin = 1 - r.model / r.seasonalNaive;
    console.log(
      `additive seasonal (60 series × 12 held-out months): MASE chosen ${r.model.toFixed(3)} vs seasonal-naive ${r.seasonalNaive.toFixed(3)} → ${(100 * margin).toFixed(1)}% less error; 80% interval coverage ${(100 * r.coverage).toFixed(1)}%; models ${JSON.stringify(r.chosen)}`,
    );
    expect(margin).toBeGreaterThan(0.2);
    expect(r.coverage).toBeGreaterThan(0.7);
    expect(r.coverage).toBeLessThan(0.92);
  });

  it('handles multiplicative seasonality (season grows with the level)', () => {
    const series = Array.from({ length: 40 }, (_, i) =>
      seasonal(2000 + i, {
        n: 84,
        m: 12,
        level: 100,
        trend: 2,
        amplitude: 40,
        noise: 6,
        multiplicative: true,
      }),
    );
    const r = holdout(series, 12, 0.9);
    const margin = 1 - r.model / r.seasonalNaive;
    console.log(
      `multiplicative seasonal (40 series): MASE chosen ${r.model.toFixed(3)} vs seasonal-naive ${r.seasonalNaive.toFixed(3)} → ${(100 * margin).toFixed(1)}% less error; 90% interval coverage ${(100 * r.coverage).toFixed(1)}%; models ${JSON.stringify(r.chosen)}`,
    );
    expect(margin).toBeGreaterThan(0.2);
    expect(r.coverage).toBeGreaterThan(0.8);
  });

  it('forecasts intermittent demand with Croston/SBA near the true rate', () => {
    const p = 0.25;
    const size = 8;
    const series = Array.from({ length: 60 }, (_, i) => intermittent(3000 + i, 104, p, size));
    let absRateErr = 0;
    const chosen: Record<string, number> = {};
    let intermittentCount = 0;
    for (const y of series) {
      const f = forecast(y, { seasonLength: 1, horizon: 4 });
      if (f.status !== 'ok') throw new Error(f.message);
      if (f.pattern === 'intermittent') intermittentCount++;
      chosen[f.model] = (chosen[f.model] ?? 0) + 1;
      absRateErr += Math.abs(f.point[0]! - p * size) / (p * size);
    }
    const meanErr = absRateErr / series.length;
    console.log(
      `intermittent (60 series, P(demand)=${p}, size≈${size}): classed intermittent ${intermittentCount}/60; mean |rate error| ${(100 * meanErr).toFixed(1)}% of the true rate ${p * size}; models ${JSON.stringify(chosen)}`,
    );
    expect(intermittentCount).toBeGreaterThanOrEqual(55);
    expect(meanErr).toBeLessThan(0.35);
  });

  it('says when the history is too short, and what it needs', () => {
    const f = forecast([3, 0, 4, 5, 2], { seasonLength: 12, horizon: 3 });
    expect(f).toMatchObject({ status: 'insufficient-history', have: 5, need: 8, needSeasonal: 30 });
    const none = forecast(new Array(20).fill(0), { seasonLength: 1, horizon: 3 });
    expect(none.status).toBe('insufficient-history');
  });

  it('refuses a level outside (0, 1)', () => {
    expect(() => forecast([1, 2, 3, 4, 5, 6, 7, 8, 9], { seasonLength: 1, horizon: 2, level: 1 })).toThrow(
      /level/,
    );
  });
});
