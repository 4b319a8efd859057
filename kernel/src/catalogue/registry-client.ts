// Reads the marketplace registry over HTTP with the npm protocol: packuments (the full document,
// README and every version's `dist` included), search (`/-/v1/search`), the registry's signing keys
// (`/-/npm/v1/keys`) and publisher keys (`/-/erp/v1/publisher-keys/:keyid`). The same calls work
// against the embedded registry and any registry named by REGISTRY_URL that serves them.
import type { NpmKeysDocument, PublisherKeyRecord } from '../marketplace/index.js';
import { packageUnknown, registryUnavailable, registryUnreachable } from './problems.js';

export interface PackumentVersion extends Record<string, unknown> {
  name: string;
  version: string;
  deprecated?: string;
  erp?: unknown;
  engines?: Record<string, string>;
  dist: {
    integrity?: string;
    tarball?: string;
    signatures?: { keyid: string; sig: string }[];
    publisherSignature?: { keyid: string; sig: string; integrity: string; manifestHash: string };
  };
}

export interface Packument {
  name: string;
  description?: string;
  readme?: string;
  'dist-tags'?: Record<string, string>;
  time?: Record<string, string>;
  versions: Record<string, PackumentVersion>;
}

const TIMEOUT_MS = 10_000;

export class RegistryClient {
  /** `url`: the registry's address, with or without a trailing slash; undefined: none configured. */
  constructor(
    url: string | undefined,
    private readonly token?: string,
  ) {
    this.url = url ? (url.endsWith('/') ? url : `${url}/`) : undefined;
  }

  readonly url: string | undefined;

  /** The registry URL, or a 503 when this kernel has none. */
  require(): string {
    if (!this.url) throw registryUnavailable();
    return this.url;
  }

  private async get(path: string): Promise<Response> {
    const base = this.require();
    try {
      return await fetch(new URL(path, base), {
        headers: {
          accept: 'application/json',
          ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
        },
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name;
      throw registryUnreachable(base, String(cause));
    }
  }

  private async json<T>(res: Response, what: string): Promise<T> {
    if (!res.ok) throw registryUnreachable(this.require(), `${what} answered ${res.status}`);
    return (await res.json()) as T;
  }

  async packument(name: string): Promise<Packument> {
    const res = await this.get(name.replace('/', '%2f'));
    if (res.status === 404) throw packageUnknown(name);
    return this.json<Packument>(res, name);
  }

  /** Names matching a text search, best first (the registry's own ranking). */
  async search(text: string, size: number): Promise<string[]> {
    const res = await this.get(`-/v1/search?text=${encodeURIComponent(text)}&size=${size}`);
    if (res.status === 404) return [];
    const body = await this.json<{ objects?: { package?: { name?: string } }[] }>(res, 'search');
    return (body.objects ?? []).map((o) => o.package?.name).filter((n): n is string => typeof n === 'string');
  }

  /** The registry's signing keys; an empty list when it publishes none. */
  async keys(): Promise<NpmKeysDocument> {
    const res = await this.get('-/npm/v1/keys');
    if (res.status === 404) return { keys: [] };
    return this.json<NpmKeysDocument>(res, 'keys');
  }

  /** A lookup for verifyRelease, remembering answers for one operation. */
  publisherKeys(): { get(keyid: string): Promise<PublisherKeyRecord | undefined> } {
    const seen = new Map<string, Promise<PublisherKeyRecord | undefined>>();
    return {
      get: (keyid) => {
        let p = seen.get(keyid);
        if (!p) {
          p = this.get(`-/erp/v1/publisher-keys/${encodeURIComponent(keyid)}`).then((res) =>
            res.status === 404 ? undefined : this.json<PublisherKeyRecord>(res, 'publisher key'),
          );
          seen.set(keyid, p);
        }
        return p;
      },
    };
  }
}
