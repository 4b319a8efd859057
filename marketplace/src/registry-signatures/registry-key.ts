// The registry's own ECDSA P-256 key pair, kept in the storage folder so signatures made at publish
// time stay verifiable across restarts. Created on first start, readable by the owner only.
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const REGISTRY_KEY_FILE = 'registry-signing-key.pem';

export interface RegistryKey {
  /** `SHA256:<base64 of the SHA-256 of the DER public key>`, npm clients match it by string. */
  keyid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** Base64 DER SubjectPublicKeyInfo, as `GET /-/npm/v1/keys` serves it. */
  publicKeyBase64: string;
}

export function registryKeyFromPrivate(privateKey: KeyObject): RegistryKey {
  const publicKey = createPublicKey(privateKey);
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return {
    keyid: `SHA256:${createHash('sha256').update(der).digest('base64').replace(/=+$/, '')}`,
    privateKey,
    publicKey,
    publicKeyBase64: der.toString('base64'),
  };
}

/** Loads the key pair from `<storage>/registry-signing-key.pem`, creating it (mode 0600) if absent. */
export async function loadOrCreateRegistryKey(storage: string): Promise<RegistryKey> {
  const file = join(storage, REGISTRY_KEY_FILE);
  try {
    return registryKeyFromPrivate(createPrivateKey(await readFile(file, 'utf8')));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(storage, { recursive: true });
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  // 'wx' fails if another process created it meanwhile: then that key wins and is read back.
  try {
    await writeFile(file, pem, { mode: 0o600, flag: 'wx' });
    await chmod(file, 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return registryKeyFromPrivate(createPrivateKey(await readFile(file, 'utf8')));
  }
  return registryKeyFromPrivate(privateKey);
}
