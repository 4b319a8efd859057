// <warehouses-stock-on-hand item-id warehouse-id location-id as-of group-by>: stock on hand by item
// and location (or warehouse, or item), now or at a date.
import { ApiElement, queryOf } from './table.js';

export class StockOnHand extends ApiElement {
  static heading = 'Stock on hand';
  static observedAttributes = ['item-id', 'warehouse-id', 'location-id', 'as-of', 'group-by'];

  async refresh() {
    if (!this.shadowRoot || !this.api) return;
    this.status('Loading…');
    const q = queryOf(this, [
      ['item-id', 'itemId'],
      ['warehouse-id', 'warehouseId'],
      ['location-id', 'locationId'],
      ['as-of', 'asOf'],
      ['group-by', 'groupBy'],
    ]);
    const data = await this.get(`/api/v1/p/warehouses/stock${q}`);
    if (!data) return;
    const columns = [
      ['SKU', 'sku'],
      ['Item', 'itemName'],
      ['Warehouse', 'warehouseCode'],
      ['Location', 'locationCode'],
      ['Lot', 'lot'],
      ['Quantity', (r) => r.qty, true],
      ['Unit', 'uom'],
    ].filter(([, key]) => typeof key === 'function' || data.stock.some((r) => key in r));
    this.render(columns, data.stock);
    this.status(`${data.stock.length} line(s) as of ${data.asOf}`);
  }
}

customElements.define('warehouses-stock-on-hand', StockOnHand);
