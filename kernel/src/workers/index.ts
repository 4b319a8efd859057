// The machinery every background worker shares (the event relay and dispatcher, the job runner,
// the audit sealer): poll loops with in-flight limits, retry with backoff, the worker transaction
// that claims across tenants, a late-bound log, and the one LISTEN connection of the instance
// (bus and job wake-ups, kernel cache signals).
export { type Log, LogRef } from './log.js';
export { InFlight, Loop, type StepResult } from './loop.js';
export { backoffMs, errorText, isTransient, type RetryPolicy, retryTransient } from './retry.js';
export { CHANNELS, PgWakeup } from './wakeup.js';
export { type WorkerSql, WorkerTx } from './worker-tx.js';
