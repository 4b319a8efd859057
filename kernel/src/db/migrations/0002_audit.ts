// The audit chain (kernel/src/audit). Requests append to erp.audit_pending in their unit of work
// (one plain INSERT, no lock); the sealer moves committed rows into erp.audit_entries in commit
// order, assigning seq, prev_hash and hash under the tenant's erp.audit_heads row lock, and signs
// checkpoints into erp.audit_checkpoints. Entries and checkpoints are append-only twice over: the
// app role is granted only INSERT and SELECT, and triggers refuse UPDATE, DELETE and TRUNCATE for
// everyone (the owner included). Neither stops a superuser, which is what the hash chain, the
// signed checkpoints and the copy of the checkpoints outside the database are for.
import type { Knex } from 'knex';
import { APP_GROUP_ROLE, tenantTable } from './helpers.js';

const ENTRY_COLUMNS = `
  occurred_at timestamptz not null,
  actor_type text not null check (actor_type in ('user', 'apiKey', 'plugin', 'system', 'anonymous')),
  actor_id text check (length(actor_id) <= 200),
  actor_user_id text check (length(actor_user_id) <= 200),
  action text not null check (action ~ '^[a-z][a-z0-9-]*(\\.[a-z][a-z0-9-]*)+$' and length(action) <= 200),
  resource_type text not null check (resource_type ~ '^[a-zA-Z][a-zA-Z0-9._-]*$' and length(resource_type) <= 100),
  resource_id text check (length(resource_id) <= 200),
  request_id text check (length(request_id) <= 200),
  client_ip text check (length(client_ip) <= 100),
  -- The RFC 8785 text of the change, kept byte for byte (jsonb would reorder it).
  change json`;

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table erp.audit_pending (
      tenant_id uuid not null,
      id bigint generated always as identity,
      ${ENTRY_COLUMNS.replace('occurred_at timestamptz not null', "occurred_at timestamptz not null default date_trunc('milliseconds', now())")},
      primary key (tenant_id, id)
    );

    create table erp.audit_entries (
      tenant_id uuid not null references erp.tenants(id),
      seq bigint not null check (seq >= 1),
      ${ENTRY_COLUMNS},
      prev_hash bytea not null check (length(prev_hash) = 32),
      hash bytea not null check (length(hash) = 32),
      primary key (tenant_id, seq)
    );
    create index audit_entries_time on erp.audit_entries (tenant_id, occurred_at);
    create index audit_entries_action on erp.audit_entries (tenant_id, action text_pattern_ops);
    create index audit_entries_resource on erp.audit_entries (tenant_id, resource_type, resource_id);
    create index audit_entries_actor on erp.audit_entries (tenant_id, actor_id);

    -- The sealer's state per tenant: last seq and hash, and the Merkle tree's right edge.
    create table erp.audit_heads (
      tenant_id uuid primary key references erp.tenants(id),
      seq bigint not null default 0,
      hash bytea not null default '\\x0000000000000000000000000000000000000000000000000000000000000000',
      frontier bytea[] not null default '{}',
      checkpoint_size bigint not null default 0,
      checkpoint_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );

    create table erp.audit_checkpoints (
      tenant_id uuid not null references erp.tenants(id),
      size bigint not null check (size >= 1),
      root bytea not null check (length(root) = 32),
      head_hash bytea not null check (length(head_hash) = 32),
      key_id text not null,
      created_at timestamptz not null,
      note text not null,
      primary key (tenant_id, size)
    );

    create function erp.audit_refuse_change() returns trigger language plpgsql as $$
    begin
      raise exception 'erp audit: % on %.% is refused, the audit log is append-only',
        tg_op, tg_table_schema, tg_table_name using errcode = 'E0A01';
    end $$;
    create trigger append_only before update or delete on erp.audit_entries
      for each row execute function erp.audit_refuse_change();
    create trigger append_only_truncate before truncate on erp.audit_entries
      for each statement execute function erp.audit_refuse_change();
    create trigger append_only before update or delete on erp.audit_checkpoints
      for each row execute function erp.audit_refuse_change();
    create trigger append_only_truncate before truncate on erp.audit_checkpoints
      for each statement execute function erp.audit_refuse_change();
    -- The queue is only inserted into and drained (DELETE) by the sealer; never rewritten.
    create trigger no_update before update on erp.audit_pending
      for each row execute function erp.audit_refuse_change();
    create trigger append_only_truncate before truncate on erp.audit_pending
      for each statement execute function erp.audit_refuse_change();
  `);
  await knex.raw(tenantTable('erp.audit_pending', 'select, insert, delete'));
  await knex.raw(tenantTable('erp.audit_entries', 'select, insert'));
  await knex.raw(tenantTable('erp.audit_heads', 'select, insert, update'));
  await knex.raw(tenantTable('erp.audit_checkpoints', 'select, insert'));
  // The sealer must learn which tenants have work without reading any tenant's rows: a
  // SECURITY DEFINER function returns only tenant ids, and a policy lets its owner (the role
  // running this migration) see the two tables it scans. FORCE RLS binds the owner otherwise.
  await knex.raw(`
    do $$ begin
      execute format('create policy audit_sealer_scan on erp.audit_pending for select to %I using (true)', current_user);
      execute format('create policy audit_sealer_scan on erp.audit_heads for select to %I using (true)', current_user);
    end $$;
    create function erp.audit_tenants_due(p_entries bigint, p_seconds double precision)
      returns setof uuid language sql stable security definer set search_path = pg_catalog as $$
        select distinct tenant_id from erp.audit_pending
        union
        select tenant_id from erp.audit_heads
         where seq > checkpoint_size
           and (seq - checkpoint_size >= p_entries or checkpoint_at <= now() - make_interval(secs => p_seconds))
        -- (null arguments: only the tenants with entries waiting to be sealed)
    $$;
    revoke all on function erp.audit_tenants_due(bigint, double precision) from public;
    grant execute on function erp.audit_tenants_due(bigint, double precision) to ${APP_GROUP_ROLE};
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    drop function if exists erp.audit_tenants_due(bigint, double precision);
    drop table if exists erp.audit_checkpoints, erp.audit_heads, erp.audit_entries, erp.audit_pending;
    drop function if exists erp.audit_refuse_change();
  `);
}
