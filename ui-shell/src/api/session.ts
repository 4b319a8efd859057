// The signed-in session. The access token lives only in this tab's memory; the refresh token is an
// HttpOnly, SameSite=Strict cookie scoped to /api/v1/auth/refresh (kernel: auth/refresh-cookie.ts),
// so no script (a plugin element, an injected one, a third-party frame) can read a credential that
// outlives the page. A reload or a new tab signs in again from the cookie. Refreshes are serialised
// across tabs with a Web Lock: the kernel rotates the refresh token and treats a reused one as theft.
import type { ErpApiFetch } from '@erp/sdk/ui';
import { ApiError, json } from './problem.js';

export interface Me {
  kind: 'user' | 'apiKey';
  tenantId: string;
  userId: string | null;
  email: string | null;
  mfaEnabled: boolean;
  permissions: string[];
}

interface TokenAnswer {
  accessToken: string;
  expiresIn: number;
}

const TENANT_KEY = 'erp.tenant'; // the tenant's slug, remembered to prefill sign-in (not a secret)

export class Session extends EventTarget {
  private accessToken: string | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  me: Me | null = null;

  get tenantSlug(): string {
    return localStorage.getItem(TENANT_KEY) ?? '';
  }

  get signedIn(): boolean {
    return this.accessToken !== null && this.me !== null;
  }

  private async accept(answer: TokenAnswer): Promise<void> {
    this.accessToken = answer.accessToken;
    clearTimeout(this.timer);
    // Renew a minute before expiry (or halfway for short tokens) so requests rarely meet a 401.
    const lead = Math.min(60, answer.expiresIn / 2);
    this.timer = setTimeout(
      () => void this.refresh().catch(() => this.drop()),
      (answer.expiresIn - lead) * 1000,
    );
    this.me = await json<Me>(await this.raw('/api/v1/auth/me'));
    this.dispatchEvent(new Event('change'));
  }

  async login(input: { tenant: string; email: string; password: string; otp?: string }): Promise<void> {
    const res = await fetch('/api/v1/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...input, refreshIn: 'cookie' }),
      credentials: 'same-origin',
    });
    const answer = await json<TokenAnswer>(res);
    localStorage.setItem(TENANT_KEY, input.tenant);
    await this.accept(answer);
  }

  /** Gets a new access token from the cookie; false when there is no session to resume. */
  async refresh(): Promise<boolean> {
    const run = async () => {
      const res = await fetch('/api/v1/auth/refresh', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
        credentials: 'same-origin',
      });
      if (res.status === 401) return false;
      await this.accept(await json<TokenAnswer>(res));
      return true;
    };
    return navigator.locks ? navigator.locks.request('erp-refresh', run) : run();
  }

  async logout(): Promise<void> {
    try {
      if (this.accessToken) await this.raw('/api/v1/auth/logout', { method: 'POST' });
    } finally {
      this.drop();
    }
  }

  /** Forgets the session in this tab (after logout, or when it was revoked elsewhere). */
  drop(): void {
    clearTimeout(this.timer);
    const had = this.accessToken !== null;
    this.accessToken = null;
    this.me = null;
    if (had) this.dispatchEvent(new Event('change'));
  }

  private raw(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.accessToken) headers.set('authorization', `Bearer ${this.accessToken}`);
    if (init.body !== undefined && !headers.has('content-type'))
      headers.set('content-type', 'application/json');
    return fetch(path, { ...init, headers, credentials: 'omit' });
  }

  /** The authenticated client given to pages and plugin elements: relative paths only. */
  readonly api: ErpApiFetch = async (path, init = {}) => {
    if (!path.startsWith('/') || path.startsWith('//'))
      throw new TypeError('api() takes a path on the kernel');
    let res = await this.raw(path, init);
    if (res.status === 401 && this.accessToken) {
      // Expired or revoked: try once to renew, then give up and sign out.
      if (await this.refresh().catch(() => false)) res = await this.raw(path, init);
      else this.drop();
    }
    return res;
  };

  async getJson<T>(path: string): Promise<T> {
    return json<T>(await this.api(path));
  }

  async send<T>(method: string, path: string, body?: unknown): Promise<T> {
    return json<T>(await this.api(path, { method, body: JSON.stringify(body ?? {}) }));
  }
}

export { ApiError };
