-- Sale prices: warehouses' stock.issued carries an optional unitPrice (sale price per unit) since
-- warehouses 0.1.1; kept here so issues can be judged on price within their item. Null for moves
-- without one (every move recorded before this, and issues posted without a price).
alter table moves add column unit_price numeric;
