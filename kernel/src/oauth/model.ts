// The storage model @node-oauth/oauth2-server asks for, bound to one tenant's unit of work. Codes
// are kept hashed, one use, 60 s; an access token is an API key of the tenant, scoped to the
// permissions the user consented to and expiring with the token, so the kernel's authenticator,
// permission checks and revocation apply to it unchanged.
import { createHash, randomBytes } from 'node:crypto';
import type OAuth2Server from '@node-oauth/oauth2-server';
import type { ApiKeys } from '../auth/index.js';
import type { Sql } from '../tenancy/index.js';

export const TOKEN_SECONDS = 3600;
export const CODE_SECONDS = 60;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

interface AppRow {
  id: string;
  client_id: string;
  name: string;
  redirect_uris: string[];
  scopes: string[];
}

export const CLIENT_PREFIX = 'erpc_';

/** A client id names its tenant, so the token endpoint (no credential) knows where to look. */
export function newClientId(tenantId: string): string {
  return `${CLIENT_PREFIX}${tenantId.replaceAll('-', '')}_${randomBytes(12).toString('hex')}`;
}

export function tenantOfClient(clientId: string): string | null {
  const m = /^erpc_([0-9a-f]{32})_[0-9a-f]{24}$/.exec(clientId);
  if (!m) return null;
  const h = m[1]!;
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const client = (a: AppRow): OAuth2Server.Client => ({
  id: a.client_id,
  appId: a.id,
  name: a.name,
  redirectUris: a.redirect_uris,
  grants: ['authorization_code'],
  scopes: a.scopes,
  accessTokenLifetime: TOKEN_SECONDS,
});

export function oauthModel(
  sql: Sql,
  apiKeys: ApiKeys,
  userAllows: (userId: string, permission: string) => Promise<boolean>,
): OAuth2Server.AuthorizationCodeModel & {
  validateScope: NonNullable<OAuth2Server.AuthorizationCodeModel['validateScope']>;
} {
  let issuedKeyId: string | null = null;
  return {
    async getClient(clientId) {
      const a = await sql.one<AppRow>(
        'select id, client_id, name, redirect_uris, scopes from erp.oauth_apps where client_id = $1 and revoked_at is null',
        [clientId],
      );
      return a ? client(a) : false;
    },
    // Only what the app may ask for and the consenting user holds; nothing requested: refused.
    async validateScope(user, c, scope) {
      if (!scope?.length) return false;
      for (const s of scope)
        if (!(c.scopes as string[]).includes(s) || !(await userAllows(user.id as string, s))) return false;
      return scope;
    },
    async saveAuthorizationCode(code, c, user) {
      // Codes live a minute: the tenant's stale ones go whenever a new one is made.
      await sql.query('delete from erp.oauth_codes where expires_at < now()');
      await sql.query(
        `insert into erp.oauth_codes (tenant_id, code_hash, app_id, user_id, redirect_uri, scopes, code_challenge,
           code_challenge_method, expires_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [
          sql.tenantId,
          sha256(code.authorizationCode),
          c.appId,
          user.id,
          code.redirectUri,
          code.scope ?? [],
          code.codeChallenge ?? null,
          code.codeChallengeMethod ?? null,
          code.expiresAt,
        ],
      );
      return { ...code, client: c, user };
    },
    async getAuthorizationCode(authorizationCode) {
      const row = await sql.one<
        AppRow & {
          user_id: string;
          redirect_uri: string;
          code_scopes: string[];
          code_challenge: string;
          code_challenge_method: string;
          expires_at: Date;
        }
      >(
        `select a.id, a.client_id, a.name, a.redirect_uris, a.scopes, c.user_id, c.redirect_uri,
                c.scopes as code_scopes, c.code_challenge, c.code_challenge_method, c.expires_at
           from erp.oauth_codes c join erp.oauth_apps a on a.tenant_id = c.tenant_id and a.id = c.app_id
          where c.code_hash = $1 and a.revoked_at is null`,
        [sha256(authorizationCode)],
      );
      if (!row) return false;
      return {
        authorizationCode,
        expiresAt: row.expires_at,
        redirectUri: row.redirect_uri,
        scope: row.code_scopes,
        client: client(row),
        user: { id: row.user_id },
        codeChallenge: row.code_challenge,
        codeChallengeMethod: row.code_challenge_method,
      };
    },
    async revokeAuthorizationCode(code) {
      const gone = await sql.query('delete from erp.oauth_codes where code_hash = $1 returning 1', [
        sha256(code.authorizationCode),
      ]);
      return gone.length === 1;
    },
    async generateAccessToken(c, user, scope) {
      const key = await apiKeys.create(sql, {
        name: `oauth:${c.name as string}`,
        permissions: scope,
        expiresAt: new Date(Date.now() + TOKEN_SECONDS * 1000),
        createdBy: user.id as string,
      });
      issuedKeyId = key.id;
      return key.token;
    },
    async saveToken(token, c, user) {
      if (!issuedKeyId) return false;
      const grant = await sql.one<{ id: string }>(
        `insert into erp.oauth_grants (tenant_id, app_id, user_id, api_key_id, scopes) values ($1, $2, $3, $4, $5)
         returning id`,
        [sql.tenantId, c.appId, user.id, issuedKeyId, token.scope ?? []],
      );
      // No refresh tokens: the app asks the user again when its hour is over.
      return {
        accessToken: token.accessToken,
        accessTokenExpiresAt: token.accessTokenExpiresAt,
        scope: token.scope,
        client: c,
        user,
        grantId: grant!.id,
      };
    },
    async getAccessToken() {
      return false; // Access tokens are API keys: the kernel's authenticator checks them.
    },
  };
}
