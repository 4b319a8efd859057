export {
  ImportApplied,
  type ImportAppliedPayload,
  ImportBatch,
  type ImportBatchPayload,
  ImportRollback,
  type ImportRollbackPayload,
  ImportRolledBack,
  type ImportRolledBackPayload,
  importAnswerEvents,
  importRequestEvents,
} from './protocol.js';
