-- Resource planning: people with a working-hours calendar and a utilization target, their skills,
-- allocations to projects, and three projections kept from events (never other plugins' tables):
-- projects (project-costing's project.upserted), time off (time-tracking's time.off.changed) and
-- approved time (time-tracking's time.entry.approved). Hours are numeric, never floating point.

create table people (
  tenant_id uuid not null default erp.current_tenant(),
  user_id uuid not null,
  name text,
  -- Working hours Monday … Sunday (ISO order), seven decimals.
  calendar numeric[] not null check (array_length(calendar, 1) = 7),
  -- Target share of capacity spent on approved time, percent (e.g. 80).
  target_percent numeric not null default 80 check (target_percent >= 0 and target_percent <= 200),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, user_id)
);
select erp.tenant_table('people');

create table skills (
  tenant_id uuid not null default erp.current_tenant(),
  user_id uuid not null,
  skill text not null check (skill <> ''),
  level smallint not null check (level between 1 and 5),
  primary key (tenant_id, user_id, skill)
);
select erp.tenant_table('skills');
create index skills_skill on skills (tenant_id, lower(skill), level);

create table projects (
  tenant_id uuid not null default erp.current_tenant(),
  id uuid not null,
  code text not null,
  name text not null,
  status text not null,
  starts_on date,
  ends_on date,
  primary key (tenant_id, id)
);
select erp.tenant_table('projects');

create table allocations (
  tenant_id uuid not null default erp.current_tenant(),
  id uuid not null default gen_random_uuid(),
  user_id uuid not null,
  project_id uuid not null,
  starts_on date not null,
  ends_on date not null,
  hours_per_day numeric check (hours_per_day > 0 and hours_per_day <= 24),
  percent numeric check (percent > 0 and percent <= 200),
  note text,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  check (ends_on >= starts_on),
  check ((hours_per_day is null) <> (percent is null))
);
select erp.tenant_table('allocations');
create index allocations_user on allocations (tenant_id, user_id, starts_on);

create table time_off (
  tenant_id uuid not null default erp.current_tenant(),
  id uuid not null,
  user_id uuid not null,
  kind text not null,
  starts_on date not null,
  ends_on date not null,
  hours_per_day numeric,
  cancelled boolean not null default false,
  primary key (tenant_id, id)
);
select erp.tenant_table('time_off');
create index time_off_user on time_off (tenant_id, user_id, starts_on);

create table worked (
  tenant_id uuid not null default erp.current_tenant(),
  entry_id uuid not null,
  user_id uuid not null,
  project_id uuid not null,
  work_date date not null,
  hours numeric not null,
  billable boolean not null,
  primary key (tenant_id, entry_id)
);
select erp.tenant_table('worked');
create index worked_user_date on worked (tenant_id, user_id, work_date);
