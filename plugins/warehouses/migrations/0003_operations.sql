-- Internal transfers (requested, then approved or rejected), cycle counts and reorder points.

create table transfers (
  tenant_id uuid not null default erp.current_tenant(),
  id uuid not null default gen_random_uuid(),
  status text not null default 'requested' check (status in ('requested', 'approved', 'rejected', 'cancelled')),
  from_location_id uuid not null,
  to_location_id uuid not null,
  reference text,
  note text,
  requested_by uuid,
  requested_at timestamptz not null default now(),
  decided_by uuid,
  decided_at timestamptz,
  decision_note text,
  document_id uuid,
  primary key (tenant_id, id),
  foreign key (tenant_id, from_location_id) references locations (tenant_id, id),
  foreign key (tenant_id, to_location_id) references locations (tenant_id, id),
  check (from_location_id <> to_location_id)
);
select erp.tenant_table('transfers');
create index transfers_status on transfers (tenant_id, status, requested_at);

create table transfer_lines (
  tenant_id uuid not null default erp.current_tenant(),
  transfer_id uuid not null,
  line_no integer not null,
  item_id uuid not null,
  qty numeric not null check (qty > 0),
  lot text not null default '',
  serials text[] not null default '{}',
  primary key (tenant_id, transfer_id, line_no),
  foreign key (tenant_id, transfer_id) references transfers (tenant_id, id),
  foreign key (tenant_id, item_id) references items (tenant_id, id)
);
select erp.tenant_table('transfer_lines');

create table counts (
  tenant_id uuid not null default erp.current_tenant(),
  id uuid not null default gen_random_uuid(),
  status text not null default 'open' check (status in ('open', 'posted', 'cancelled')),
  location_id uuid not null,
  include_children boolean not null default false,
  note text,
  created_by uuid,
  created_at timestamptz not null default now(),
  posted_at timestamptz,
  document_id uuid,
  primary key (tenant_id, id),
  foreign key (tenant_id, location_id) references locations (tenant_id, id)
);
select erp.tenant_table('counts');

create table count_lines (
  tenant_id uuid not null default erp.current_tenant(),
  count_id uuid not null,
  item_id uuid not null,
  location_id uuid not null,
  lot text not null default '',
  expected_qty numeric not null default 0,
  counted_qty numeric check (counted_qty >= 0),
  counted_serials text[],
  counted_at timestamptz,
  primary key (tenant_id, count_id, item_id, location_id, lot),
  foreign key (tenant_id, count_id) references counts (tenant_id, id)
);
select erp.tenant_table('count_lines');

create table reorder_points (
  tenant_id uuid not null default erp.current_tenant(),
  id uuid not null default gen_random_uuid(),
  item_id uuid not null,
  warehouse_id uuid not null,
  min_qty numeric not null check (min_qty >= 0),
  reorder_qty numeric check (reorder_qty > 0),
  -- Whether on-hand was below min_qty at the last check: the event fires once per crossing.
  below boolean not null default false,
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, item_id, warehouse_id),
  foreign key (tenant_id, item_id) references items (tenant_id, id),
  foreign key (tenant_id, warehouse_id) references warehouses (tenant_id, id)
);
select erp.tenant_table('reorder_points');
