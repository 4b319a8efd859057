-- Issue 14 (session 6). A delivery of an expired lot, or of one past its removal date, is refused in
-- the issue's own transaction. The dates come from the receipt line (lot_expires_on on the move,
-- found by the partial index) and from lots-serials, which computes them from the item's expiry
-- rules and announces them (lots-serials.lot.dated, with a version: events arrive in any order and
-- the highest version wins). Without lots-serials only the receipt's date applies.
create table lot_dates (
  tenant_id uuid not null default erp.current_tenant(),
  item_id uuid not null,
  lot text not null,
  expires_on date,
  removal_on date,
  version integer not null,
  updated_at timestamptz not null default now(),
  primary key (tenant_id, item_id, lot)
);
select erp.tenant_table('lot_dates');

create index moves_lot_expiry on moves (tenant_id, item_id, lot, seq) where lot_expires_on is not null;

-- Issues posted over an expired lot by a holder of warehouses.lots.expired-override, with the reason
-- they gave (also in the audit chain): the document and the move ledger show them.
create table expiry_overrides (
  tenant_id uuid not null default erp.current_tenant(),
  move_id uuid not null,
  document_id uuid not null,
  status text not null check (status in ('expired', 'removal')),
  reason text not null,
  overridden_by uuid,
  overridden_at timestamptz not null default now(),
  primary key (tenant_id, move_id)
);
select erp.tenant_table('expiry_overrides');
