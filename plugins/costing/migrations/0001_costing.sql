-- Costing: per-item settings, one valuation per item and warehouse (the engine's state as JSON),
-- the steps fed to each valuation in ledger order, and what they produced: accounting entries and
-- the receipt and issue cost records. Money and quantities are numeric, never floating point.
-- Every table carries tenant_id, defaulted from the transaction's tenant, and is isolated by
-- erp.tenant_table().

-- How an item is valued. Without a row, the tenant's plugin settings give the defaults.
create table item_settings (
  tenant_id uuid not null default erp.current_tenant(),
  item_id uuid not null,
  method text not null check (method in ('fifo', 'lifo', 'average', 'standard')),
  standard_price numeric check (standard_price >= 0),
  -- Decimals of the currency's minor unit (2 for EUR, 0 for JPY, 3 for KWD).
  currency_decimals smallint not null default 2 check (currency_decimals between 0 and 12),
  -- null: the tenant's setting (allowNegativeStock in the plugin's configuration).
  allow_negative_stock boolean,
  updated_at timestamptz not null default now(),
  primary key (tenant_id, item_id),
  check (method <> 'standard' or standard_price is not null)
);
select erp.tenant_table('item_settings');

-- One valuation per item and warehouse (as ERPNext values stock): the engine's snapshot after the
-- last applied step, with history dropped (records live in receipt_costs / issue_costs), and the
-- settings it started from, so it can be re-costed from its first step when a move arrives late or
-- back-dated. `last_*` is the ledger position of the last applied step.
create table valuations (
  tenant_id uuid not null default erp.current_tenant(),
  item_id uuid not null,
  warehouse_id uuid not null,
  sku text,
  initial jsonb not null,
  state jsonb not null,
  last_at timestamptz,
  last_seq bigint,
  last_ord bigint,
  qty numeric not null default 0,
  value numeric not null default 0,
  waiting integer not null default 0,
  recosts integer not null default 0,
  updated_at timestamptz not null default now(),
  primary key (tenant_id, item_id, warehouse_id)
);
select erp.tenant_table('valuations');

-- Costing documents posted through this plugin's routes (moves come from the warehouses ledger).
create table documents (
  tenant_id uuid not null default erp.current_tenant(),
  id uuid not null default gen_random_uuid(),
  no bigint generated always as identity,
  kind text not null check (kind in ('landed-cost', 'revaluation', 'method-change')),
  reference text,
  at timestamptz not null,
  amount numeric,
  split text check (split in ('equal', 'quantity', 'value', 'weight', 'volume')),
  item_id uuid,
  unit_cost numeric,
  method text,
  created_by uuid,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id)
);
select erp.tenant_table('documents');

-- Every step of every valuation, in ledger order (at, seq, ord): a move has the ledger's effective
-- time and sequence number and ord 0; a costing document sorts after the moves known when it was
-- posted at its date (seq = the highest ledger sequence seen then, ord = its document number).
-- A move's step id is the ledger move id: delivering its event twice costs it once.
create table steps (
  tenant_id uuid not null default erp.current_tenant(),
  id uuid not null,
  item_id uuid not null,
  warehouse_id uuid not null,
  at timestamptz not null,
  seq bigint not null,
  ord bigint not null default 0,
  kind text not null check (kind in ('receipt', 'issue', 'customer-return', 'vendor-return',
                                     'transfer-in', 'transfer-out', 'adjustment-in', 'adjustment-out',
                                     'landed-cost', 'revaluation', 'method-change')),
  -- The warehouses document of a move, or the costing document.
  document_id uuid,
  -- The move a return, landed cost line or transfer-in refers to.
  ref uuid,
  qty numeric,
  unit_cost numeric,
  amount numeric,
  input jsonb not null default '{}',
  status text not null default 'waiting' check (status in ('applied', 'waiting')),
  -- Why a step waits: the engine's code and message (e.g. a receipt not costed yet).
  error_code text,
  error text,
  -- The unit cost a step was costed at when the engine was not given one (transfers in, returns
  -- across warehouses, adjustments and receipts without a cost).
  resolved_unit_cost numeric,
  reference text,
  partner text,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id)
);
select erp.tenant_table('steps');
create index steps_order on steps (tenant_id, item_id, warehouse_id, at, seq, ord);
create index steps_waiting on steps (tenant_id, item_id, warehouse_id) where status = 'waiting';
create index steps_ref on steps (tenant_id, ref) where ref is not null;
create index steps_document on steps (tenant_id, document_id);
create index steps_seq on steps (tenant_id, seq);

-- The engine's accounting entries, one row each. Every row balances:
--   received + landed + revaluation = cogs + variance + stock + transfer + adjustment
-- (transfer: value sent to (+) or received from (−) another warehouse of the item; adjustment:
-- value written off (+) or found (−) by adjustments and counts). Stock on hand at a date is the sum
-- of qty and stock up to it.
create table entries (
  tenant_id uuid not null default erp.current_tenant(),
  step_id uuid not null,
  n smallint not null,
  item_id uuid not null,
  warehouse_id uuid not null,
  at timestamptz not null,
  type text not null,
  ref text,
  qty numeric not null default 0,
  stock numeric not null default 0,
  received numeric not null default 0,
  landed numeric not null default 0,
  revaluation numeric not null default 0,
  cogs numeric not null default 0,
  variance numeric not null default 0,
  variance_kind text,
  transfer numeric not null default 0,
  adjustment numeric not null default 0,
  primary key (tenant_id, step_id, n),
  check (received + landed + revaluation = cogs + variance + stock + transfer + adjustment)
);
select erp.tenant_table('entries');
create index entries_valuation on entries (tenant_id, item_id, warehouse_id, at);
create index entries_ref on entries (tenant_id, ref) where ref is not null;

-- The engine's receipt records (receipts, transfers in, adjustments in): purchase value, landed
-- cost, and what went back to the vendor.
create table receipt_costs (
  tenant_id uuid not null default erp.current_tenant(),
  receipt_id uuid not null,
  item_id uuid not null,
  warehouse_id uuid not null,
  at timestamptz not null,
  qty numeric not null,
  unit_cost numeric not null,
  value numeric not null,
  landed numeric not null default 0,
  returned_qty numeric not null default 0,
  returned_value numeric not null default 0,
  primary key (tenant_id, receipt_id)
);
select erp.tenant_table('receipt_costs');
create index receipt_costs_valuation on receipt_costs (tenant_id, item_id, warehouse_id);

-- The engine's issue records (issues, transfers out, adjustments out): COGS when issued, the
-- corrections of units issued below zero, and what customers returned.
create table issue_costs (
  tenant_id uuid not null default erp.current_tenant(),
  issue_id uuid not null,
  item_id uuid not null,
  warehouse_id uuid not null,
  at timestamptz not null,
  qty numeric not null,
  cogs numeric not null,
  corrections jsonb not null default '[]',
  corrected numeric not null default 0,
  pending_qty numeric not null default 0,
  returned_qty numeric not null default 0,
  returned_value numeric not null default 0,
  primary key (tenant_id, issue_id)
);
select erp.tenant_table('issue_costs');
create index issue_costs_valuation on issue_costs (tenant_id, item_id, warehouse_id);

-- Landed cost lines as allocated: the share of each receipt line and where it went.
create table landed_cost_lines (
  tenant_id uuid not null default erp.current_tenant(),
  landed_cost_id uuid not null,
  line_no smallint not null,
  receipt_id uuid not null,
  item_id uuid not null,
  warehouse_id uuid not null,
  weight numeric,
  volume numeric,
  share numeric not null,
  step_id uuid,
  primary key (tenant_id, landed_cost_id, line_no)
);
select erp.tenant_table('landed_cost_lines');

create function iso(t timestamptz) returns text language sql immutable strict as $$
  select to_char(t at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
$$;
