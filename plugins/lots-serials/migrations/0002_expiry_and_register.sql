-- Issue 14. Expiry settings per item (Odoo's product expiry): offsets in days from the receipt date
-- (or back from the expiration date), from which a lot received without dates gets them. A lot
-- keeps every date it got (given on the receipt, computed, or corrected by hand).
create table item_expiry (
  tenant_id uuid not null default erp.current_tenant(),
  item_id uuid not null,
  expiration_days integer check (expiration_days between 0 and 36500),
  best_before_days integer check (best_before_days between 0 and 36500),
  removal_days integer check (removal_days between 0 and 36500),
  alert_days integer check (alert_days between 0 and 36500),
  offsets_from text not null default 'receipt' check (offsets_from in ('receipt', 'expiration')),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, item_id)
);
select erp.tenant_table('item_expiry');

alter table lots add column best_before_on date, add column removal_on date, add column alert_on date,
  -- 'receipt' (given on the receipt line), 'computed' (from the item's settings), 'manual' (PATCH).
  add column dates_source text check (dates_source in ('receipt', 'computed', 'manual'));
create index lots_removal on lots (tenant_id, item_id, removal_on);

-- A reversing move names the move it cancels (warehouses' stock.cancelled); the serial register
-- and the trace skip both. expiry_status: the lot's expiry state on the day it moved (an expired
-- lot delivered where the tenant allows it stays visible on the move).
alter table tracked_moves add column cancels uuid, add column expiry_status text;
create index tracked_moves_cancels on tracked_moves (tenant_id, cancels) where cancels is not null;
create index tracked_moves_document on tracked_moves (tenant_id, document_id);

-- The serial register follows the latest movement: received_* is the current receipt document (the
-- latest arrival, purchase or customer return), supplier the partner of the latest purchase.
alter table serials add column received_kind text, add column received_document_id uuid,
  add column delivery_document_id uuid;
