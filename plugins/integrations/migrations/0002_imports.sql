-- Imports: an uploaded file (in chunks, under the request body limit), its rows staged with the
-- errors found in each cell, and what the target plugin reported applying. One import per
-- (target, content hash) that is not rolled back: uploading the same file again is the same import.

create table imports (
  tenant_id uuid not null default erp.current_tenant(),
  id uuid not null default gen_random_uuid(),
  target text not null,
  filename text not null,
  format text not null check (format in ('csv', 'xlsx')),
  sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
  size integer not null check (size > 0),
  chunks integer not null check (chunks > 0),
  -- target field -> source column header
  mapping jsonb,
  mode text check (mode in ('all', 'per-row')),
  status text not null default 'uploading' check (status in ('uploading', 'parsing', 'validating',
    'validated', 'committing', 'committed', 'failed', 'rolling-back', 'rolled-back')),
  total_rows integer not null default 0,
  validated_rows integer not null default 0,
  invalid_rows integer not null default 0,
  batches integer not null default 0,
  batches_sent integer not null default 0,
  batches_applied integer not null default 0,
  applied_rows integer not null default 0,
  failed_rows integer not null default 0,
  error jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id)
);
select erp.tenant_table('imports');
create unique index imports_same_file on imports (tenant_id, target, sha256) where status <> 'rolled-back';

create table import_chunks (
  tenant_id uuid not null default erp.current_tenant(),
  import_id uuid not null,
  n integer not null check (n >= 0),
  data text not null,
  primary key (tenant_id, import_id, n),
  foreign key (tenant_id, import_id) references imports (tenant_id, id) on delete cascade
);
select erp.tenant_table('import_chunks');

create table import_rows (
  tenant_id uuid not null default erp.current_tenant(),
  import_id uuid not null,
  -- The row's number in the file as a spreadsheet shows it (the header is row 1).
  row_no integer not null,
  cells jsonb not null,
  data jsonb,
  -- [{column, field, message}] found by the preview, or what the target refused at commit.
  errors jsonb,
  status text not null default 'staged' check (status in ('staged', 'valid', 'invalid', 'applied', 'failed')),
  result_id text,
  primary key (tenant_id, import_id, row_no),
  foreign key (tenant_id, import_id) references imports (tenant_id, id) on delete cascade
);
select erp.tenant_table('import_rows');
create index import_rows_status on import_rows (tenant_id, import_id, status, row_no);
