// The marketplace's register of publisher keys: one JSON file in the registry's storage folder,
// rewritten atomically (temp file + rename) and serialised within the process.
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type PublisherKeyLookup,
  type PublisherKeyRecord,
  publicKeyFromBase64,
  publisherKeyId,
} from '@erp/sdk/marketplace';
import { MarketplaceError } from '../errors.js';

export const PUBLISHER_KEYS_FILE = 'publisher-keys.json';

export type { PublisherKeyLookup, PublisherKeyRecord };

export class PublisherKeyStore implements PublisherKeyLookup {
  private readonly file: string;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(readonly storage: string) {
    this.file = join(storage, PUBLISHER_KEYS_FILE);
  }

  async get(keyid: string): Promise<PublisherKeyRecord | undefined> {
    return (await this.read())[keyid];
  }

  async list(owner?: string): Promise<PublisherKeyRecord[]> {
    return Object.values(await this.read()).filter((k) => owner === undefined || k.owner === owner);
  }

  /** Registers a public key for `owner`; registering the same key again for the same owner is a no-op. */
  async register(owner: string, publicKey: string, expiresAt?: string | null): Promise<PublisherKeyRecord> {
    const keyid = publisherKeyId(publicKeyFromBase64(publicKey));
    const expiry = expiresAt ? isoDate(expiresAt, 'expiresAt') : null;
    return this.update((keys) => {
      const existing = keys[keyid];
      if (existing) {
        if (existing.owner !== owner) {
          throw new MarketplaceError(
            'publisher_key_taken',
            `key ${keyid} is registered to another publisher`,
            409,
          );
        }
        return existing;
      }
      const record: PublisherKeyRecord = {
        keyid,
        owner,
        publicKey,
        createdAt: new Date().toISOString(),
        expiresAt: expiry,
        revokedAt: null,
        revokedReason: null,
      };
      keys[keyid] = record;
      return record;
    });
  }

  /** Sets (or brings forward) the key's expiry; `at` defaults to now. */
  async expire(keyid: string, by: string, at?: string): Promise<PublisherKeyRecord> {
    const when = at ? isoDate(at, 'at') : new Date().toISOString();
    return this.update((keys) => {
      const record = owned(keys, keyid, by);
      record.expiresAt = when;
      return record;
    });
  }

  /** Revokes the key: every release it signed is flagged from now on, whenever it was signed. */
  revoke(keyid: string, by: string, reason = ''): Promise<PublisherKeyRecord> {
    return this.update((keys) => {
      const record = owned(keys, keyid, by);
      record.revokedAt ??= new Date().toISOString();
      record.revokedReason = reason;
      return record;
    });
  }

  private async read(): Promise<Record<string, PublisherKeyRecord>> {
    try {
      return JSON.parse(await readFile(this.file, 'utf8')) as Record<string, PublisherKeyRecord>;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw error;
    }
  }

  private update<T>(change: (keys: Record<string, PublisherKeyRecord>) => T): Promise<T> {
    const run = this.queue.then(async () => {
      const keys = await this.read();
      const result = change(keys);
      await mkdir(this.storage, { recursive: true });
      const temp = `${this.file}.${randomUUID()}.tmp`;
      await writeFile(temp, `${JSON.stringify(keys, null, 2)}\n`, { mode: 0o600 });
      await rename(temp, this.file);
      return result;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }
}

function owned(keys: Record<string, PublisherKeyRecord>, keyid: string, by: string): PublisherKeyRecord {
  const record = keys[keyid];
  if (!record) throw new MarketplaceError('publisher_key_unknown', `key ${keyid} is not registered`, 404);
  if (record.owner !== by) {
    throw new MarketplaceError('publisher_key_not_owner', `key ${keyid} belongs to another publisher`, 403);
  }
  return record;
}

function isoDate(value: string, field: string): string {
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw new MarketplaceError('date_invalid', `${field}: not a date`);
  return new Date(time).toISOString();
}
