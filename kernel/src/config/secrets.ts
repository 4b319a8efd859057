// Secrets the kernel needs but nobody configured: on the embedded default they are generated once
// and kept in ERP_DATA_DIR/secrets.json (mode 0600), so a restart keeps sessions and MFA working.
// Production sets ERP_SECRET_KEY (shared by all replicas) and never relies on this file.
import { hkdfSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Secrets {
  /** Master secret; the keys below are derived from it with HKDF so each use has its own key. */
  master: string;
  /** Password of the embedded Postgres superuser and of the app role on the embedded cluster. */
  embeddedDbPassword: string;
}

export function loadOrCreateSecrets(dataDir: string, masterFromEnv?: string): Secrets {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, 'secrets.json');
  let stored: Partial<Secrets> = {};
  if (existsSync(file)) stored = JSON.parse(readFileSync(file, 'utf8')) as Partial<Secrets>;
  const next: Secrets = {
    master: stored.master ?? randomBytes(32).toString('base64url'),
    embeddedDbPassword: stored.embeddedDbPassword ?? randomBytes(24).toString('base64url'),
  };
  if (next.master !== stored.master || next.embeddedDbPassword !== stored.embeddedDbPassword) {
    writeFileSync(file, JSON.stringify(next, null, 2), { mode: 0o600 });
  }
  return masterFromEnv ? { ...next, master: masterFromEnv } : next;
}

/** A 32-byte key for one purpose ('jwt', 'totp', …), derived from the master secret. */
export function deriveKey(master: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', master, 'erp-kernel', purpose, 32));
}
