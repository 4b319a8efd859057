// Turns an Authorization header into a Principal, or a 401 problem that says what is wrong.
import { Problem, unauthenticated } from '../http/problem.js';
import type { Principal } from '../principal/index.js';
import type { AccessTokens } from './access-tokens.js';
import { API_KEY_PREFIX, type ApiKeys } from './api-keys.js';
import type { CredentialRefusals } from './refusals.js';
import type { Sessions } from './sessions.js';
import type { CredentialThrottle } from './throttle.js';

/** Scoped tokens of third-party plugin UIs (kernel/src/plugin-ui), told apart by their prefix. */
export interface PluginUiCredentials {
  readonly prefix: string;
  authenticate(token: string): Promise<Principal>;
}

export class Authenticator {
  constructor(
    private readonly accessTokens: AccessTokens,
    private readonly sessions: Sessions,
    private readonly apiKeys: ApiKeys,
    private readonly throttle: CredentialThrottle,
    private readonly refusals: CredentialRefusals,
    private readonly pluginUi?: PluginUiCredentials,
  ) {}

  /** `source` is the client address: refused API keys count toward its failure limit and are audited. */
  async authenticate(
    authorization: string | undefined,
    source = 'unknown',
    requestId?: string,
  ): Promise<Principal> {
    if (!authorization) throw unauthenticated('Send an Authorization: Bearer <token> header.');
    const match = /^Bearer ([A-Za-z0-9._~+/=-]{10,4096})$/.exec(authorization);
    if (!match)
      throw unauthenticated('The Authorization header must be "Bearer <token>".', 'ERP_TOKEN_INVALID');
    const token = match[1]!;
    if (token.startsWith(API_KEY_PREFIX)) {
      this.throttle.assertSourceAllowed(source);
      try {
        return await this.apiKeys.authenticate(token);
      } catch (err) {
        if (err instanceof Problem && err.status === 401) {
          await this.refusals.record(API_KEY_PREFIX, token, err, { ip: source, requestId });
          await this.throttle.failed(source);
        }
        throw err;
      }
    }
    if (this.pluginUi && token.startsWith(this.pluginUi.prefix)) return this.pluginUi.authenticate(token);
    const claims = await this.accessTokens.verify(token);
    if (!(await this.sessions.isActive(claims.tenantId, claims.sessionId))) {
      throw unauthenticated('The session has been revoked or the account disabled.', 'ERP_TOKEN_REVOKED');
    }
    return {
      kind: 'user',
      tenantId: claims.tenantId,
      userId: claims.userId,
      apiKeyId: null,
      sessionId: claims.sessionId,
      scopes: null,
    };
  }
}
