// The event bus and jobs live in Postgres so that publishing an event and enqueueing a job are part
// of the caller's unit of work (DESIGN decisions 3, 5, 6).
//
// Tenant-owned rows get the usual forced RLS. The background workers (relay, dispatcher, job
// claimer, scheduler) must see every tenant's queue rows, so those tables also admit the app role
// when the transaction sets erp.scope = 'worker' (WorkerTx). Plugins never hold grants on these
// tables, so the scope gives them nothing; handlers themselves always run in a tenant transaction.
// Replaced in 0005: the worker scope is now the erp_kernel_worker login, not a setting.
import type { Knex } from 'knex';
import { APP_GROUP_ROLE, tenantTable } from './helpers.js';

const workerPolicy = (table: string) => `
  create policy worker_scope on ${table} to ${APP_GROUP_ROLE}
    using (current_setting('erp.scope', true) = 'worker')
    with check (current_setting('erp.scope', true) = 'worker');
`;

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    -- Every event, written in the unit of work that caused it. id is the event id and the JetStream
    -- message id (the server drops duplicates of a relayed row); seq orders a tenant's events for
    -- replay. Rows are kept for the retention period after they are relayed.
    create table erp.event_outbox (
      tenant_id uuid not null references erp.tenants(id),
      id uuid not null default gen_random_uuid(),
      seq bigint generated always as identity,
      subject text not null,
      payload jsonb not null,
      created_at timestamptz not null default now(),
      relayed_at timestamptz,
      primary key (tenant_id, id),
      unique (seq)
    );
    create index event_outbox_unrelayed on erp.event_outbox (seq) where relayed_at is null;
    create index event_outbox_tenant_seq on erp.event_outbox (tenant_id, seq);
    create index event_outbox_created on erp.event_outbox (created_at);

    -- Durable subscriptions (plugin, subscription) and the one subject each listens to. The embedded
    -- bus fans events out to these rows, so a subscriber whose instance is down still gets them.
    create table erp.event_subscribers (
      key text primary key,
      plugin text not null,
      subscription text not null,
      subject text not null,
      created_at timestamptz not null default now(),
      seen_at timestamptz not null default now()
    );
    create index event_subscribers_subject on erp.event_subscribers (subject);

    -- The Postgres delivery queue: the embedded bus's fan-out, and in both modes the targeted
    -- deliveries of replays. next_attempt_at doubles as the lease: claiming pushes it into the
    -- future, so a delivery held by an instance that died is due again when the lease ends.
    create table erp.event_deliveries (
      tenant_id uuid not null,
      id bigint generated always as identity,
      subscriber text not null,
      event_id uuid not null,
      replay text not null default '',
      attempts integer not null default 0,
      next_attempt_at timestamptz not null default now(),
      last_error text,
      created_at timestamptz not null default now(),
      primary key (tenant_id, id),
      foreign key (tenant_id, event_id) references erp.event_outbox (tenant_id, id)
    );
    create index event_deliveries_due on erp.event_deliveries (next_attempt_at, subscriber);
    create index event_deliveries_event on erp.event_deliveries (tenant_id, event_id);

    -- Exactly-once effects: a handler's transaction first inserts its row here; a second delivery
    -- of the same event (bus redelivery, a lease that ran out) finds it and does nothing. A replay
    -- has its own id in replay, so replaying runs the handler again, once per replay.
    create table erp.event_inbox (
      tenant_id uuid not null,
      subscriber text not null,
      event_id uuid not null,
      replay text not null default '',
      handled_at timestamptz not null default now(),
      primary key (tenant_id, subscriber, event_id, replay)
    );
    create index event_inbox_handled on erp.event_inbox (handled_at);

    -- Deliveries that failed their last try, for admins to inspect and replay.
    create table erp.event_dead_letters (
      tenant_id uuid not null,
      id uuid not null default gen_random_uuid(),
      subscriber text not null,
      event_id uuid not null,
      replay text not null default '',
      attempts integer not null,
      error text not null,
      failed_at timestamptz not null default now(),
      replayed_at timestamptz,
      primary key (tenant_id, id),
      unique (tenant_id, subscriber, event_id, replay),
      foreign key (tenant_id, event_id) references erp.event_outbox (tenant_id, id)
    );

    -- Jobs. As with deliveries, run_at doubles as the lease of a claimed job; lease is the claim's
    -- fencing token, so an instance whose lease ran out can neither complete nor fail the job.
    create table erp.jobs (
      tenant_id uuid not null references erp.tenants(id),
      id uuid not null default gen_random_uuid(),
      plugin text not null,
      name text not null,
      payload jsonb not null default '{}',
      status text not null default 'queued' check (status in ('queued', 'failed')),
      attempts integer not null default 0,
      max_attempts integer not null check (max_attempts between 1 and 100),
      run_at timestamptz not null default now(),
      lease uuid,
      last_error text,
      period timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (tenant_id, id)
    );
    create index jobs_due on erp.jobs (run_at) where status = 'queued';
    create index jobs_failed on erp.jobs (tenant_id, updated_at) where status = 'failed';

    -- One row per cron period that fired: the primary key is what makes a period fire once across
    -- every instance.
    create table erp.job_ticks (
      schedule text not null,
      period timestamptz not null,
      fired_at timestamptz not null default now(),
      primary key (schedule, period)
    );
    grant select, insert, update, delete on erp.event_subscribers, erp.job_ticks to ${APP_GROUP_ROLE};
  `);
  for (const table of ['event_outbox', 'event_deliveries', 'event_inbox', 'event_dead_letters', 'jobs']) {
    await knex.raw(tenantTable(`erp.${table}`));
  }
  for (const table of ['event_outbox', 'event_deliveries', 'event_inbox', 'event_dead_letters', 'jobs']) {
    await knex.raw(workerPolicy(`erp.${table}`));
  }
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    drop table if exists erp.job_ticks, erp.jobs, erp.event_dead_letters, erp.event_inbox,
      erp.event_deliveries, erp.event_subscribers, erp.event_outbox;
  `);
}
