-- Issue 17. The tenant's items, from warehouses' item.upserted events (keyed by the item id: a later
-- event, e.g. its category set, replaces the row but keeps a dismissal; `sequence`, the event's place
-- in publication order, keeps a late or repeated older event from undoing a newer one). Categorised items are
-- labelled lines of the 'item' domain (text: SKU and name); uncategorised ones are what
-- GET /items/category-suggestions categorizes, unless a user dismissed the suggestion (the item
-- itself is not changed in warehouses).
create table items (
  tenant_id uuid not null default erp.current_tenant(),
  item_id uuid not null,
  sku text not null,
  name text not null,
  category text,
  updated_at timestamptz not null default now(),
  sequence numeric,
  dismissed_by uuid,
  dismissed_at timestamptz,
  primary key (tenant_id, item_id)
);
select erp.tenant_table('items');
create index items_uncategorised on items (tenant_id, sku) where category is null and dismissed_at is null;
