// The first-party publisher: the registry user that owns @erp and @erp-plugin and the Ed25519 key
// that signs their releases, created once and kept in ERP_DATA_DIR/first-party-publisher.json
// (mode 0600: it holds the private key and the user's password).
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MarketplaceModule } from './module.js';

export const FIRST_PARTY_PUBLISHER_FILE = 'first-party-publisher.json';
export const FIRST_PARTY_USER = 'erp';
export const FIRST_PARTY_SCOPES = ['@erp', '@erp-plugin'] as const;

export interface FirstPartyPublisher {
  user: string;
  password: string;
  keyid: string;
  /** base64 DER SPKI, as the registry's key register takes it. */
  publicKey: string;
  /** PKCS#8 PEM. */
  privateKey: string;
}

export function loadOrCreatePublisher(dataDir: string, marketplace: MarketplaceModule): FirstPartyPublisher {
  const file = join(dataDir, FIRST_PARTY_PUBLISHER_FILE);
  if (existsSync(file)) {
    chmodSync(file, 0o600);
    return JSON.parse(readFileSync(file, 'utf8')) as FirstPartyPublisher;
  }
  const key = marketplace.generatePublisherKey();
  const publisher: FirstPartyPublisher = {
    user: FIRST_PARTY_USER,
    password: randomBytes(24).toString('base64url'),
    keyid: key.keyid,
    publicKey: key.publicKey,
    privateKey: key.privateKey,
  };
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, `${JSON.stringify(publisher, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  return publisher;
}

/**
 * A token for the publisher: npm's own login route (`PUT /-/user/org.couchdb.user:<name>`), with
 * Basic credentials so that an existing user logs in and a new one is created.
 */
export async function publisherToken(registry: string, publisher: FirstPartyPublisher): Promise<string> {
  const res = await fetch(new URL(`-/user/org.couchdb.user:${publisher.user}`, registry), {
    method: 'PUT',
    headers: {
      'content-type': 'application/json',
      authorization: `Basic ${Buffer.from(`${publisher.user}:${publisher.password}`).toString('base64')}`,
    },
    body: JSON.stringify({ name: publisher.user, password: publisher.password }),
  });
  const body = (await res.json().catch(() => ({}))) as { token?: string; error?: string };
  if (!res.ok || !body.token) {
    throw new Error(`registry login as ${publisher.user} failed: ${res.status} ${body.error ?? ''}`.trim());
  }
  return body.token;
}
