// The marketplace in the kernel: what each tenant's installation came from (registry artifact
// integrity, the publisher key that signed it, the consent it answers, the runtime the tenant's
// trust policy chose, a pin), each tenant's trust policy, and the global list of registry artifacts
// installed anywhere, so every instance fetches the same bytes (by integrity) when it lacks them.
import type { Knex } from 'knex';
import { APP_GROUP_ROLE, tenantTable } from './helpers.js';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table erp.plugin_installations
      add column source text not null default 'path' check (source in ('path', 'registry')),
      add column runtime text not null default 'in-process' check (runtime in ('in-process', 'sandbox')),
      add column integrity text,
      add column keyid text,
      add column consent_hash text,
      add column pinned boolean not null default false,
      add column previous_source text check (previous_source in ('path', 'registry')),
      add column previous_runtime text check (previous_runtime in ('in-process', 'sandbox')),
      add column previous_integrity text,
      add column previous_keyid text,
      add column previous_consent_hash text;

    create table erp.plugin_trust_policies (
      tenant_id uuid primary key references erp.tenants (id),
      trusted_publishers text[] not null default '{}',
      allow_unsigned boolean not null default false,
      allow_unknown_publishers boolean not null default false,
      updated_at timestamptz not null default now(),
      updated_by uuid
    );
    ${tenantTable('erp.plugin_trust_policies', 'select, insert, update')}

    -- Global, not tenant-owned: a registry release is the same bytes for everyone. No tenant id, so
    -- a tenant learns nothing about others beyond public registry data.
    create table erp.plugin_artifacts (
      package text not null,
      version text not null,
      integrity text not null,
      first_installed_at timestamptz not null default now(),
      primary key (package, version, integrity)
    );
    grant select, insert on erp.plugin_artifacts to ${APP_GROUP_ROLE};
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    drop table if exists erp.plugin_artifacts, erp.plugin_trust_policies;
    alter table erp.plugin_installations
      drop column source, drop column runtime, drop column integrity, drop column keyid,
      drop column consent_hash, drop column pinned, drop column previous_source,
      drop column previous_runtime, drop column previous_integrity, drop column previous_keyid,
      drop column previous_consent_hash;
  `);
}
