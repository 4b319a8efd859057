// The sealer's sweep (erp.audit_tenants_due, security definer) reads audit_pending and audit_heads
// across tenants as the kernel's owner. Those tables force row-level security, which binds their
// owner too unless it is a superuser: on a managed database (owner role without superuser) the
// sweep found nothing, so entries an instance committed and did not seal before it stopped, and
// checkpoints due by time, waited forever. The owner may read them whole (it could lift RLS on
// its own tables anyway); nobody else gains anything.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    do $$
    begin
      execute format('create policy owner_sweep on erp.audit_pending for select to %I using (true)', current_user);
      execute format('create policy owner_sweep on erp.audit_heads for select to %I using (true)', current_user);
    end $$;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    drop policy if exists owner_sweep on erp.audit_pending;
    drop policy if exists owner_sweep on erp.audit_heads;
  `);
}
