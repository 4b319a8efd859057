// A grant is what a user consented to one app, and the family of its refresh tokens: each token
// is spent once (rotation), a spent one presented again revokes the family (reuse detection,
// RFC 9700 §4.14.2), and the family ends at the grant's `expires_at` whatever the rotations. The
// grant's access tokens are API keys listed in oauth_grant_keys, revoked with it.
import { randomUUID } from 'node:crypto';
import {
  type ApiKeys,
  decodeToken,
  encodeToken,
  hashSecret,
  newSecret,
  secretMatches,
} from '../auth/index.js';
import type { Sql } from '../tenancy/index.js';
import { APP_COLUMNS, type AppRow } from './clients.js';

export const TOKEN_SECONDS = 3600;
export const CODE_SECONDS = 60;
/** One refresh token, unused, lives two weeks … */
export const REFRESH_SECONDS = 14 * 86400;
/** … and a family (the grant) 90 days at most: then the user consents again. */
export const FAMILY_SECONDS = 90 * 86400;
export const REFRESH_PREFIX = 'erpo_';

export async function newGrant(
  sql: Sql,
  g: { appId: string; userId: string; scopes: string[]; apiKeyId: string },
): Promise<string> {
  const row = await sql.one<{ id: string }>(
    `insert into erp.oauth_grants (tenant_id, app_id, user_id, api_key_id, scopes, expires_at)
     values ($1, $2, $3, $4, $5, now() + make_interval(secs => $6)) returning id`,
    // api_key_id keeps the first access token (the column predates oauth_grant_keys).
    [sql.tenantId, g.appId, g.userId, g.apiKeyId, g.scopes, FAMILY_SECONDS],
  );
  await addAccessKey(sql, row!.id, g.apiKeyId);
  return row!.id;
}

export async function addAccessKey(sql: Sql, grantId: string, apiKeyId: string): Promise<void> {
  await sql.query(`insert into erp.oauth_grant_keys (tenant_id, api_key_id, grant_id) values ($1, $2, $3)`, [
    sql.tenantId,
    apiKeyId,
    grantId,
  ]);
}

/** A new refresh token of the family; never outlives the grant. */
export async function issueRefreshToken(
  sql: Sql,
  f: { grantId: string; appId: string; userId: string; scopes: string[] },
): Promise<{ token: string; expiresAt: Date }> {
  const id = randomUUID();
  const secret = newSecret();
  const row = await sql.one<{ expires_at: Date }>(
    `insert into erp.oauth_refresh_tokens (tenant_id, id, token_hash, grant_id, app_id, user_id, scopes, expires_at)
     select $1, $2, $3, g.id, $5, $6, $7,
            least(now() + make_interval(secs => $8), coalesce(g.expires_at, g.created_at + make_interval(secs => $9)))
       from erp.oauth_grants g where g.id = $4 and g.revoked_at is null
     returning expires_at`,
    [
      sql.tenantId,
      id,
      hashSecret(secret),
      f.grantId,
      f.appId,
      f.userId,
      f.scopes,
      REFRESH_SECONDS,
      FAMILY_SECONDS,
    ],
  );
  if (!row) throw new Error('grant revoked while issuing a refresh token');
  return {
    token: encodeToken(REFRESH_PREFIX, { tenantId: sql.tenantId, id, secret }),
    expiresAt: row.expires_at,
  };
}

export interface RefreshRow extends AppRow {
  token_id: string;
  grant_id: string;
  user_id: string;
  token_scopes: string[];
  expires_at: Date;
  used_at: Date | null;
  grant_revoked: boolean;
}

/** The refresh token's row if the token is genuine (whatever its state), else null. */
export async function findRefreshToken(sql: Sql, token: string): Promise<RefreshRow | null> {
  const parsed = decodeToken(REFRESH_PREFIX, token);
  if (!parsed || parsed.tenantId !== sql.tenantId) return null;
  const row = await sql.one<RefreshRow & { token_hash: Buffer }>(
    `select ${APP_COLUMNS}, r.id as token_id, r.token_hash, r.grant_id, r.user_id, r.scopes as token_scopes,
            r.expires_at, r.used_at, g.revoked_at is not null as grant_revoked
       from erp.oauth_refresh_tokens r
       join erp.oauth_grants g on g.tenant_id = r.tenant_id and g.id = r.grant_id
       join erp.oauth_apps a on a.tenant_id = r.tenant_id and a.id = r.app_id
      where r.id = $1 and a.revoked_at is null`,
    [parsed.id],
  );
  return row && secretMatches(parsed.secret, row.token_hash) ? row : null;
}

/** Spends a refresh token; false when it was already spent (a reuse, or a race with its twin). */
export async function spendRefreshToken(sql: Sql, tokenId: string): Promise<boolean> {
  const rows = await sql.query(
    'update erp.oauth_refresh_tokens set used_at = now() where id = $1 and used_at is null returning 1',
    [tokenId],
  );
  return rows.length === 1;
}

/** Revokes a grant, every access token it issued and every refresh token of its family. */
export async function revokeGrant(sql: Sql, apiKeys: ApiKeys, grantId: string): Promise<boolean> {
  const g = await sql.query(
    'update erp.oauth_grants set revoked_at = now() where id = $1 and revoked_at is null returning id',
    [grantId],
  );
  await sql.query(
    'update erp.oauth_refresh_tokens set used_at = coalesce(used_at, now()) where grant_id = $1',
    [grantId],
  );
  const keys = await sql.query<{ api_key_id: string }>(
    `select k.api_key_id from erp.oauth_grant_keys k join erp.api_keys a on a.tenant_id = k.tenant_id and a.id = k.api_key_id
      where k.grant_id = $1 and a.revoked_at is null`,
    [grantId],
  );
  for (const k of keys) await apiKeys.revoke(sql, k.api_key_id);
  return g.length === 1;
}
