// `erp secrets rotate`: a new master key is added to secrets.json, then every sealed value (the TOTP
// seeds) is re-sealed under it, tenant by tenant in the tenant's own transaction. Old keys stay in
// the file, so a value not yet re-sealed (an interrupted run, an instance still on the old ring)
// still opens; running rotate again finishes the job. Access tokens are signed with the current
// key: those signed before the restart stop verifying and clients refresh (refresh tokens are
// random, not signed, and keep working).
import type pg from 'pg';
import { addMasterKey, currentKey, deriveKey, loadOrCreateSecrets, type Secrets } from '../config/index.js';
import { TenantTx } from '../tenancy/index.js';
import { SecretBox } from './secret-box.js';
import { Totp } from './totp.js';

export function totpBox(secrets: Secrets): SecretBox {
  return new SecretBox(secrets.keys.map((k) => ({ id: k.id, key: deriveKey(k.secret, 'totp-seal') })));
}

/** Re-seals every sealed value under the current key; returns how many values changed. */
export async function resealAll(
  appPool: pg.Pool,
  secrets: Secrets,
): Promise<{ tenants: number; resealed: number }> {
  const totp = new Totp(totpBox(secrets));
  const tenantTx = new TenantTx(appPool);
  const { rows } = await appPool.query<{ id: string }>('select id from erp.tenants order by id');
  let resealed = 0;
  for (const { id } of rows) resealed += await tenantTx.run(id, (sql) => totp.reseal(sql));
  return { tenants: rows.length, resealed };
}

/** Adds a key, then re-seals under it; `open` connects with the new ring. */
export async function rotateMasterKey(
  dataDir: string,
  masterFromEnv: string | undefined,
  open: (secrets: Secrets) => Promise<{ app: pg.Pool; close(): Promise<void> }>,
): Promise<{ keyId: string; tenants: number; resealed: number }> {
  addMasterKey(dataDir);
  const secrets = loadOrCreateSecrets(dataDir, masterFromEnv);
  const db = await open(secrets);
  try {
    return { keyId: currentKey(secrets).id, ...(await resealAll(db.app, secrets)) };
  } finally {
    await db.close();
  }
}
