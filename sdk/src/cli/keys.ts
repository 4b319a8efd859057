// `erp-plugin keygen` and `erp-plugin key register|list|expire|revoke`: the publisher's Ed25519 key
// on this machine and its entry in the registry's key register (with the npm login's token).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type PublisherKeyRecord, RegistryPublisherKeys } from '../marketplace/index.js';
import { createKeyFile, keyFile, loadKeyFile } from './key-file.js';
import { ensureLogin } from './login.js';
import { registryFor } from './npm-config.js';
import { UsageError } from './usage.js';

export type KeyOptions = Record<string, string | boolean | undefined>;

export function keygen(values: KeyOptions): void {
  const key = createKeyFile(keyFile(values.key as string | undefined), values.force === true);
  console.log(`keyid:       ${key.keyid}`);
  console.log(`public key:  ${key.publicKey}`);
  console.log(`private key: ${key.file} (mode 0600; keep it, back it up, never share it)`);
  console.log('next: erp-plugin publish (it registers the key with the registry on first use)');
}

/** The package name of the plugin in `dir`, when there is one: it picks the scope's registry. */
export function packageNameIn(dir: string): string | undefined {
  const file = join(dir, 'package.json');
  if (!existsSync(file)) return undefined;
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { name?: string }).name;
  } catch {
    return undefined;
  }
}

function describe(record: PublisherKeyRecord): string {
  const state = record.revokedAt
    ? `revoked ${record.revokedAt}${record.revokedReason ? ` (${record.revokedReason})` : ''}`
    : record.expiresAt
      ? `expires ${record.expiresAt}`
      : 'valid, no expiry';
  return `${record.keyid}  owner ${record.owner}  ${state}`;
}

function isoDate(value: string | boolean | undefined, flag: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) {
    throw new UsageError(
      `${flag} must be a date (YYYY-MM-DD or an ISO 8601 time), got ${JSON.stringify(value)}`,
    );
  }
  return new Date(value).toISOString();
}

export async function keyCommand(
  sub: string | undefined,
  arg: string | undefined,
  dir: string,
  values: KeyOptions,
  interactive: boolean,
): Promise<void> {
  if (!['register', 'list', 'expire', 'revoke'].includes(sub ?? '')) {
    throw new UsageError(
      `key needs a subcommand: register, list, expire or revoke (got ${JSON.stringify(sub ?? '')})`,
    );
  }
  const registry = registryFor(dir, packageNameIn(dir), values.registry as string | undefined);
  switch (sub) {
    case 'list': {
      const owner = values.owner as string | undefined;
      const keys = await new RegistryPublisherKeys(registry, undefined).list(
        owner ?? (await ensureLogin(registry, dir, interactive)).user,
      );
      console.log(keys.length ? keys.map(describe).join('\n') : `no keys registered at ${registry}`);
      return;
    }
    case 'register': {
      const key = loadKeyFile(keyFile(values.key as string | undefined));
      const login = await ensureLogin(registry, dir, interactive);
      const record = await new RegistryPublisherKeys(registry, login.token).register(
        key.publicKey,
        isoDate(values.expires, '--expires'),
      );
      console.log(`registered at ${registry}: ${describe(record)}`);
      return;
    }
    case 'expire':
    case 'revoke': {
      const keyid = arg ?? loadKeyFile(keyFile(values.key as string | undefined)).keyid;
      const login = await ensureLogin(registry, dir, interactive);
      const client = new RegistryPublisherKeys(registry, login.token);
      const record =
        sub === 'expire'
          ? await client.expire(keyid, isoDate(values.at, '--at'))
          : await client.revoke(keyid, values.reason as string | undefined);
      console.log(`${sub === 'expire' ? 'expired' : 'revoked'} at ${registry}: ${describe(record)}`);
      return;
    }
  }
}
