-- Issue 17. An item may carry a category (optional, free text of at most 60 characters), set by a
-- user or accepted from ai-insights' suggestions; it travels in warehouses.item.upserted.
alter table items add column category text check (category is null or length(category) between 1 and 60);
