// The costing engine: a pure library (no HTTP, no database) that values one item's stock under
// FIFO, LIFO, moving average or standard cost. See the package README for the semantics.
export { type AllocationInput, allocateLandedCost } from './allocation.js';
export { RATE_DECIMALS } from './decimal.js';
export { CostingError, CostingErrorCode } from './errors.js';
export { type RepackInput, type RepackResult, repack } from './repack.js';
export * from './types.js';
export { createValuation, restoreValuation, Valuation } from './valuation.js';
