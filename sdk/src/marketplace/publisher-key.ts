// Ed25519 publisher keys. A key is named by the SHA-256 of its DER public key, so anyone holding the
// public key can compute its id and nobody can choose one.
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';
import { MarketplaceError } from './errors.js';

export interface PublisherKeyPair {
  keyid: string;
  /** Base64 DER SubjectPublicKeyInfo: what is registered with the marketplace. */
  publicKey: string;
  /** PKCS#8 PEM: what the publisher keeps (e.g. in ~/.erp/keys, mode 0600). */
  privateKey: string;
}

export function publicKeyFromBase64(publicKey: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: Buffer.from(publicKey, 'base64'), format: 'der', type: 'spki' });
  } catch {
    throw new MarketplaceError('publisher_key_invalid', 'publicKey: not a base64 DER SubjectPublicKeyInfo');
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new MarketplaceError(
      'publisher_key_invalid',
      `publicKey: an Ed25519 key is required, got ${key.asymmetricKeyType}`,
    );
  }
  return key;
}

export function publisherKeyId(publicKey: string | KeyObject): string {
  const key = typeof publicKey === 'string' ? publicKeyFromBase64(publicKey) : publicKey;
  const der = key.export({ type: 'spki', format: 'der' });
  // base64url: the id appears in URLs of the registry's key routes.
  return `SHA256:${createHash('sha256').update(der).digest('base64url')}`;
}

export function generatePublisherKey(): PublisherKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return {
    keyid: publisherKeyId(publicKey),
    publicKey: publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
    privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
  };
}

export function privateKeyFrom(privateKey: string | KeyObject): KeyObject {
  const key = typeof privateKey === 'string' ? createPrivateKey(privateKey) : privateKey;
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new MarketplaceError(
      'publisher_key_invalid',
      `privateKey: an Ed25519 key is required, got ${key.asymmetricKeyType}`,
    );
  }
  return key;
}
