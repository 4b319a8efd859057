// Catch-all event subscriptions (subject '*', issue 16): the embedded bus's router fans an event out
// to a catch-all subscriber only when the event's tenant runs the subscriber's plugin, so it reads
// erp.plugin_installations across tenants on the worker login. Read only: installs stay the
// tenants' own writes.
import type { Knex } from 'knex';
import { WORKER_ROLE } from './helpers.js';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create policy worker_reads_installs on erp.plugin_installations for select to ${WORKER_ROLE} using (true);
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop policy if exists worker_reads_installs on erp.plugin_installations;');
}
