-- Items and where they are kept: warehouses and a hierarchy of locations (a location may hold stock
-- and contain other locations; a bin holds stock and contains nothing). Every table carries
-- tenant_id, defaulted from the transaction's tenant, and is isolated by erp.tenant_table().

create table items (
  tenant_id uuid not null default erp.current_tenant(),
  id uuid not null default gen_random_uuid(),
  sku text not null check (sku <> ''),
  name text not null,
  uom text not null,
  -- Decimal places a quantity of this item may have (0 for units counted whole, e.g. EA).
  qty_scale smallint not null default 0 check (qty_scale between 0 and 6),
  tracking text not null default 'none' check (tracking in ('none', 'lot', 'serial')),
  active boolean not null default true,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  check (tracking <> 'serial' or qty_scale = 0)
);
select erp.tenant_table('items');
create unique index items_sku on items (tenant_id, lower(sku));

create table warehouses (
  tenant_id uuid not null default erp.current_tenant(),
  id uuid not null default gen_random_uuid(),
  code text not null check (code <> ''),
  name text not null,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id)
);
select erp.tenant_table('warehouses');
create unique index warehouses_code on warehouses (tenant_id, lower(code));

create table locations (
  tenant_id uuid not null default erp.current_tenant(),
  id uuid not null default gen_random_uuid(),
  warehouse_id uuid not null,
  parent_id uuid,
  code text not null check (code <> ''),
  name text not null,
  kind text not null check (kind in ('location', 'bin')),
  -- Ids from the top location down to this one, '/'-separated and '/'-terminated, so a subtree is
  -- a prefix match. Parents never change, so paths never go stale.
  path text not null,
  -- Codes from the top location down ('STOCK/A1'): how people name a bin, and the tree's order.
  code_path text not null,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, warehouse_id) references warehouses (tenant_id, id),
  foreign key (tenant_id, parent_id) references locations (tenant_id, id)
);
select erp.tenant_table('locations');
create unique index locations_code on locations (tenant_id, warehouse_id, lower(code));
create index locations_path on locations (tenant_id, path text_pattern_ops);

-- Timestamps leave the database as ISO 8601 text in UTC, so every route and event agrees on one
-- format whatever the driver's type parsers do.
create function iso(t timestamptz) returns text language sql immutable strict as $$
  select to_char(t at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
$$;
