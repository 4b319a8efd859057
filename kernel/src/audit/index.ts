// The audit log: a per-tenant hash chain of entries, sealed after commit, with signed checkpoints
// (also kept outside the database), Merkle proofs for auditors and a verifier that needs no
// database. The rest of the kernel records through AuditLog.record(sql, entry).

export { actorOf, requestAudit } from './actor.js';
export { AuditLog, type TenantVerifyReport } from './audit-log.js';
export {
  type Checkpoint,
  checkpointText,
  type ParsedCheckpoint,
  parseCheckpoint,
  signCheckpoint,
} from './checkpoint.js';
export { AUDIT_HELP, AuditCliError, auditCommand } from './cli.js';
export type { ActorType, AuditActor, AuditEntry, AuditRecordInput, JsonValue } from './entry.js';
export { ExportFormatError, openExport } from './export.js';
export { b64, canonicalJson, entryHash, GENESIS_HASH } from './hashing.js';
export { AuditKeyError, type AuditKeys, loadAuditKeys, parseSigningKey } from './keys.js';
export {
  consistencyProof,
  inclusionProof,
  leafHash,
  MerkleFrontier,
  nodeHash,
  subtreeRoot,
  verifyConsistency,
  verifyInclusion,
} from './merkle.js';
export {
  NoteFormatError,
  parseNote,
  parseVerifierKey,
  signerOf,
  type VerifierKey,
  verifierKeyOf,
} from './note.js';
export { exportRuns, PARALLEL_FROM, RUN_SIZE, threadsFor, verifyRuns } from './parallel.js';
export { AUDIT_PERMISSIONS } from './permissions.js';
export { AuditInputError, type AuditSql, recordAudit, scrubSecrets } from './record.js';
export { type Refusal, RefusalAudit, type RefusalAuditOptions } from './refusals.js';
export { auditRoutes } from './routes.js';
export { AuditSealer, type SealerOptions, type SealResult } from './sealer.js';
export { checkpointDir, sealerOptions } from './settings.js';
export { type CheckpointSink, DirectorySink, type HashBundle } from './sink.js';
export { streamEntries } from './store.js';
export { ChainVerifier, type SealedEntry, type VerifyProblem, type VerifyReport } from './verifier.js';
