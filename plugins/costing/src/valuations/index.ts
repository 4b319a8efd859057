// Valuations: one per item and warehouse, fed steps in ledger order and persisted after each.
export { CostingWait } from './apply.js';
export { cancelDocument, cancelSteps } from './cancel.js';
export { costSteps, settleAll } from './pipeline.js';
export { readIssue, readReceipt } from './records.js';
export { type Pointer, requireCosted } from './require.js';
export type { Blocker, SettleOutcome } from './settle.js';
export { documentPosition, getSteps } from './steps.js';
export { findValuation, lockItemValuations, lockValuations } from './store.js';
export * from './types.js';
