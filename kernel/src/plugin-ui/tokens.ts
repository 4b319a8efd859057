// Scoped, short-lived tokens for third-party plugin UIs (issue 19). The shell mints one per plugin
// frame with the user's session and uses it for that frame's API calls, so the plugin's code never
// holds the user's session. A token names the tenant, user, session, plugin id and version and the
// permissions the frame was offered (the plugin's own permissions the user held at minting); it
// lives at most 60 s. HS256 with a key of its own (derived from the master secret), and a prefix,
// so the authenticator tells it from a session token without trying to verify it as one.
// Like access tokens, a signature checked once is remembered until expiry (TOOLCHAIN.md: verifying
// on every request saturates the main thread); revocation is checked per request, elsewhere.
import { errors, jwtVerify, SignJWT } from 'jose';
import { LRUCache } from 'lru-cache';
import { unauthenticated } from '../http/index.js';

export const PLUGIN_UI_TOKEN_PREFIX = 'erpui_';
/** The longest a plugin UI token lives (Shopify's extension tokens: one minute). */
export const PLUGIN_UI_TOKEN_MAX_TTL = 60;

const ISSUER = 'erp-kernel';
const AUDIENCE = 'erp-plugin-ui';

export interface PluginUiClaims {
  tenantId: string;
  userId: string;
  sessionId: string;
  pluginId: string;
  version: string;
  permissions: readonly string[];
  /** Kernel routes (`METHOD:/route`) the plugin's manifest was granted (kernel-api: capabilities). */
  kernelRoutes: readonly string[];
  expiresAt: number; // epoch seconds
}

export class PluginUiTokens {
  private readonly verified = new LRUCache<string, PluginUiClaims>({ max: 20_000 });

  constructor(private readonly key: Buffer) {}

  async issue(
    c: Omit<PluginUiClaims, 'expiresAt'>,
    ttlSeconds = PLUGIN_UI_TOKEN_MAX_TTL,
  ): Promise<{ token: string; expiresIn: number }> {
    const ttl = Math.max(1, Math.min(PLUGIN_UI_TOKEN_MAX_TTL, Math.floor(ttlSeconds)));
    const jwt = await new SignJWT({
      tid: c.tenantId,
      sid: c.sessionId,
      pid: c.pluginId,
      pver: c.version,
      perms: [...c.permissions],
      kr: [...c.kernelRoutes],
    })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(c.userId)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setJti(crypto.randomUUID())
      .setExpirationTime(`${ttl}s`)
      .sign(this.key);
    return { token: `${PLUGIN_UI_TOKEN_PREFIX}${jwt}`, expiresIn: ttl };
  }

  async verify(token: string): Promise<PluginUiClaims> {
    const now = Math.floor(Date.now() / 1000);
    const cached = this.verified.get(token);
    if (cached) {
      if (cached.expiresAt <= now) throw expired();
      return cached;
    }
    if (!token.startsWith(PLUGIN_UI_TOKEN_PREFIX)) throw invalid();
    try {
      const { payload } = await jwtVerify(token.slice(PLUGIN_UI_TOKEN_PREFIX.length), this.key, {
        algorithms: ['HS256'],
        issuer: ISSUER,
        audience: AUDIENCE,
        requiredClaims: ['sub', 'tid', 'sid', 'pid', 'pver', 'perms', 'kr', 'exp', 'iat'],
      });
      // A token is never longer-lived than the maximum, whatever it claims.
      if (
        payload.exp! - payload.iat! > PLUGIN_UI_TOKEN_MAX_TTL ||
        !Array.isArray(payload.perms) ||
        !Array.isArray(payload.kr)
      )
        throw invalid();
      const claims: PluginUiClaims = {
        tenantId: String(payload.tid),
        userId: String(payload.sub),
        sessionId: String(payload.sid),
        pluginId: String(payload.pid),
        version: String(payload.pver),
        permissions: Object.freeze((payload.perms as unknown[]).map(String)),
        kernelRoutes: Object.freeze((payload.kr as unknown[]).map(String)),
        expiresAt: payload.exp!,
      };
      this.verified.set(token, claims, { ttl: Math.max(1, (claims.expiresAt - now) * 1000) });
      return claims;
    } catch (err) {
      if (err instanceof errors.JWTExpired) throw expired();
      throw invalid();
    }
  }
}

const expired = () =>
  unauthenticated('The plugin token has expired; the shell renews it.', 'ERP_TOKEN_EXPIRED');
const invalid = () => unauthenticated('The plugin token is not valid.', 'ERP_TOKEN_INVALID');
