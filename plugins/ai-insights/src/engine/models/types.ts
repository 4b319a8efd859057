// What every forecasting model offers the selector: fit parameters on a training prefix, then run
// over the whole series with those parameters, so that a forecast can be read from any origin
// (the rolling-origin backtest) without refitting at every origin.

export type ModelName =
  | 'naive'
  | 'seasonal-naive'
  | 'ses'
  | 'holt-winters-additive'
  | 'holt-winters-multiplicative'
  | 'croston'
  | 'sba';

export interface ModelRun {
  /** Point forecasts for horizons 1..h made at origin t, knowing y[0..t-1]. */
  forecastAt(t: number, h: number): number[];
}

export interface Model {
  name: ModelName;
  /** Shortest series the model can be fitted on, for season length m. */
  minLength(m: number): number;
  /** Whether the model applies to this series at all (e.g. multiplicative needs y > 0). */
  applies(y: readonly number[], m: number): boolean;
  /** Parameters fitted on y (minimising one-step squared error where there are any). */
  fit(y: readonly number[], m: number): Record<string, number>;
  run(y: readonly number[], m: number, params: Record<string, number>): ModelRun;
}
