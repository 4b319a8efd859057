// Issue 16, OAuth apps continued:
// 1. Confidential clients: an app may hold a secret (SHA-256 of 256 random bits: a high-entropy
//    secret needs no slow hash), shown once; null keeps the app public (PKCE only).
// 2. Refresh tokens, rotated on every use: each grant is one family; a token is spent once
//    (used_at), and presenting a spent one is taken as theft: the whole family is revoked.
//    A family lives at most `expires_at` of its grant, whatever the rotations.
// 3. A grant's access tokens (API keys): one per issue, so revoking the grant, or a reuse,
//    revokes them all, and revocation/introspection find the grant of an access token.
import type { Knex } from 'knex';
import { tenantTable } from './helpers.js';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table erp.oauth_apps add column client_secret_hash bytea;
    alter table erp.oauth_apps add column secret_set_at timestamptz;
    alter table erp.oauth_grants add column expires_at timestamptz;

    create table erp.oauth_refresh_tokens (
      tenant_id uuid not null references erp.tenants(id),
      id uuid not null,
      token_hash bytea not null,
      grant_id uuid not null,
      app_id uuid not null,
      user_id uuid not null,
      scopes text[] not null,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      used_at timestamptz,
      primary key (tenant_id, id)
    );
    create index on erp.oauth_refresh_tokens (tenant_id, grant_id);

    create table erp.oauth_grant_keys (
      tenant_id uuid not null references erp.tenants(id),
      api_key_id uuid not null,
      grant_id uuid not null,
      primary key (tenant_id, api_key_id)
    );
    create index on erp.oauth_grant_keys (tenant_id, grant_id);
  `);
  for (const t of ['oauth_refresh_tokens', 'oauth_grant_keys']) await knex.raw(tenantTable(`erp.${t}`));
  // Grants made before this migration (one access token each) join the map; this runs as the
  // owner, which RLS binds too unless superuser, so each tenant's rows are copied in its scope.
  await knex.raw(`
    do $$
    declare t uuid;
    begin
      for t in select id from erp.tenants loop
        perform set_config('erp.tenant_id', t::text, true);
        insert into erp.oauth_grant_keys (tenant_id, api_key_id, grant_id)
          select tenant_id, api_key_id, id from erp.oauth_grants where tenant_id = t;
      end loop;
    end $$;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    drop table if exists erp.oauth_grant_keys, erp.oauth_refresh_tokens;
    alter table erp.oauth_grants drop column if exists expires_at;
    alter table erp.oauth_apps drop column if exists secret_set_at, drop column if exists client_secret_hash;
  `);
}
