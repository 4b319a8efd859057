// Short-lived access JWTs (HS256, key derived from the master secret). Verifying an HMAC on every
// request saturates the main thread (TOOLCHAIN.md), so a token whose signature was checked once is
// remembered until it expires; revocation is checked separately, per session.
import { errors, jwtVerify, SignJWT } from 'jose';
import { LRUCache } from 'lru-cache';
import { unauthenticated } from '../http/problem.js';

const ISSUER = 'erp-kernel';
const AUDIENCE = 'erp-api';

export interface AccessClaims {
  tenantId: string;
  userId: string;
  sessionId: string;
  expiresAt: number; // epoch seconds
}

export class AccessTokens {
  private readonly verified = new LRUCache<string, AccessClaims>({ max: 50_000 });

  constructor(
    private readonly key: Buffer,
    readonly ttlSeconds: number,
  ) {}

  async issue(c: {
    tenantId: string;
    userId: string;
    sessionId: string;
  }): Promise<{ token: string; expiresIn: number }> {
    const token = await new SignJWT({ tid: c.tenantId, sid: c.sessionId })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(c.userId)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setJti(crypto.randomUUID())
      .setExpirationTime(`${this.ttlSeconds}s`)
      .sign(this.key);
    return { token, expiresIn: this.ttlSeconds };
  }

  async verify(token: string): Promise<AccessClaims> {
    const now = Math.floor(Date.now() / 1000);
    const cached = this.verified.get(token);
    if (cached) {
      if (cached.expiresAt <= now)
        throw unauthenticated('The access token has expired.', 'ERP_TOKEN_EXPIRED');
      return cached;
    }
    try {
      const { payload } = await jwtVerify(token, this.key, {
        algorithms: ['HS256'],
        issuer: ISSUER,
        audience: AUDIENCE,
        requiredClaims: ['sub', 'tid', 'sid', 'exp'],
      });
      const claims: AccessClaims = {
        tenantId: String(payload.tid),
        userId: String(payload.sub),
        sessionId: String(payload.sid),
        expiresAt: payload.exp!,
      };
      this.verified.set(token, claims, { ttl: Math.max(1, (claims.expiresAt - now) * 1000) });
      return claims;
    } catch (err) {
      if (err instanceof errors.JWTExpired)
        throw unauthenticated('The access token has expired.', 'ERP_TOKEN_EXPIRED');
      throw unauthenticated('The access token is not valid.', 'ERP_TOKEN_INVALID');
    }
  }
}
