-- Issue 14. Moves the warehouses ledger cancelled (stock.cancelled): their steps are removed and
-- the valuation re-costed; a late first delivery of a cancelled move's own event must not bring
-- its step back, so the cancellation is kept here. And what has been announced of each issue's
-- cost (costing.issue.costed / .recosted), so a change is announced once as a delta.
create table cancelled_moves (
  tenant_id uuid not null default erp.current_tenant(),
  move_id uuid not null,
  cancel_move_id uuid not null,
  cancelled_at timestamptz not null default now(),
  primary key (tenant_id, move_id)
);
select erp.tenant_table('cancelled_moves');

create table issue_announcements (
  tenant_id uuid not null default erp.current_tenant(),
  issue_id uuid not null,
  item_id uuid not null,
  warehouse_id uuid not null,
  project_id uuid,
  at timestamptz not null,
  amount numeric not null,
  primary key (tenant_id, issue_id)
);
select erp.tenant_table('issue_announcements');
create index issue_announcements_valuation on issue_announcements (tenant_id, item_id, warehouse_id);
