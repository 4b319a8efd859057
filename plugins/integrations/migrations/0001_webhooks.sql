-- Webhooks: a tenant's endpoints, their signing secrets (several live at once while a rotation
-- overlaps), one delivery per (endpoint, event) and the log of every attempt. Every table carries
-- tenant_id, defaulted from the transaction's tenant, and is isolated by erp.tenant_table().

create table endpoints (
  tenant_id uuid not null default erp.current_tenant(),
  id uuid not null default gen_random_uuid(),
  url text not null,
  description text not null default '',
  -- Event type patterns: `warehouses.stock.*`, `*`; `*` matches one or more characters.
  patterns text[] not null,
  -- Deliver strictly one after the other in event order (a failing event holds back the rest).
  ordered boolean not null default false,
  enabled boolean not null default true,
  disabled_reason text,
  -- Failed attempts since the last success: past the tenant's limit the endpoint is disabled.
  failure_streak integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id)
);
select erp.tenant_table('endpoints');

create table endpoint_secrets (
  tenant_id uuid not null default erp.current_tenant(),
  id uuid not null default gen_random_uuid(),
  endpoint_id uuid not null,
  secret text not null check (secret like 'whsec_%'),
  created_at timestamptz not null default now(),
  -- Null while current; a rotated-out secret signs until this instant (the overlap), then not.
  expires_at timestamptz,
  primary key (tenant_id, id),
  foreign key (tenant_id, endpoint_id) references endpoints (tenant_id, id) on delete cascade
);
select erp.tenant_table('endpoint_secrets');
create index endpoint_secrets_endpoint on endpoint_secrets (tenant_id, endpoint_id);

create table deliveries (
  tenant_id uuid not null default erp.current_tenant(),
  id bigint generated always as identity,
  endpoint_id uuid not null,
  -- The webhook-id header: the event id, the same on every attempt and replay (receivers dedupe).
  message_id text not null,
  event_id uuid not null,
  event_type text not null,
  -- The kernel's publication order: ordered endpoints send in this order.
  event_seq bigint not null,
  body text not null,
  status text not null default 'pending' check (status in ('pending', 'delivered', 'dead')),
  attempts integer not null default 0,
  -- Replays start a new round; the log keeps every round's attempts.
  round integer not null default 1,
  next_attempt_at timestamptz not null default now(),
  last_error text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, endpoint_id, event_id),
  foreign key (tenant_id, endpoint_id) references endpoints (tenant_id, id) on delete cascade
);
select erp.tenant_table('deliveries');
create index deliveries_due on deliveries (tenant_id, endpoint_id, status, event_seq);
create index deliveries_created on deliveries (tenant_id, endpoint_id, created_at);

create table delivery_attempts (
  tenant_id uuid not null default erp.current_tenant(),
  id bigint generated always as identity,
  delivery_id bigint not null,
  round integer not null,
  attempt integer not null,
  request_headers jsonb not null,
  -- Null when no answer came (refused address, timeout, connection error).
  status integer,
  latency_ms integer not null,
  response_excerpt text,
  error text,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, delivery_id) references deliveries (tenant_id, id) on delete cascade
);
select erp.tenant_table('delivery_attempts');
create index delivery_attempts_delivery on delivery_attempts (tenant_id, delivery_id);

create function iso(t timestamptz) returns text language sql immutable strict as $$
  select to_char(t at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
$$;
