// The import protocol on the bus. integrations publishes the rows (import.batch) and rollback
// requests (import.rollback); the target plugin answers <plugin>.import.applied and
// <plugin>.import.rolled-back: the SDK's protocol, written once for both sides.
export {
  type ImportAppliedPayload as ImportApplied,
  type ImportRolledBackPayload as ImportRolledBack,
  importRequestEvents as importEvents,
} from '@erp/sdk';
