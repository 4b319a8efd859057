// Secrets the kernel needs but nobody configured: on the embedded default they are generated once
// and kept in ERP_DATA_DIR/secrets.json (always mode 0600, also when an older file was 0644), so a
// restart keeps sessions and MFA working. Production sets ERP_SECRET_KEY (shared by all replicas).
//
// Master keys are versioned. `master` (ERP_SECRET_KEY, or the generated one) is the root: the
// database role's password is derived from it and it is the first key of the ring. `erp secrets
// rotate` appends a new key to `rotatedKeys` in the file; the last key of the ring is the current
// one (it seals new values and signs access tokens), older ones stay readable so values sealed
// under them still open until they are re-sealed. Every key has an id derived from it, which
// sealed values carry.
import { hkdfSync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface MasterKey {
  id: string;
  secret: string;
}

export interface Secrets {
  /** Root secret (ERP_SECRET_KEY or generated): the database role's password derives from it. */
  master: string;
  /** Password of the embedded Postgres superuser and of the app role on the embedded cluster. */
  embeddedDbPassword: string;
  /** Every master key, oldest first; the last one is current. The first is `master`. */
  keys: MasterKey[];
}

interface StoredRotatedKey {
  secret: string;
  createdAt: string;
}

interface SecretsFile {
  master?: string;
  embeddedDbPassword?: string;
  rotatedKeys?: StoredRotatedKey[];
}

/** A 32-byte key for one purpose ('jwt', 'totp', …), derived from a master secret. */
export function deriveKey(master: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', master, 'erp-kernel', purpose, 32));
}

/** The public id of a master key (in sealed values and logs; reveals nothing of the key). */
export function keyId(secret: string): string {
  return `k${deriveKey(secret, 'key-id').toString('hex').slice(0, 12)}`;
}

export function currentKey(secrets: Secrets): MasterKey {
  return secrets.keys[secrets.keys.length - 1]!;
}

const secretsFile = (dataDir: string) => join(dataDir, 'secrets.json');

function readFile(file: string): SecretsFile {
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as SecretsFile) : {};
}

function writeFile(file: string, content: SecretsFile): void {
  writeFileSync(file, JSON.stringify(content, null, 2), { mode: 0o600 });
  // writeFileSync's mode applies only when it creates the file.
  chmodSync(file, 0o600);
}

export function loadOrCreateSecrets(dataDir: string, masterFromEnv?: string): Secrets {
  mkdirSync(dataDir, { recursive: true });
  const file = secretsFile(dataDir);
  const stored = readFile(file);
  const next: SecretsFile = {
    ...stored,
    master: stored.master ?? randomBytes(32).toString('base64url'),
    embeddedDbPassword: stored.embeddedDbPassword ?? randomBytes(24).toString('base64url'),
  };
  if (next.master !== stored.master || next.embeddedDbPassword !== stored.embeddedDbPassword) {
    writeFile(file, next);
  } else if ((statSync(file).mode & 0o077) !== 0) {
    chmodSync(file, 0o600);
  }
  const master = masterFromEnv ?? next.master!;
  const ring = [master, ...(next.rotatedKeys ?? []).map((k) => k.secret)];
  const keys = ring.filter((s, i) => ring.indexOf(s) === i).map((secret) => ({ id: keyId(secret), secret }));
  return { master, embeddedDbPassword: next.embeddedDbPassword!, keys };
}

/** Appends a new master key to secrets.json; it is current from the next start. */
export function addMasterKey(dataDir: string): MasterKey {
  const file = secretsFile(dataDir);
  const stored = readFile(file);
  const secret = randomBytes(32).toString('base64url');
  writeFile(file, {
    ...stored,
    rotatedKeys: [...(stored.rotatedKeys ?? []), { secret, createdAt: new Date().toISOString() }],
  });
  return { id: keyId(secret), secret };
}
