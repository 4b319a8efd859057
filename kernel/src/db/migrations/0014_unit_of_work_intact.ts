// The integrity check of a unit of work that ran plugin SQL, as a statement that fails rather than
// a row to read (issue 13): sent in the same round trip as the COMMIT (and ahead of the first
// kernel statement after plugin SQL), an error aborts the transaction, so the COMMIT behind it
// rolls back instead of committing. A boolean answer would arrive only after the COMMIT had run.
// SECURITY INVOKER on purpose: current_user is the caller's role, which is what is checked.
// Executable by every role (plugin roles call it while they are the current role); it changes
// nothing and only ever tells the caller what it already is.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create function erp.assert_unit_of_work(expected_role text, tenant text) returns boolean
      language plpgsql volatile security invoker as $$
      begin
        if current_user::text = coalesce(expected_role, session_user::text)
           and coalesce(pg_catalog.current_setting('erp.tenant_id', true), '') = tenant then
          return true;
        end if;
        raise exception 'ERP_PLUGIN_INTEGRITY: the unit of work no longer runs as % for its tenant', coalesce(expected_role, session_user::text)
          using errcode = 'ER001';
      end $$;
    grant execute on function erp.assert_unit_of_work(text, text) to public;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop function if exists erp.assert_unit_of_work(text, text)');
}
