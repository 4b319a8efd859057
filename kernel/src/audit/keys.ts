// The checkpoint signing key comes from configuration (ERP_AUDIT_SIGNING_KEY, PEM or base64),
// never from the database, so write access to the database does not let anyone re-sign a rewritten
// chain. On the embedded default a key is generated once into ERP_DATA_DIR, like config/secrets.ts
// does for the master secret; production sets the variable (the same key on every replica).
import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type NoteSigner, parseVerifierKey, signerOf, type VerifierKey } from './note.js';

export interface AuditKeyConfig {
  ERP_DATA_DIR: string;
  ERP_AUDIT_SIGNING_KEY?: string;
  ERP_AUDIT_KEY_NAME: string;
  ERP_AUDIT_TRUSTED_KEYS?: string;
}

export interface AuditKeys {
  signer: NoteSigner;
  /** Keys whose checkpoints verify: the signer's and the earlier ones still trusted. */
  trusted: VerifierKey[];
}

export class AuditKeyError extends Error {
  override name = 'AuditKeyError';
}

export const KEY_FILE = 'audit-signing-key.pem';
// PKCS#8 DER prefix of an Ed25519 private key; the 32-byte seed follows.
const PKCS8_ED25519 = Buffer.from('302e020100300506032b657004220420', 'hex');

export function parseSigningKey(text: string): KeyObject {
  let key: KeyObject;
  try {
    if (text.includes('-----BEGIN')) key = createPrivateKey(text.replace(/\\n/g, '\n'));
    else {
      const der = Buffer.from(text.trim(), 'base64');
      key = createPrivateKey({
        key: der.length === 32 ? Buffer.concat([PKCS8_ED25519, der]) : der,
        format: 'der',
        type: 'pkcs8',
      });
    }
  } catch {
    throw new AuditKeyError(
      'ERP_AUDIT_SIGNING_KEY is not an Ed25519 private key (PKCS#8 PEM, or base64 of the 32-byte seed or PKCS#8 DER)',
    );
  }
  if (key.asymmetricKeyType !== 'ed25519')
    throw new AuditKeyError('ERP_AUDIT_SIGNING_KEY is not an Ed25519 key');
  return key;
}

function loadOrCreateKeyFile(dataDir: string): KeyObject {
  const file = join(dataDir, KEY_FILE);
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    const { privateKey } = generateKeyPairSync('ed25519');
    const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    // 'wx': two processes starting at once must not overwrite each other's fresh key.
    try {
      writeFileSync(file, pem, { mode: 0o600, flag: 'wx' });
    } catch (err) {
      if ((err as { code?: string }).code !== 'EEXIST') throw err;
    }
  }
  return parseSigningKey(readFileSync(file, 'utf8'));
}

export function loadAuditKeys(config: AuditKeyConfig, opts: { create?: boolean } = {}): AuditKeys {
  const privateKey = config.ERP_AUDIT_SIGNING_KEY
    ? parseSigningKey(config.ERP_AUDIT_SIGNING_KEY)
    : opts.create === false && !existsSync(join(config.ERP_DATA_DIR, KEY_FILE))
      ? undefined
      : loadOrCreateKeyFile(config.ERP_DATA_DIR);
  if (!privateKey) throw new AuditKeyError(`no audit signing key configured or in ${config.ERP_DATA_DIR}`);
  const signer = signerOf(config.ERP_AUDIT_KEY_NAME, privateKey);
  const trusted: VerifierKey[] = [signer];
  for (const vkey of (config.ERP_AUDIT_TRUSTED_KEYS ?? '').split(',').map((s) => s.trim())) {
    if (!vkey) continue;
    try {
      trusted.push(parseVerifierKey(vkey));
    } catch (err) {
      throw new AuditKeyError(
        `ERP_AUDIT_TRUSTED_KEYS entry ${JSON.stringify(vkey)}: ${(err as Error).message}`,
      );
    }
  }
  return { signer, trusted };
}
