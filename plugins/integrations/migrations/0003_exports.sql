-- Exports: a target plugin sends the filtered records page by page (export.page events); each
-- page becomes one chunk of the file (CSV, NDJSON) or is kept until the XLSX is written from the
-- pages, one at a time. Schedules start an export every N minutes.

create table export_schedules (
  tenant_id uuid not null default erp.current_tenant(),
  id uuid not null default gen_random_uuid(),
  target text not null,
  format text not null check (format in ('csv', 'ndjson', 'xlsx')),
  filter jsonb not null default '{}',
  every_minutes integer not null check (every_minutes between 1 and 44640),
  next_run_at timestamptz not null,
  enabled boolean not null default true,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id)
);
select erp.tenant_table('export_schedules');

create table exports (
  tenant_id uuid not null default erp.current_tenant(),
  id uuid not null default gen_random_uuid(),
  target text not null,
  format text not null check (format in ('csv', 'ndjson', 'xlsx')),
  filter jsonb not null default '{}',
  schedule_id uuid,
  status text not null default 'running' check (status in ('running', 'writing', 'completed', 'failed')),
  rows integer not null default 0,
  pages_total integer,
  pages_received integer not null default 0,
  chunks integer not null default 0,
  bytes bigint not null default 0,
  created_at timestamptz not null default now(),
  completed_at timestamptz,
  primary key (tenant_id, id)
);
select erp.tenant_table('exports');

create table export_pages (
  tenant_id uuid not null default erp.current_tenant(),
  export_id uuid not null,
  n integer not null,
  rows jsonb not null,
  primary key (tenant_id, export_id, n),
  foreign key (tenant_id, export_id) references exports (tenant_id, id) on delete cascade
);
select erp.tenant_table('export_pages');

create table export_chunks (
  tenant_id uuid not null default erp.current_tenant(),
  export_id uuid not null,
  n integer not null,
  data text not null,
  primary key (tenant_id, export_id, n),
  foreign key (tenant_id, export_id) references exports (tenant_id, id) on delete cascade
);
select erp.tenant_table('export_chunks');
