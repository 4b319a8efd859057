-- Vendor bills (issue 14): the price billed for received units, optionally in another currency at
-- a rate. Additive only: the bill's steps are landed-cost-family steps of kind 'landed-cost' with
-- `input.bill` set (0001's check on steps.kind cannot be relaxed by an additive migration, and a
-- bill is, like a landed cost, a value change against a receipt after the fact).
create table vendor_bills (
  tenant_id uuid not null default erp.current_tenant(),
  id uuid not null default gen_random_uuid(),
  -- Orders bills posted at the same instant (the step's ord).
  no bigint generated always as identity,
  reference text,
  at timestamptz not null,
  currency text,
  rate numeric check (rate > 0),
  created_by uuid,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id)
);
select erp.tenant_table('vendor_bills');

create table vendor_bill_lines (
  tenant_id uuid not null default erp.current_tenant(),
  bill_id uuid not null,
  line_no smallint not null,
  receipt_id uuid not null,
  item_id uuid not null,
  warehouse_id uuid not null,
  qty numeric,
  unit_price numeric not null check (unit_price >= 0),
  step_id uuid not null,
  primary key (tenant_id, bill_id, line_no)
);
select erp.tenant_table('vendor_bill_lines');

-- Units of a receipt billed so far (the engine's receipt record).
alter table receipt_costs add column billed_qty numeric not null default 0;

-- Cancelling a costing document (a vendor bill, a landed cost): its steps and entries are removed
-- and the valuations it touched are re-costed from their first step; the header keeps when.
alter table vendor_bills add column cancelled_at timestamptz;
alter table documents add column cancelled_at timestamptz;
