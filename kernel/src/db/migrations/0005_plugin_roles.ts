// Defence in Postgres for plugin roles (issues 9 and 20), on top of the parser guard:
//
// 1. Functions no plugin role may execute: set_config (it changes role, tenant and search path),
//    pg_notify, advisory locks, large objects, sleeping and signalling backends. EXECUTE is
//    revoked from PUBLIC and granted back to the kernel's roles only (the worker login is a member
//    of the app group). File reads (pg_read_file, pg_ls_dir…) and lo_import/lo_export are
//    superuser-only already; dblink is not installed. Function privileges live in each database,
//    and revoking a pg_catalog function's EXECUTE needs its owner: the kernel's owner must be the
//    bootstrap superuser for this to bite (otherwise the migration warns and the parser guard
//    stands alone: a managed database's owner role is no superuser).
// 2. The worker scope is a login role of its own, not a setting: the queue tables' worker_scope
//    policies (migration 0003, any session that set erp.scope = 'worker') are replaced by policies
//    for erp_kernel_worker, the role the background workers' pool logs in as.
// 3. Plugin migrations log in as the plugin's migration role; they record themselves through
//    erp.record_plugin_migration, which names the plugin from the session's login, not an argument.
import type { Knex } from 'knex';
import { APP_GROUP_ROLE, WORKER_ROLE } from './helpers.js';

const QUEUE_TABLES = ['event_outbox', 'event_deliveries', 'event_inbox', 'event_dead_letters', 'jobs'];

/** pg_catalog functions kept from PUBLIC (and so from every plugin role). */
export const KERNEL_ONLY_FUNCTIONS_SQL = `
  select p.oid::regprocedure as fn
    from pg_proc p
   where p.pronamespace = 'pg_catalog'::regnamespace
     and (p.proname in ('set_config', 'pg_notify', 'pg_sleep', 'pg_sleep_for', 'pg_sleep_until',
                        'pg_terminate_backend', 'pg_cancel_backend', 'loread', 'lowrite')
          or p.proname like 'pg\\_advisory\\_%'
          or p.proname like 'pg\\_try\\_advisory\\_%'
          or p.proname like 'lo\\_%')`;

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    do $$
    declare f regprocedure;
    begin
      -- Only the functions' owner (the bootstrap superuser) may revoke; a managed database's owner
      -- role is not one, and there the parser guard stands alone (said once, not per function).
      if not (select rolsuper from pg_roles where rolname = current_user) then
        raise warning 'the kernel''s owner is not a superuser: EXECUTE on set_config and the other '
          'kernel-only functions stays granted to PUBLIC; plugin SQL is held by the parser guard alone';
        return;
      end if;
      for f in ${KERNEL_ONLY_FUNCTIONS_SQL} loop
        execute format('revoke execute on function %s from public', f);
        execute format('grant execute on function %s to ${APP_GROUP_ROLE}', f);
      end loop;
    end $$;
  `);
  for (const table of QUEUE_TABLES) {
    await knex.raw(`
      drop policy if exists worker_scope on erp.${table};
      create policy worker_queue on erp.${table} to ${WORKER_ROLE} using (true) with check (true);
    `);
  }
  await knex.raw(`
    -- The plugin id is the login's: erp_pm_<id with dashes as underscores>. Only that plugin's
    -- migration role may call it (granted when the plugin is provisioned).
    create function erp.record_plugin_migration(name text, checksum text, version text) returns void
      language plpgsql security definer set search_path = pg_catalog, erp as $$
      begin
        if session_user::text not like 'erp\\_pm\\_%' then
          raise exception 'record_plugin_migration: % is not a plugin migration login', session_user
            using errcode = 'insufficient_privilege';
        end if;
        insert into erp.plugin_migrations (plugin_id, name, checksum, version)
        values (replace(substr(session_user::text, 8), '_', '-'), name, checksum, version);
      end $$;
    revoke all on function erp.record_plugin_migration(text, text, text) from public;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop function if exists erp.record_plugin_migration(text, text, text)');
  for (const table of QUEUE_TABLES) {
    await knex.raw(`
      drop policy if exists worker_queue on erp.${table};
      create policy worker_scope on erp.${table} to ${APP_GROUP_ROLE}
        using (current_setting('erp.scope', true) = 'worker')
        with check (current_setting('erp.scope', true) = 'worker');
    `);
  }
  await knex.raw(`
    do $$
    declare f regprocedure;
    begin
      for f in ${KERNEL_ONLY_FUNCTIONS_SQL} loop
        execute format('grant execute on function %s to public', f);
      end loop;
    end $$;
  `);
}
