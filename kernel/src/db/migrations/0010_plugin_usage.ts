// Metered plugin usage per tenant, plugin and hour (issue 11): what quotas are checked against and
// what administrators read. Every instance adds its counts (upsert with addition), so the row is
// the tenant's total across instances; the tenant's own rows only (forced RLS).
import type { Knex } from 'knex';
import { tenantTable } from './helpers.js';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table erp.plugin_usage (
      tenant_id uuid not null references erp.tenants (id),
      plugin_id text not null,
      hour timestamptz not null,
      invocations bigint not null default 0,
      failures bigint not null default 0,
      cpu_ms double precision not null default 0,
      db_ms double precision not null default 0,
      db_rows bigint not null default 0,
      events bigint not null default 0,
      http_requests bigint not null default 0,
      http_bytes bigint not null default 0,
      primary key (tenant_id, plugin_id, hour)
    );
    ${tenantTable('erp.plugin_usage', 'select, insert, update')}
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table if exists erp.plugin_usage');
}
