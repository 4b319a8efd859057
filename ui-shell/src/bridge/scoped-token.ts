// The scoped token of one plugin frame (issue 19): minted with the user's session through
// POST /api/v1/ui/plugin-tokens, renewed when it is about to expire or the kernel says it has,
// and sent only on that frame's calls. It lives here, in the shell's memory; the frame never sees it.
import type { ErpApiFetch } from '@erp/sdk/ui';

interface Minted {
  token: string;
  permissions: string[];
  renewAt: number;
}

const RENEW_BEFORE_MS = 10_000;

export class ScopedToken {
  private current: Promise<Minted> | null = null;

  constructor(
    private readonly sessionApi: ErpApiFetch,
    readonly plugin: string,
  ) {}

  private mint(): Promise<Minted> {
    const started = Date.now();
    const p = this.sessionApi('/api/v1/ui/plugin-tokens', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ plugin: this.plugin }),
    }).then(async (res) => {
      const body = (await res.json()) as {
        token?: string;
        expiresIn?: number;
        permissions?: string[];
        detail?: string;
      };
      if (!res.ok || !body.token) throw new Error(body.detail ?? `the kernel answered ${res.status}`);
      return {
        token: body.token,
        permissions: body.permissions ?? [],
        renewAt: started + (body.expiresIn ?? 60) * 1000 - RENEW_BEFORE_MS,
      };
    });
    p.catch(() => {
      if (this.current === p) this.current = null;
    });
    this.current = p;
    return p;
  }

  private async valid(): Promise<Minted> {
    const m = await (this.current ?? this.mint());
    return Date.now() < m.renewAt ? m : this.mint();
  }

  async permissions(): Promise<readonly string[]> {
    return (await this.valid()).permissions;
  }

  async fetch(path: string, method: string, body?: string): Promise<Response> {
    const send = (m: Minted) =>
      fetch(path, {
        method,
        headers: {
          authorization: `Bearer ${m.token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body,
        credentials: 'omit', // no cookie ever rides on a plugin's call
        redirect: 'error',
      });
    const res = await send(await this.valid());
    if (res.status !== 401) return res;
    // Expired in flight (or the clock is off): renew once; a revoked token stays refused.
    const code = res.headers.get('content-type')?.includes('json')
      ? ((await res.clone().json()) as { code?: string }).code
      : '';
    return code === 'ERP_TOKEN_EXPIRED' ? send(await this.mint()) : res;
  }
}
