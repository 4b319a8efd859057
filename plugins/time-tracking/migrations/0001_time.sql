-- Time tracking: the projects it books to (a projection of project-costing's project.upserted
-- events, never its tables), people's roles for bill rates, time entries with their approval
-- history, bill rates with effective dates, and time off. Hours and money are numeric, never
-- floating point. Every table carries tenant_id, defaulted from the transaction's tenant, and is
-- isolated by erp.tenant_table().

create function iso(t timestamptz) returns text language sql immutable strict as $$
  select to_char(t at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
$$;

create table projects (
  tenant_id uuid not null default erp.current_tenant(),
  id uuid not null,
  code text not null,
  name text not null,
  client text,
  status text not null check (status in ('planned', 'active', 'closed')),
  currency text not null,
  starts_on date,
  ends_on date,
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id)
);
select erp.tenant_table('projects');

create table activities (
  tenant_id uuid not null default erp.current_tenant(),
  id uuid not null,
  project_id uuid not null,
  code text not null,
  name text not null,
  starts_on date,
  ends_on date,
  -- false once a later project.upserted no longer lists it (entries booked to it keep the id).
  current boolean not null default true,
  primary key (tenant_id, id)
);
select erp.tenant_table('activities');
create index activities_project on activities (tenant_id, project_id);

-- A person's job role, which bill rates may name (not a kernel RBAC role).
create table people (
  tenant_id uuid not null default erp.current_tenant(),
  user_id uuid not null,
  role text,
  updated_at timestamptz not null default now(),
  primary key (tenant_id, user_id)
);
select erp.tenant_table('people');

create table entries (
  tenant_id uuid not null default erp.current_tenant(),
  id uuid not null default gen_random_uuid(),
  no bigint generated always as identity,
  user_id uuid not null,
  project_id uuid not null,
  activity_id uuid,
  work_date date not null,
  started_at timestamptz,
  ended_at timestamptz,
  -- null only while the timer runs; negative only for a reversing entry.
  hours numeric,
  billable boolean not null default true,
  note text,
  source text not null check (source in ('timer', 'manual', 'import', 'reversal')),
  status text not null check (status in ('running', 'draft', 'submitted', 'approved', 'rejected')),
  step text check (step in ('approver', 'finance')),
  reverses_entry_id uuid,
  flagged boolean not null default false,
  flag_reason text,
  reject_reason text,
  -- Fixed at final approval from the rate in force on the work date.
  rate_id uuid,
  bill_rate numeric,
  bill_currency text,
  bill_amount numeric,
  submitted_at timestamptz,
  approved_at timestamptz,
  created_by uuid,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id),
  check ((status = 'running') = (hours is null)),
  check (source = 'reversal' or hours is null or hours > 0),
  check (source <> 'reversal' or (hours < 0 and reverses_entry_id is not null)),
  check (hours is null or abs(hours) <= 24),
  check (ended_at is null or started_at is null or ended_at > started_at),
  check ((status = 'submitted') = (step is not null))
);
select erp.tenant_table('entries');
create unique index entries_one_timer on entries (tenant_id, user_id) where status = 'running';
create unique index entries_one_reversal on entries (tenant_id, reverses_entry_id) where reverses_entry_id is not null;
create index entries_user_date on entries (tenant_id, user_id, work_date);
create index entries_status on entries (tenant_id, status, step);

-- An approved entry is final: corrections are reversing entries. The routes refuse first (409);
-- this makes it true for any SQL the plugin runs.
create function entries_locked() returns trigger language plpgsql as $$
begin
  if old.status = 'approved' then
    raise exception 'time entry % is approved and locked: reverse it instead', old.id
      using errcode = 'insufficient_privilege';
  end if;
  return case when tg_op = 'DELETE' then old else new end;
end $$;
create trigger entries_locked before update or delete on entries
  for each row execute function entries_locked();

-- Every decision on an entry, in order.
create table approvals (
  tenant_id uuid not null default erp.current_tenant(),
  id bigint generated always as identity,
  entry_id uuid not null,
  step text not null,
  decision text not null check (decision in ('submitted', 'approved', 'rejected')),
  decided_by uuid,
  reason text,
  decided_at timestamptz not null default now(),
  primary key (tenant_id, id)
);
select erp.tenant_table('approvals');
create index approvals_entry on approvals (tenant_id, entry_id);

create table rates (
  tenant_id uuid not null default erp.current_tenant(),
  id uuid not null default gen_random_uuid(),
  user_id uuid,
  role text,
  project_id uuid,
  client text,
  rate numeric not null check (rate >= 0),
  currency text not null,
  effective_from date not null,
  effective_to date,
  created_by uuid,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  check (effective_to is null or effective_to >= effective_from)
);
select erp.tenant_table('rates');

create table time_off (
  tenant_id uuid not null default erp.current_tenant(),
  id uuid not null default gen_random_uuid(),
  user_id uuid not null,
  kind text not null check (kind in ('vacation', 'sick', 'holiday', 'other')),
  starts_on date not null,
  ends_on date not null,
  -- null: whole working days.
  hours_per_day numeric check (hours_per_day > 0 and hours_per_day <= 24),
  note text,
  cancelled boolean not null default false,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  check (ends_on >= starts_on)
);
select erp.tenant_table('time_off');
create index time_off_user on time_off (tenant_id, user_id, starts_on);
