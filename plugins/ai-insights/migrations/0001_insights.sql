-- AI insights: the tenant's own copy of the stock history it learns from (fed by the warehouses
-- events, never read from another plugin's tables), the models trained on it with their version,
-- training window and metrics, the predictions each model version made, and reorder suggestions
-- awaiting a decision. Every table carries tenant_id, defaulted from the transaction's tenant, and
-- is isolated by erp.tenant_table(): one tenant's rows can neither train nor be read by another.

-- One row per warehouses move (keyed by the move id, so a twice-delivered event counts once).
-- qty is signed: receipts and gains positive, issues and losses negative. demand marks the moves
-- that are demand (issues to customers; not vendor returns, losses or transfers).
create table moves (
  tenant_id uuid not null default erp.current_tenant(),
  move_id uuid not null,
  item_id uuid not null,
  warehouse_id uuid not null,
  sku text,
  kind text not null,
  qty numeric not null,
  demand boolean not null default false,
  unit_cost numeric,
  partner text,
  -- A reversing move (warehouses.stock.cancelled) names the move it cancels; a cancelled issue is
  -- no longer demand, whichever of the two events arrived first.
  cancels_move_id uuid,
  effective_at timestamptz not null,
  received_at timestamptz not null default now(),
  primary key (tenant_id, move_id)
);
select erp.tenant_table('moves');
create index moves_series on moves (tenant_id, item_id, warehouse_id, effective_at);
create index moves_cancels on moves (tenant_id, cancels_move_id) where cancels_move_id is not null;

-- A trained forecasting model for one item in one warehouse. version counts per series; metrics
-- hold the backtest's MASE/MAPE and the baselines'; drift compares the previous version's
-- predictions with what then happened.
create table models (
  tenant_id uuid not null default erp.current_tenant(),
  id uuid not null default gen_random_uuid(),
  item_id uuid not null,
  warehouse_id uuid not null,
  version integer not null,
  status text not null check (status in ('ok', 'insufficient-history')),
  model text,
  params jsonb not null default '{}',
  period text not null check (period in ('day', 'week', 'month')),
  season_length integer not null,
  trained_from date,
  trained_to date,
  history_periods integer not null,
  metrics jsonb,
  drift jsonb,
  explanation text not null,
  trained_by text not null,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, item_id, warehouse_id, version)
);
select erp.tenant_table('models');

-- What a model version predicted, per future period, with its interval.
create table predictions (
  tenant_id uuid not null default erp.current_tenant(),
  model_id uuid not null,
  model_version integer not null,
  item_id uuid not null,
  warehouse_id uuid not null,
  period_start date not null,
  horizon integer not null,
  point numeric not null,
  lower numeric not null,
  upper numeric not null,
  sigma numeric not null,
  level numeric not null,
  primary key (tenant_id, model_id, horizon)
);
select erp.tenant_table('predictions');
create index predictions_series on predictions (tenant_id, item_id, warehouse_id, period_start);

-- A reorder suggestion from one model version; applied to warehouses only when a user accepts.
create table suggestions (
  tenant_id uuid not null default erp.current_tenant(),
  id uuid not null default gen_random_uuid(),
  item_id uuid not null,
  warehouse_id uuid not null,
  model_id uuid not null,
  model_version integer not null,
  service_level numeric not null,
  lead_time numeric not null,
  on_hand numeric not null,
  lead_time_demand numeric not null,
  safety_stock numeric not null,
  reorder_point numeric not null,
  order_qty numeric not null,
  explanation text not null,
  status text not null default 'open' check (status in ('open', 'accepted', 'dismissed')),
  decided_by uuid,
  decided_at timestamptz,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id)
);
select erp.tenant_table('suggestions');
