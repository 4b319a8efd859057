export {
  type CommitThenThrow,
  inSavepoint,
  isStalePreparedStatement,
  isUuid,
  type Sql,
  TenantTx,
  UnitOfWorkTampered,
} from './tenant-tx.js';
export { type TenantRecord, Tenants } from './tenants.js';
