// The W3C traceparent of the span that wrote an event or enqueued a job, stored with its outbox or
// job row: the trace goes through the database (and the bus, in the envelope) so a subscriber's or
// a job's span is a child of the request that caused it. Null when tracing is off or the write
// happened outside a trace.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table erp.event_outbox add column trace_context text;
    alter table erp.jobs add column trace_context text;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table erp.event_outbox drop column if exists trace_context;
    alter table erp.jobs drop column if exists trace_context;
  `);
}
