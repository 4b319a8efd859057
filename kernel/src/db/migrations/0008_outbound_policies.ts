// A tenant's outbound allowance: the non-public addresses (CIDR ranges or single addresses) its
// plugins' ctx.http.fetch may reach, e.g. an on-premises system. Empty, or no row: public only.
import type { Knex } from 'knex';
import { tenantTable } from './helpers.js';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table erp.outbound_policies (
      tenant_id uuid primary key references erp.tenants (id),
      allow_private text[] not null default '{}',
      updated_at timestamptz not null default now(),
      updated_by uuid
    );
    ${tenantTable('erp.outbound_policies', 'select, insert, update')}
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table if exists erp.outbound_policies');
}
