-- Issue 17. The tenant's items, from warehouses' item.upserted events (keyed by the item id: a later
-- event, e.g. its category set, replaces the row). Categorised items are labelled lines of the
-- 'item' domain (text: SKU and name); uncategorised ones are what GET /items/category-suggestions
-- categorizes. Dismissed suggestions are hidden from then on; the item itself is not changed.
create table items (
  tenant_id uuid not null default erp.current_tenant(),
  item_id uuid not null,
  sku text not null,
  name text not null,
  category text,
  updated_at timestamptz not null default now(),
  primary key (tenant_id, item_id)
);
select erp.tenant_table('items');
create index items_uncategorised on items (tenant_id, sku) where category is null;

create table item_dismissals (
  tenant_id uuid not null default erp.current_tenant(),
  item_id uuid not null,
  dismissed_by uuid,
  dismissed_at timestamptz not null default now(),
  primary key (tenant_id, item_id),
  foreign key (tenant_id, item_id) references items (tenant_id, item_id)
);
select erp.tenant_table('item_dismissals');
