-- Issue 17. An issue line may carry the sale price per unit (optional: null when the document gave
-- none), kept on the move and carried in stock.issued so price checks (ai-insights) need not read
-- this plugin's tables.
alter table moves add column unit_price numeric check (unit_price >= 0);
