// Kernel tables: tenants, users, roles, assignments, sessions, refresh tokens, API keys.
// Every tenant-owned table has tenant_id leading its keys, and forced RLS with USING and WITH CHECK
// against erp.current_tenant(), so a transaction without a tenant context reads and writes nothing.
import type { Knex } from 'knex';
import { APP_GROUP_ROLE, tenantTable } from './helpers.js';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create schema if not exists erp;
    revoke all on schema erp from public;
    grant usage on schema erp to ${APP_GROUP_ROLE};

    -- NULLIF: an unset or empty setting means "no tenant", and comparisons with NULL match nothing.
    create or replace function erp.current_tenant() returns uuid
      language sql stable parallel safe
      as $$ select nullif(current_setting('erp.tenant_id', true), '')::uuid $$;
    grant execute on function erp.current_tenant() to ${APP_GROUP_ROLE};

    -- The tenant directory: slug -> id is what login needs before any tenant context exists, so
    -- every session may read it; only the tenant itself may change its row; creation is the owner's.
    create table erp.tenants (
      id uuid primary key default gen_random_uuid(),
      slug text not null unique check (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
      name text not null check (length(name) between 1 and 200),
      status text not null default 'active' check (status in ('active', 'suspended')),
      created_at timestamptz not null default now()
    );
    alter table erp.tenants enable row level security;
    alter table erp.tenants force row level security;
    create policy tenants_directory on erp.tenants for select using (true);
    create policy tenants_self_update on erp.tenants for update
      using (id = erp.current_tenant()) with check (id = erp.current_tenant());
    -- Creation (owner only, no grant to the app) still names the new tenant as its context first.
    create policy tenants_create on erp.tenants for insert with check (id = erp.current_tenant());
    grant select, update (name) on erp.tenants to ${APP_GROUP_ROLE};

    create table erp.users (
      tenant_id uuid not null references erp.tenants(id),
      id uuid not null default gen_random_uuid(),
      email text not null check (email = lower(email) and length(email) between 3 and 254),
      display_name text not null default '',
      password_hash text not null,
      status text not null default 'active' check (status in ('active', 'disabled')),
      failed_logins integer not null default 0,
      locked_until timestamptz,
      totp_secret_enc text,
      totp_enabled boolean not null default false,
      totp_last_step bigint,
      password_changed_at timestamptz not null default now(),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (tenant_id, id),
      unique (tenant_id, email)
    );

    create table erp.roles (
      tenant_id uuid not null references erp.tenants(id),
      id uuid not null default gen_random_uuid(),
      name text not null check (length(name) between 1 and 100),
      description text not null default '',
      permissions text[] not null default '{}',
      builtin boolean not null default false,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (tenant_id, id),
      unique (tenant_id, name)
    );

    create table erp.user_roles (
      tenant_id uuid not null,
      user_id uuid not null,
      role_id uuid not null,
      granted_at timestamptz not null default now(),
      granted_by uuid,
      primary key (tenant_id, user_id, role_id),
      foreign key (tenant_id, user_id) references erp.users (tenant_id, id) on delete cascade,
      foreign key (tenant_id, role_id) references erp.roles (tenant_id, id) on delete cascade
    );

    -- A session is one refresh-token family; access tokens carry its id (sid) so that logout and
    -- reuse detection revoke every token of the family.
    create table erp.sessions (
      tenant_id uuid not null,
      id uuid not null default gen_random_uuid(),
      user_id uuid not null,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      revoked_at timestamptz,
      revoked_reason text,
      user_agent text,
      ip text,
      primary key (tenant_id, id),
      foreign key (tenant_id, user_id) references erp.users (tenant_id, id) on delete cascade
    );

    create table erp.refresh_tokens (
      tenant_id uuid not null,
      id uuid not null default gen_random_uuid(),
      session_id uuid not null,
      token_hash bytea not null,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      used_at timestamptz,
      primary key (tenant_id, id),
      foreign key (tenant_id, session_id) references erp.sessions (tenant_id, id) on delete cascade
    );

    create table erp.api_keys (
      tenant_id uuid not null,
      id uuid not null default gen_random_uuid(),
      name text not null check (length(name) between 1 and 100),
      key_hash bytea not null,
      hint text not null,
      permissions text[] not null,
      created_by uuid,
      created_at timestamptz not null default now(),
      expires_at timestamptz,
      revoked_at timestamptz,
      rotated_at timestamptz,
      last_used_at timestamptz,
      primary key (tenant_id, id),
      foreign key (tenant_id) references erp.tenants (id)
    );
    create index on erp.sessions (tenant_id, user_id);
    create index on erp.refresh_tokens (tenant_id, session_id);
  `);
  for (const table of ['users', 'roles', 'user_roles', 'sessions', 'refresh_tokens', 'api_keys']) {
    await knex.raw(tenantTable(`erp.${table}`));
  }
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop schema if exists erp cascade');
}
