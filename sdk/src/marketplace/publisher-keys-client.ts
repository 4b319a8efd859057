// Looks publisher keys up over the registry's key routes: what a kernel uses when the registry is
// not in its own process (REGISTRY_URL), and what `erp-plugin key …` uses to register, list, expire
// and revoke with the publisher's ordinary npm token. The registry side is @erp/marketplace's.
import { MarketplaceError } from './errors.js';

/** Where the registry serves its publisher-key register. */
export const PUBLISHER_KEYS_PATH = '/-/erp/v1/publisher-keys';

export interface PublisherKeyRecord {
  keyid: string;
  /** The registry user that registered the key (the publisher). */
  owner: string;
  publicKey: string;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  revokedReason: string | null;
}

/** Anything `verifyRelease` can ask for a key: the registry's own store, or this HTTP client. */
export interface PublisherKeyLookup {
  get(keyid: string): Promise<PublisherKeyRecord | undefined>;
}

export class RegistryPublisherKeys implements PublisherKeyLookup {
  constructor(
    private readonly registry: string,
    private readonly token?: string,
  ) {}

  async get(keyid: string): Promise<PublisherKeyRecord | undefined> {
    const res = await this.call('GET', `/${encodeURIComponent(keyid)}`);
    if (res.status === 404) return undefined;
    return (await this.json(res)) as PublisherKeyRecord;
  }

  async list(owner?: string): Promise<PublisherKeyRecord[]> {
    const query = owner === undefined ? '' : `?owner=${encodeURIComponent(owner)}`;
    return ((await this.json(await this.call('GET', query))) as { keys: PublisherKeyRecord[] }).keys;
  }

  async register(publicKey: string, expiresAt?: string): Promise<PublisherKeyRecord> {
    return (await this.json(await this.call('POST', '', { publicKey, expiresAt }))) as PublisherKeyRecord;
  }

  async expire(keyid: string, at?: string): Promise<PublisherKeyRecord> {
    return (await this.json(
      await this.call('POST', `/${encodeURIComponent(keyid)}/expire`, { at }),
    )) as PublisherKeyRecord;
  }

  async revoke(keyid: string, reason?: string): Promise<PublisherKeyRecord> {
    return (await this.json(
      await this.call('POST', `/${encodeURIComponent(keyid)}/revoke`, { reason }),
    )) as PublisherKeyRecord;
  }

  private async call(method: string, path: string, body?: unknown): Promise<Response> {
    const url = new URL(`${PUBLISHER_KEYS_PATH.slice(1)}${path}`, this.registry);
    try {
      return await fetch(url, {
        method,
        headers: {
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (error) {
      throw new MarketplaceError(
        'registry_unreachable',
        `${this.registry}: ${(error as Error).message}`,
        503,
      );
    }
  }

  private async json(res: Response): Promise<unknown> {
    const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    if (!res.ok) {
      throw new MarketplaceError(
        String(body.code ?? 'registry_error'),
        String(body.detail ?? body.error ?? res.statusText),
        res.status,
      );
    }
    return body;
  }
}
