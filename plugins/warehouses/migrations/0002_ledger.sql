-- The stock ledger. `moves` is append-only: a trigger refuses UPDATE and DELETE and the run-time
-- role loses those privileges, so a correction is always a new move. On-hand at any date is the
-- sum of moves up to it; `balances` and `serial_stock` are the current sums, kept in the same
-- transaction as the moves, and they are what concurrent writers lock: a CHECK keeps every
-- balance at or above zero, so no interleaving of issues can drive stock negative.

create table documents (
  tenant_id uuid not null default erp.current_tenant(),
  id uuid not null default gen_random_uuid(),
  kind text not null check (kind in ('receipt', 'issue', 'adjustment', 'transfer', 'count')),
  reference text,
  partner text,
  note text,
  reason text,
  effective_at timestamptz not null,
  created_by uuid,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id)
);
select erp.tenant_table('documents');

create table moves (
  tenant_id uuid not null default erp.current_tenant(),
  id uuid not null,
  -- Posting order. Assigned after the move's balance and serial rows are locked, so two moves that
  -- touch the same stock are numbered in the order they happened.
  seq bigint generated always as identity,
  document_id uuid not null,
  line_no integer not null,
  kind text not null check (kind in ('receipt', 'customer-return', 'issue', 'vendor-return',
                                     'transfer-out', 'transfer-in', 'adjustment', 'count')),
  item_id uuid not null,
  warehouse_id uuid not null,
  location_id uuid not null,
  lot text not null default '',
  lot_expires_on date,
  qty numeric not null check (qty <> 0),
  unit_cost numeric check (unit_cost >= 0),
  return_of uuid,
  counterpart_id uuid,
  partner text,
  reference text,
  effective_at timestamptz not null,
  created_at timestamptz not null default now(),
  primary key (tenant_id, id),
  foreign key (tenant_id, document_id) references documents (tenant_id, id),
  foreign key (tenant_id, item_id) references items (tenant_id, id),
  foreign key (tenant_id, location_id) references locations (tenant_id, id),
  check (kind not in ('receipt', 'customer-return', 'transfer-in') or qty > 0),
  check (kind not in ('issue', 'vendor-return', 'transfer-out') or qty < 0)
);
select erp.tenant_table('moves');
create index moves_key on moves (tenant_id, item_id, location_id, lot, effective_at, seq);
create index moves_time on moves (tenant_id, effective_at, seq);
create index moves_seq on moves (tenant_id, seq);
create index moves_document on moves (tenant_id, document_id);
create index moves_return_of on moves (tenant_id, return_of) where return_of is not null;

create table move_serials (
  tenant_id uuid not null default erp.current_tenant(),
  move_id uuid not null,
  item_id uuid not null,
  serial text not null,
  primary key (tenant_id, move_id, serial),
  foreign key (tenant_id, move_id) references moves (tenant_id, id)
);
select erp.tenant_table('move_serials');
create index move_serials_serial on move_serials (tenant_id, item_id, serial);

create function ledger_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'the stock ledger is append-only: post a correcting move instead'
    using errcode = 'insufficient_privilege';
end $$;
create trigger moves_append_only before update or delete on moves
  for each row execute function ledger_append_only();
create trigger move_serials_append_only before update or delete on move_serials
  for each row execute function ledger_append_only();
revoke update, delete on moves, move_serials from erp_p_warehouses;

-- Current quantity per item, location and lot ('' when the item is not lot-tracked).
create table balances (
  tenant_id uuid not null default erp.current_tenant(),
  item_id uuid not null,
  location_id uuid not null,
  lot text not null default '',
  warehouse_id uuid not null,
  qty numeric not null default 0 check (qty >= 0),
  primary key (tenant_id, item_id, location_id, lot)
);
select erp.tenant_table('balances');
create index balances_warehouse on balances (tenant_id, warehouse_id, item_id);
create index balances_location on balances (tenant_id, location_id);

-- Where each serial number is now: a location while in stock, null once it has left.
create table serial_stock (
  tenant_id uuid not null default erp.current_tenant(),
  item_id uuid not null,
  serial text not null,
  location_id uuid,
  last_move_id uuid not null,
  primary key (tenant_id, item_id, serial)
);
select erp.tenant_table('serial_stock');
create index serial_stock_serial on serial_stock (tenant_id, serial);
create index serial_stock_location on serial_stock (tenant_id, location_id, item_id) where location_id is not null;

-- How much of a receipt or issue has come back, so returns never exceed what moved.
create table move_returns (
  tenant_id uuid not null default erp.current_tenant(),
  move_id uuid not null,
  original_qty numeric not null check (original_qty > 0),
  returned_qty numeric not null check (returned_qty > 0),
  primary key (tenant_id, move_id),
  check (returned_qty <= original_qty)
);
select erp.tenant_table('move_returns');
