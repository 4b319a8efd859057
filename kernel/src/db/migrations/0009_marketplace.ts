// The marketplace in the kernel: what each tenant's installation came from (registry artifact
// integrity, the publisher key that signed it, the consent it answers, the runtime the tenant's
// trust policy chose, a pin), and each tenant's trust policy. The integrity is also what every other
// instance fetches the release by when it lacks it.
import type { Knex } from 'knex';
import { tenantTable } from './helpers.js';

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
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    drop table if exists erp.plugin_trust_policies;
    alter table erp.plugin_installations
      drop column source, drop column runtime, drop column integrity, drop column keyid,
      drop column consent_hash, drop column pinned, drop column previous_source,
      drop column previous_runtime, drop column previous_integrity, drop column previous_keyid,
      drop column previous_consent_hash;
  `);
}
