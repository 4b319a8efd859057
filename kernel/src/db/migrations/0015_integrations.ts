// Issue 16 (integrations):
// 1. Catch-all event subscriptions (subject '*'): the embedded bus's router fans an event out to a
//    catch-all subscriber only when the event's tenant runs the subscriber's plugin, so it reads
//    erp.plugin_installations across tenants on the worker login. Read only.
// 2. OAuth apps: third-party apps a tenant registers, their one-time authorization codes (PKCE),
//    and the grants a user consented to; a grant's access token is an API key scoped to the
//    consented permissions, so authentication, scoping and revocation are the API keys' own.
import type { Knex } from 'knex';
import { tenantTable, WORKER_ROLE } from './helpers.js';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create policy worker_reads_installs on erp.plugin_installations for select to ${WORKER_ROLE} using (true);

    create table erp.oauth_apps (
      tenant_id uuid not null references erp.tenants(id),
      id uuid not null default gen_random_uuid(),
      client_id text not null,
      name text not null,
      redirect_uris text[] not null,
      -- The most an app may ask for; a user consents to a subset of what they hold.
      scopes text[] not null,
      created_by uuid,
      created_at timestamptz not null default now(),
      revoked_at timestamptz,
      primary key (tenant_id, id),
      -- The client id names its tenant (the token endpoint finds the tenant from it), so it is
      -- unique within the tenant like every key (tenant_id leads: ready for Citus).
      unique (tenant_id, client_id)
    );
    create table erp.oauth_codes (
      tenant_id uuid not null references erp.tenants(id),
      code_hash text not null,
      app_id uuid not null,
      user_id uuid not null,
      redirect_uri text not null,
      scopes text[] not null,
      code_challenge text not null,
      code_challenge_method text not null,
      expires_at timestamptz not null,
      primary key (tenant_id, code_hash)
    );
    create table erp.oauth_grants (
      tenant_id uuid not null references erp.tenants(id),
      id uuid not null default gen_random_uuid(),
      app_id uuid not null,
      user_id uuid not null,
      api_key_id uuid not null,
      scopes text[] not null,
      created_at timestamptz not null default now(),
      revoked_at timestamptz,
      primary key (tenant_id, id)
    );
  `);
  for (const t of ['oauth_apps', 'oauth_codes', 'oauth_grants']) await knex.raw(tenantTable(`erp.${t}`));
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    drop table if exists erp.oauth_grants, erp.oauth_codes, erp.oauth_apps;
    drop policy if exists worker_reads_installs on erp.plugin_installations;
  `);
}
