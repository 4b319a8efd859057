-- The tenant's project expenses, from project-costing's expense.recorded events (keyed by the
-- expense id: a later event for the same expense, e.g. its category set, replaces the row).
-- Expenses with a category and a description are labelled lines of the 'expense' domain; those
-- without a category are what the suggestions route categorizes.
create table expenses (
  tenant_id uuid not null default erp.current_tenant(),
  expense_id uuid not null,
  project_id uuid not null,
  description text,
  amount numeric not null,
  currency text not null,
  category text,
  incurred_on date not null,
  updated_at timestamptz not null default now(),
  primary key (tenant_id, expense_id)
);
select erp.tenant_table('expenses');
create index expenses_uncategorised on expenses (tenant_id, incurred_on) where category is null;
