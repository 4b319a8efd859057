// Drift: how the model's error on the periods since it was trained compares with the error its
// backtest promised. A ratio near 1 means the model still performs as measured; well above 1 means
// demand has moved away from what it learnt, and retraining is due.
import { maseScale } from './metrics.js';

export function forecastDrift(
  realised: readonly { actual: number; forecast: number }[],
  training: readonly number[],
  seasonLength: number,
  backtestMase: number,
): { mase: number | null; ratio: number | null; n: number } {
  if (!realised.length) return { mase: null, ratio: null, n: 0 };
  const mae = realised.reduce((a, r) => a + Math.abs(r.actual - r.forecast), 0) / realised.length;
  const mase = mae / maseScale(training, seasonLength);
  return { mase, ratio: backtestMase > 0 ? mase / backtestMase : null, n: realised.length };
}
