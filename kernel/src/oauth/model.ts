// The storage model @node-oauth/oauth2-server asks for, bound to one tenant's unit of work. Codes
// are kept hashed, one use, 60 s; an access token is an API key of the tenant, scoped to the
// permissions the user consented to and expiring with the token, so the kernel's authenticator,
// permission checks and revocation apply to it unchanged. Refresh tokens rotate (grants.ts).
import { createHash } from 'node:crypto';
import OAuth2Server from '@node-oauth/oauth2-server';
import type { ApiKeys } from '../auth/index.js';
import type { Sql } from '../tenancy/index.js';
import { type AppRow, findClient } from './clients.js';
import {
  addAccessKey,
  findRefreshToken,
  issueRefreshToken,
  newGrant,
  spendRefreshToken,
  TOKEN_SECONDS,
} from './grants.js';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

const client = (a: AppRow): OAuth2Server.Client => ({
  id: a.client_id,
  appId: a.id,
  name: a.name,
  redirectUris: a.redirect_uris,
  grants: ['authorization_code', 'refresh_token'],
  scopes: a.scopes,
  accessTokenLifetime: TOKEN_SECONDS,
  confidential: a.client_secret_hash !== null,
});

type Model = OAuth2Server.AuthorizationCodeModel &
  OAuth2Server.RefreshTokenModel & {
    validateScope: NonNullable<OAuth2Server.AuthorizationCodeModel['validateScope']>;
  };

export interface ModelState {
  /** The grant whose spent refresh token was presented again: the route revokes it after the refusal. */
  reusedGrant: string | null;
}

export function oauthModel(
  sql: Sql,
  apiKeys: ApiKeys,
  userAllows: (userId: string, permission: string) => Promise<boolean>,
  opts: { authorizing?: boolean } = {},
): Model & { state: ModelState } {
  const state: ModelState = { reusedGrant: null };
  let issuedKeyId: string | null = null;
  // The family of the refresh token being exchanged (null: an authorization code is).
  let family: string | null = null;
  return {
    state,
    async getClient(clientId, secret) {
      const a = await findClient(sql, clientId, secret, opts.authorizing);
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
        `select a.id, a.client_id, a.name, a.redirect_uris, a.scopes, a.client_secret_hash, c.user_id, c.redirect_uri,
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
    async getRefreshToken(token) {
      const row = await findRefreshToken(sql, token);
      if (!row || row.grant_revoked) return false;
      if (row.used_at) {
        state.reusedGrant = row.grant_id;
        return false;
      }
      family = row.grant_id;
      return {
        refreshToken: token,
        refreshTokenExpiresAt: row.expires_at,
        scope: row.token_scopes,
        client: client(row),
        user: { id: row.user_id },
        tokenId: row.token_id,
      };
    },
    // Rotation: the presented token is spent before its successor exists. Losing the race to a
    // concurrent use of the same token is a reuse like any other.
    async revokeToken(token) {
      const spent = await spendRefreshToken(sql, token.tokenId as string);
      if (!spent) state.reusedGrant = family;
      return spent;
    },
    async generateAccessToken(c, user, scope) {
      // A refresh keeps only what the user still holds: a permission taken away stays away.
      for (const s of scope ?? [])
        if (!(await userAllows(user.id as string, s)))
          throw new OAuth2Server.InvalidScopeError(`Invalid scope: the user no longer holds ${s}`);
      const key = await apiKeys.create(sql, {
        name: `oauth:${c.name as string}`,
        permissions: scope ?? [],
        expiresAt: new Date(Date.now() + TOKEN_SECONDS * 1000),
        createdBy: user.id as string,
      });
      issuedKeyId = key.id;
      return key.token;
    },
    // The library's random refresh token is replaced in saveToken by one naming its tenant and row.
    async generateRefreshToken() {
      return 'issued-in-saveToken';
    },
    async saveToken(token, c, user) {
      if (!issuedKeyId) return false;
      const scopes = token.scope ?? [];
      let grantId = family;
      if (grantId) await addAccessKey(sql, grantId, issuedKeyId);
      else grantId = await newGrant(sql, { appId: c.appId, userId: user.id, scopes, apiKeyId: issuedKeyId });
      const refresh = await issueRefreshToken(sql, { grantId, appId: c.appId, userId: user.id, scopes });
      return {
        accessToken: token.accessToken,
        accessTokenExpiresAt: token.accessTokenExpiresAt,
        refreshToken: refresh.token,
        refreshTokenExpiresAt: refresh.expiresAt,
        scope: token.scope,
        client: c,
        user,
        grantId,
      };
    },
    async getAccessToken() {
      return false; // Access tokens are API keys: the kernel's authenticator checks them.
    },
  };
}
