-- Expense category suggestions a user dismissed: hidden from GET /expenses/suggestions from then
-- on. Nothing else changes: the expense stays uncategorised in project-costing, where a user may
-- still set its category (it then comes back by event as a labelled line, as any other).
create table expense_dismissals (
  tenant_id uuid not null default erp.current_tenant(),
  expense_id uuid not null,
  dismissed_by uuid,
  dismissed_at timestamptz not null default now(),
  primary key (tenant_id, expense_id),
  foreign key (tenant_id, expense_id) references expenses (tenant_id, expense_id)
);
select erp.tenant_table('expense_dismissals');
