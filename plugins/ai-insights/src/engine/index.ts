// The insights engine: pure functions (no HTTP, no database) for demand forecasting, reorder
// suggestions, ABC, stock aging and dead stock. See the package README for examples.

export { type AbcRow, abcClassify, type UsageRecord } from './abc.js';
export { type AgingBucket, type DeadStockInput, deadStock, type Receipt, stockAging } from './aging.js';
export { type Backtest, type BacktestError, backtest } from './backtest.js';
export { forecastDrift } from './drift.js';
export {
  averageDemandInterval,
  type Candidate,
  type Forecast,
  type ForecastOptions,
  forecast,
  historyNeeded,
  INTERMITTENT_ADI,
  type Insufficient,
  MAX_ORIGINS,
  MIN_ORIGINS,
} from './forecast.js';
export { type Interval, intervals } from './intervals.js';
export { type Accuracy, accuracy, maseScale } from './metrics.js';
export * from './models/index.js';
export { minimise } from './optimize.js';
export * from './quality/index.js';
export { type ReorderInput, type ReorderSuggestion, reorderSuggestion } from './reorder.js';
export {
  type DemandSeries,
  demandSeries,
  type IssueRecord,
  nextPeriod,
  type Period,
  periodStart,
} from './series.js';
