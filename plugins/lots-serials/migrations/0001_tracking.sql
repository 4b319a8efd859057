-- Lots and serial numbers, built from the warehouses plugin's events (this plugin cannot read its
-- tables). `tracked_moves` is the projection of every move that carries a lot or serials, keyed by
-- the warehouses move id so a redelivered event changes nothing; quantities are sums of it, so the
-- order events arrive in does not matter. Serial positions follow the ledger's sequence numbers
-- (last_seq), never the arrival order.

create table tracked_moves (
  tenant_id uuid not null default erp.current_tenant(),
  move_id uuid not null,
  seq bigint not null,
  kind text not null,
  document_id uuid not null,
  transfer_id uuid,
  item_id uuid not null,
  sku text not null,
  warehouse_id uuid not null,
  location_id uuid not null,
  lot text,
  serials text[] not null default '{}',
  qty numeric not null,
  partner text,
  reference text,
  return_of uuid,
  effective_at timestamptz not null,
  primary key (tenant_id, move_id)
);
select erp.tenant_table('tracked_moves');
create index tracked_moves_lot on tracked_moves (tenant_id, item_id, lot, seq);
create index tracked_moves_serials on tracked_moves using gin (serials);
create index tracked_moves_item on tracked_moves (tenant_id, item_id, seq);

create table lots (
  tenant_id uuid not null default erp.current_tenant(),
  item_id uuid not null,
  code text not null,
  sku text not null,
  expires_on date,
  manufactured_on date,
  supplier_lot text,
  note text,
  first_received_at timestamptz,
  status text not null default 'active' check (status in ('active', 'recalled')),
  created_at timestamptz not null default now(),
  primary key (tenant_id, item_id, code),
  check (manufactured_on is null or expires_on is null or manufactured_on <= expires_on)
);
select erp.tenant_table('lots');
create index lots_expiry on lots (tenant_id, expires_on);

create table serials (
  tenant_id uuid not null default erp.current_tenant(),
  item_id uuid not null,
  serial text not null,
  sku text not null,
  -- Where it is now, as of ledger sequence number last_seq.
  in_stock boolean not null default false,
  warehouse_id uuid,
  location_id uuid,
  last_seq bigint not null default 0,
  -- Its first receipt (the lowest sequence number of a receipt move).
  received_move_id uuid,
  received_seq bigint,
  received_at timestamptz,
  supplier text,
  receipt_reference text,
  -- Its latest delivery to a customer.
  delivery_move_id uuid,
  delivery_seq bigint,
  delivered_at timestamptz,
  customer text,
  delivery_reference text,
  warranty_starts_on date,
  warranty_ends_on date,
  warranty_terms text,
  warranty_source text check (warranty_source in ('policy', 'manual')),
  primary key (tenant_id, item_id, serial),
  check (warranty_ends_on is null or warranty_starts_on is null or warranty_starts_on <= warranty_ends_on)
);
select erp.tenant_table('serials');
create index serials_serial on serials (tenant_id, serial);
create index serials_customer on serials (tenant_id, customer);

create table warranty_policies (
  tenant_id uuid not null default erp.current_tenant(),
  item_id uuid not null,
  months integer not null check (months between 1 and 600),
  starts text not null default 'delivery' check (starts in ('delivery', 'receipt')),
  terms text,
  updated_at timestamptz not null default now(),
  primary key (tenant_id, item_id)
);
select erp.tenant_table('warranty_policies');

create table recalls (
  tenant_id uuid not null default erp.current_tenant(),
  id uuid not null default gen_random_uuid(),
  item_id uuid not null,
  lots text[] not null,
  reason text not null,
  created_by uuid,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id)
);
select erp.tenant_table('recalls');

create function iso(t timestamptz) returns text language sql immutable strict as $$
  select to_char(t at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
$$;
