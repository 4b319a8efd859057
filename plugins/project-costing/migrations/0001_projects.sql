-- Project costing: projects and their activities (the earned-value baseline) with progress reports,
-- budgets by cost category and period revised by change orders, milestones, cost rates per person
-- or role, exchange rates per date, and the actual costs booked to projects (approved time, expenses,
-- stock issued). Money is numeric, never floating point. Every table carries tenant_id, defaulted
-- from the transaction's tenant, and is isolated by erp.tenant_table().

create table projects (
  tenant_id uuid not null default erp.current_tenant(),
  id uuid not null default gen_random_uuid(),
  code text not null,
  name text not null,
  client text,
  status text not null default 'planned' check (status in ('planned', 'active', 'closed')),
  billing text not null check (billing in ('fixed-price', 'time-and-materials')),
  currency text not null,
  -- Fixed price: the price; time and materials: the not-to-exceed amount. Change orders move it.
  contract_value numeric not null default 0,
  starts_on date not null,
  ends_on date not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, code),
  check (ends_on >= starts_on)
);
select erp.tenant_table('projects');

-- An activity of the baseline: planned cost spread over its working days (PV).
create table activities (
  tenant_id uuid not null default erp.current_tenant(),
  id uuid not null default gen_random_uuid(),
  project_id uuid not null,
  code text not null,
  name text not null,
  starts_on date not null,
  ends_on date not null,
  planned_cost numeric not null check (planned_cost >= 0),
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, project_id, code),
  foreign key (tenant_id, project_id) references projects (tenant_id, id)
);
select erp.tenant_table('activities');

-- Percent complete as reported on a date; the latest on or before a status date gives EV.
create table progress (
  tenant_id uuid not null default erp.current_tenant(),
  activity_id uuid not null,
  as_of date not null,
  percent numeric not null check (percent between 0 and 100),
  reported_by uuid,
  reported_at timestamptz not null default now(),
  primary key (tenant_id, activity_id, as_of),
  foreign key (tenant_id, activity_id) references activities (tenant_id, id)
);
select erp.tenant_table('progress');

-- The original budget by cost category and period (YYYY-MM), in the project's currency.
create table budget_lines (
  tenant_id uuid not null default erp.current_tenant(),
  project_id uuid not null,
  category text not null,
  period text not null,
  amount numeric not null check (amount >= 0),
  primary key (tenant_id, project_id, category, period),
  foreign key (tenant_id, project_id) references projects (tenant_id, id)
);
select erp.tenant_table('budget_lines');

-- Change orders, numbered per project; never edited (the budget's history).
create table change_orders (
  tenant_id uuid not null default erp.current_tenant(),
  id uuid not null default gen_random_uuid(),
  project_id uuid not null,
  number integer not null,
  reason text not null,
  effective_on date not null,
  lines jsonb not null,
  activities jsonb not null default '[]',
  contract_delta numeric not null default 0,
  created_by uuid,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, project_id, number),
  foreign key (tenant_id, project_id) references projects (tenant_id, id)
);
select erp.tenant_table('change_orders');

create table milestones (
  tenant_id uuid not null default erp.current_tenant(),
  id uuid not null default gen_random_uuid(),
  project_id uuid not null,
  name text not null,
  due_on date not null,
  amount numeric not null check (amount >= 0),
  billed_on date,
  primary key (tenant_id, id),
  foreign key (tenant_id, project_id) references projects (tenant_id, id)
);
select erp.tenant_table('milestones');

-- Cost per hour of a person (user_id) or of a role, with effective dates.
create table cost_rates (
  tenant_id uuid not null default erp.current_tenant(),
  id uuid not null default gen_random_uuid(),
  user_id uuid,
  role text,
  rate numeric not null check (rate >= 0),
  currency text not null,
  effective_from date not null,
  effective_to date,
  primary key (tenant_id, id),
  check ((user_id is null) <> (role is null))
);
select erp.tenant_table('cost_rates');
create unique index cost_rates_subject_from on cost_rates (tenant_id, coalesce(user_id::text, ''), coalesce(role, ''), effective_from);

create table people (
  tenant_id uuid not null default erp.current_tenant(),
  user_id uuid not null,
  role text not null,
  primary key (tenant_id, user_id)
);
select erp.tenant_table('people');

-- Units of the tenant's base currency per one unit of `currency`, from `on`.
create table exchange_rates (
  tenant_id uuid not null default erp.current_tenant(),
  currency text not null,
  on_date date not null,
  rate numeric not null check (rate > 0),
  primary key (tenant_id, currency, on_date)
);
select erp.tenant_table('exchange_rates');

-- Actual costs, in the project's currency (converted on the day), with what they came from.
-- source_key makes a delivery's effect happen once even if the bus delivers twice.
create table actuals (
  tenant_id uuid not null default erp.current_tenant(),
  id uuid not null default gen_random_uuid(),
  project_id uuid not null,
  activity_id uuid,
  kind text not null check (kind in ('labour', 'expense', 'material')),
  category text not null,
  incurred_on date not null,
  amount numeric not null,
  source_amount numeric not null,
  source_currency text not null,
  hours numeric,
  user_id uuid,
  source_key text not null,
  description text,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, source_key),
  foreign key (tenant_id, project_id) references projects (tenant_id, id)
);
select erp.tenant_table('actuals');
create index actuals_project on actuals (tenant_id, project_id, incurred_on);

-- Approved time that could not be costed yet (no cost rate or exchange rate in force): kept, shown,
-- and costed when a rate arrives (POST /cost-rates re-tries them).
create table unrated_time (
  tenant_id uuid not null default erp.current_tenant(),
  entry_id uuid not null,
  project_id uuid not null,
  activity_id uuid,
  user_id uuid not null,
  work_date date not null,
  hours numeric not null,
  reason text not null,
  primary key (tenant_id, entry_id)
);
select erp.tenant_table('unrated_time');

-- Costs from events (stock issued) that could not be converted to the project's currency yet (no
-- exchange rate on or before the day): kept, shown, and booked when a rate arrives.
create table waiting_costs (
  tenant_id uuid not null default erp.current_tenant(),
  source_key text not null,
  project_id uuid not null,
  activity_id uuid,
  kind text not null check (kind in ('labour', 'expense', 'material')),
  category text not null,
  incurred_on date not null,
  amount numeric not null,
  currency text not null,
  description text,
  reason text not null,
  primary key (tenant_id, source_key)
);
select erp.tenant_table('waiting_costs');
