export { type CommitThenThrow, isUuid, type Sql, TenantTx } from './tenant-tx.js';
export { type TenantRecord, Tenants } from './tenants.js';
