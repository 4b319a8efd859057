// Forecast accuracy measures. MASE (Hyndman & Koehler 2006) scales the mean absolute error by the
// in-sample mean absolute error of the seasonal-naive forecast (naive when there is no season),
// so it is comparable across items of any size and is below 1 when a model beats that baseline.

/** Mean absolute one-step error of the (seasonal) naive forecast on y; never 0 (falls back). */
export function maseScale(y: readonly number[], m: number): number {
  const lag = m > 1 && y.length > m ? m : 1;
  let sum = 0;
  let count = 0;
  for (let t = lag; t < y.length; t++) {
    sum += Math.abs(y[t]! - y[t - lag]!);
    count++;
  }
  const scale = count ? sum / count : 0;
  if (scale > 0) return scale;
  const mean = y.reduce((a, b) => a + Math.abs(b), 0) / Math.max(1, y.length);
  return mean > 0 ? mean : 1;
}

export interface Accuracy {
  /** Mean absolute scaled error (backtest MAE / in-sample seasonal-naive MAE). */
  mase: number;
  /** Mean absolute percentage error over periods with demand, in percent; null if none had any. */
  mape: number | null;
  rmse: number;
  mae: number;
  /** Errors the figures rest on. */
  n: number;
}

export function accuracy(errors: readonly { actual: number; error: number }[], scale: number): Accuracy {
  let abs = 0;
  let sq = 0;
  let pct = 0;
  let pctN = 0;
  for (const { actual, error } of errors) {
    abs += Math.abs(error);
    sq += error * error;
    if (actual !== 0) {
      pct += Math.abs(error / actual);
      pctN++;
    }
  }
  const n = errors.length;
  const mae = n ? abs / n : 0;
  return {
    mase: mae / scale,
    mape: pctN ? (100 * pct) / pctN : null,
    rmse: n ? Math.sqrt(sq / n) : 0,
    mae,
    n,
  };
}
