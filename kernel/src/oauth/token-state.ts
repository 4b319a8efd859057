// Revocation (RFC 7009) and introspection (RFC 7662) of a client's own tokens. A client learns
// nothing of tokens issued to other clients: they read as inactive and revoking them does nothing.
import { API_KEY_PREFIX, type ApiKeys, decodeToken, secretMatches } from '../auth/index.js';
import type { Sql } from '../tenancy/index.js';
import { type AppRow, findClient } from './clients.js';
import { findRefreshToken, revokeGrant } from './grants.js';
import { invalidClient } from './problems.js';

interface Caller {
  clientId: string;
  clientSecret: string | null;
}

async function authenticated(sql: Sql, c: Caller): Promise<AppRow> {
  const app = await findClient(sql, c.clientId, c.clientSecret);
  if (!app) throw invalidClient();
  return app;
}

interface AccessRow {
  key_hash: Buffer;
  grant_id: string;
  app_id: string;
  user_id: string;
  permissions: string[];
  created_at: Date;
  expires_at: Date | null;
  active: boolean;
}

async function findAccessToken(sql: Sql, token: string): Promise<(AccessRow & { keyId: string }) | null> {
  const parsed = decodeToken(API_KEY_PREFIX, token);
  if (!parsed || parsed.tenantId !== sql.tenantId) return null;
  const row = await sql.one<AccessRow>(
    `select a.key_hash, k.grant_id, g.app_id, g.user_id, a.permissions, a.created_at, a.expires_at,
            (a.revoked_at is null and g.revoked_at is null and (a.expires_at is null or a.expires_at > now())) as active
       from erp.oauth_grant_keys k
       join erp.oauth_grants g on g.tenant_id = k.tenant_id and g.id = k.grant_id
       join erp.api_keys a on a.tenant_id = k.tenant_id and a.id = k.api_key_id
      where k.api_key_id = $1`,
    [parsed.id],
  );
  return row && secretMatches(parsed.secret, row.key_hash) ? { ...row, keyId: parsed.id } : null;
}

export async function revokeToken(sql: Sql, apiKeys: ApiKeys, c: Caller, token: string): Promise<void> {
  const app = await authenticated(sql, c);
  const refresh = await findRefreshToken(sql, token);
  if (refresh) {
    if (refresh.id === app.id) await revokeGrant(sql, apiKeys, refresh.grant_id);
    return;
  }
  const access = await findAccessToken(sql, token);
  if (access && access.app_id === app.id) await apiKeys.revoke(sql, access.keyId);
}

const seconds = (d: Date) => Math.floor(d.getTime() / 1000);

export async function introspect(sql: Sql, c: Caller, token: string): Promise<Record<string, unknown>> {
  const app = await authenticated(sql, c);
  // Introspection is for servers: a public client cannot prove who asks.
  if (!app.client_secret_hash) throw invalidClient();
  const refresh = await findRefreshToken(sql, token);
  if (refresh) {
    const active =
      refresh.id === app.id && !refresh.used_at && !refresh.grant_revoked && refresh.expires_at > new Date();
    if (!active) return { active: false };
    return {
      active: true,
      token_type: 'refresh_token',
      client_id: app.client_id,
      sub: refresh.user_id,
      scope: refresh.token_scopes.join(' '),
      exp: seconds(refresh.expires_at),
    };
  }
  const access = await findAccessToken(sql, token);
  if (!access?.active || access.app_id !== app.id) return { active: false };
  return {
    active: true,
    token_type: 'Bearer',
    client_id: app.client_id,
    sub: access.user_id,
    scope: access.permissions.join(' '),
    iat: seconds(access.created_at),
    ...(access.expires_at ? { exp: seconds(access.expires_at) } : {}),
  };
}
