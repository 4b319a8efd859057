// Looks publisher keys up over the registry's key routes: what a kernel uses when the registry is
// not in its own process (REGISTRY_URL), and what the CLI uses to register, expire and revoke.
import { MarketplaceError } from '../errors.js';
import type { PublisherKeyLookup, PublisherKeyRecord } from '../publisher-signatures/index.js';
import { PUBLISHER_KEYS_PATH } from './publisher-key-routes.js';

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
