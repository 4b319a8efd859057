// Credential hardening (kernel/src/auth): the shared attempt counters behind the login, step-up,
// refresh-token and API-key throttles (one table for every instance, keyed by a hash so no email
// or address is stored), single-use MFA recovery codes and password-reset tokens (both stored as
// SHA-256 of a random secret), and the last time each session was used.
import type { Knex } from 'knex';
import { APP_GROUP_ROLE, tenantTable } from './helpers.js';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    -- The layout rate-limiter-flexible's Postgres store expects. Keys span tenants (an unknown
    -- tenant is throttled like a known one), so the table is not tenant-owned; it holds only
    -- hashed keys, counters and expiry times.
    create table erp.auth_throttle (
      key varchar(255) primary key,
      points integer not null default 0,
      expire bigint
    );
    grant select, insert, update, delete on erp.auth_throttle to ${APP_GROUP_ROLE};

    create table erp.mfa_recovery_codes (
      tenant_id uuid not null,
      id uuid not null default gen_random_uuid(),
      user_id uuid not null,
      code_hash bytea not null,
      created_at timestamptz not null default now(),
      used_at timestamptz,
      primary key (tenant_id, id),
      foreign key (tenant_id, user_id) references erp.users (tenant_id, id) on delete cascade
    );
    create index on erp.mfa_recovery_codes (tenant_id, user_id);
    ${tenantTable('erp.mfa_recovery_codes')}

    create table erp.password_resets (
      tenant_id uuid not null,
      id uuid not null default gen_random_uuid(),
      user_id uuid not null,
      token_hash bytea not null,
      requested_ip text,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      used_at timestamptz,
      primary key (tenant_id, id),
      foreign key (tenant_id, user_id) references erp.users (tenant_id, id) on delete cascade
    );
    create index on erp.password_resets (tenant_id, user_id);
    ${tenantTable('erp.password_resets')}

    alter table erp.sessions add column last_used_at timestamptz;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table erp.sessions drop column if exists last_used_at;
    drop table if exists erp.password_resets, erp.mfa_recovery_codes, erp.auth_throttle;
  `);
}
