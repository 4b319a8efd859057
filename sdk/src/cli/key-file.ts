// Where the publisher's private key lives on the partner's machine: a file only its owner can
// read (0600, in a 0700 folder), by default under the user's config folder, never in the plugin's
// folder (it would end up in a tarball or a repository) and never printed.
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { generatePublisherKey, publisherKeyId } from '../marketplace/index.js';
import { UsageError } from './usage.js';

export interface LoadedKey {
  file: string;
  keyid: string;
  /** base64 DER SPKI, as the registry's key register takes it. */
  publicKey: string;
  privateKey: string;
}

/** `--key`, else ERP_PUBLISHER_KEY, else `<config>/erp/publisher-key.pem`. */
export function keyFile(flag?: string): string {
  if (flag) return resolve(flag);
  if (process.env.ERP_PUBLISHER_KEY) return resolve(process.env.ERP_PUBLISHER_KEY);
  const config =
    process.platform === 'win32'
      ? (process.env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'))
      : (process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'));
  return join(config, 'erp', 'publisher-key.pem');
}

export function createKeyFile(file: string, force: boolean): LoadedKey {
  if (existsSync(file) && !force) {
    throw new UsageError(
      `${file} already holds a key; keep it, or pass --force to replace it (releases it signed stay verifiable only while its public key stays registered)`,
    );
  }
  const key = generatePublisherKey();
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  // Written with mode 0600 from the start (no window where another user could read it).
  writeFileSync(file, key.privateKey, { mode: 0o600, flag: force ? 'w' : 'wx' });
  chmodSync(file, 0o600);
  return { file, ...key };
}

export function loadKeyFile(file: string): LoadedKey {
  if (!existsSync(file)) {
    throw new UsageError(`no publisher key at ${file}: run "erp-plugin keygen" first (or pass --key <file>)`);
  }
  if (process.platform !== 'win32' && (statSync(file).mode & 0o077) !== 0) {
    throw new UsageError(`${file} is readable by other users: chmod 600 ${file}`);
  }
  let privateKey: string;
  let publicKey: string;
  try {
    privateKey = readFileSync(file, 'utf8');
    const pub = createPublicKey(createPrivateKey(privateKey));
    if (pub.asymmetricKeyType !== 'ed25519') throw new Error(`an ${pub.asymmetricKeyType} key`);
    publicKey = pub.export({ type: 'spki', format: 'der' }).toString('base64');
  } catch (error) {
    throw new UsageError(`${file}: not an Ed25519 private key in PEM (${(error as Error).message})`);
  }
  return { file, keyid: publisherKeyId(publicKey), publicKey, privateKey };
}
