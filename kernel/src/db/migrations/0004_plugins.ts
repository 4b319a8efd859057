// Plugin host tables: which plugin version each tenant runs (tenant-owned), the lifecycle history,
// and the global record of applied plugin migrations (owner only: schema changes are global).
import type { Knex } from 'knex';
import { APP_GROUP_ROLE, tenantTable } from './helpers.js';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table erp.plugin_installations (
      tenant_id uuid not null references erp.tenants(id),
      plugin_id text not null,
      package text not null,
      version text not null,
      previous_version text,
      status text not null default 'enabled' check (status in ('enabled', 'disabled')),
      config jsonb not null default '{}',
      installed_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (tenant_id, plugin_id)
    );

    create table erp.plugin_history (
      tenant_id uuid not null references erp.tenants(id),
      id uuid not null default gen_random_uuid(),
      plugin_id text not null,
      action text not null check (action in ('install', 'upgrade', 'rollback', 'enable', 'disable', 'uninstall', 'configure')),
      from_version text,
      to_version text,
      actor uuid,
      detail jsonb not null default '{}',
      at timestamptz not null default now(),
      primary key (tenant_id, id)
    );
    create index on erp.plugin_history (tenant_id, plugin_id, at);

    -- Global, not tenant-owned: a plugin's schema is shared by its tenants (rows carry tenant_id).
    create table erp.plugin_migrations (
      plugin_id text not null,
      name text not null,
      checksum text not null,
      version text not null,
      applied_at timestamptz not null default now(),
      primary key (plugin_id, name)
    );
    revoke all on erp.plugin_migrations from public;

    -- Called by plugin migrations on their own tables: forced RLS on tenant_id, USING and WITH CHECK.
    -- SECURITY INVOKER: it runs as the plugin's migration role, which owns the table.
    create or replace function erp.tenant_table(tbl regclass) returns void
      language plpgsql security invoker as $$
      begin
        execute format('alter table %s enable row level security', tbl);
        execute format('alter table %s force row level security', tbl);
        execute format('create policy tenant_isolation on %s using (tenant_id = erp.current_tenant()) '
                       'with check (tenant_id = erp.current_tenant())', tbl);
      end $$;
  `);
  await knex.raw(tenantTable('erp.plugin_installations'));
  await knex.raw(tenantTable('erp.plugin_history', 'select, insert'));
  await knex.raw(`grant usage on schema erp to ${APP_GROUP_ROLE}`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    drop function if exists erp.tenant_table(regclass);
    drop table if exists erp.plugin_migrations, erp.plugin_history, erp.plugin_installations;
  `);
}
