// <warehouses-stock-on-hand>: stock on hand by item and location (or warehouse, or item), now or
// at a date. Attributes item-id, warehouse-id, location-id, as-of and group-by preset the filters.
import { type ApiProblem, type Column, dataTable, ErpPluginElement, erpStyles, formField } from '@erp/sdk/ui';
import { html } from 'lit';

interface StockRow {
  sku: string;
  itemName: string;
  uom: string;
  warehouseCode?: string;
  locationCode?: string;
  lot?: string | null;
  qty: string;
}

const GROUPS = [
  { value: 'location', label: 'Location' },
  { value: 'warehouse', label: 'Warehouse' },
  { value: 'item', label: 'Item' },
];

export class StockOnHand extends ErpPluginElement {
  static override styles = erpStyles;
  static override reloadOn = ['itemId', 'warehouseId', 'locationId', 'asOf', 'groupBy'];
  static override properties = {
    itemId: { attribute: 'item-id' },
    warehouseId: { attribute: 'warehouse-id' },
    locationId: { attribute: 'location-id' },
    asOf: { attribute: 'as-of' },
    groupBy: { attribute: 'group-by' },
    rows: { state: true },
    asOfShown: { state: true },
    problem: { state: true },
  };
  declare itemId?: string;
  declare warehouseId?: string;
  declare locationId?: string;
  declare asOf?: string;
  declare groupBy?: string;
  declare rows?: StockRow[];
  declare asOfShown?: string;
  declare problem?: ApiProblem;

  protected override async load(): Promise<void> {
    try {
      // A date alone means the end of that day (UTC); a full timestamp is used as given.
      const asOf =
        this.asOf && /^\d{4}-\d{2}-\d{2}$/.test(this.asOf) ? `${this.asOf}T23:59:59.999Z` : this.asOf;
      const data = await this.call<{ stock: StockRow[]; asOf: string }>('/api/v1/p/warehouses/stock', {
        query: {
          itemId: this.itemId,
          warehouseId: this.warehouseId,
          locationId: this.locationId,
          asOf,
          groupBy: this.groupBy,
        },
      });
      this.rows = data.stock;
      this.asOfShown = data.asOf;
      this.problem = undefined;
    } catch (err) {
      this.problem = err as ApiProblem;
    }
  }

  override render() {
    const group = this.groupBy ?? 'location';
    const columns: Column<StockRow>[] = [
      { label: 'SKU', value: (r) => r.sku },
      { label: 'Item', value: (r) => r.itemName },
      ...(group !== 'item' ? [{ label: 'Warehouse', value: (r: StockRow) => r.warehouseCode }] : []),
      ...(group === 'location'
        ? [
            { label: 'Location', value: (r: StockRow) => r.locationCode },
            { label: 'Lot', value: (r: StockRow) => r.lot },
          ]
        : []),
      { label: 'Quantity', value: (r) => r.qty, numeric: true },
      { label: 'Unit', value: (r) => r.uom },
    ];
    return html`<h2>Stock on hand</h2>
      <div class="toolbar">
        ${formField({
          id: 'group-by',
          label: 'Group by',
          type: 'select',
          value: group,
          options: GROUPS,
          onInput: (v) => {
            this.groupBy = v || 'location';
          },
        })}
        ${formField({
          id: 'as-of',
          label: 'As of date',
          type: 'date',
          value: this.asOf ?? '',
          onInput: (v) => {
            this.asOf = v || undefined;
          },
        })}
        <button type="button" class="secondary" @click=${() => this.load()}>Refresh</button>
      </div>
      ${this.problem ? html`<p class="error" role="alert">${this.problem.message}</p>` : ''}
      ${
        this.rows
          ? html`<p class="status" part="status">${this.rows.length} line(s) as of ${this.asOfShown}</p>
            ${dataTable(columns, this.rows, { caption: 'Stock on hand', hideCaption: true, empty: 'No stock on hand.' })}`
          : html`<p class="status" part="status">Loading…</p>`
      }`;
  }
}

customElements.define('warehouses-stock-on-hand', StockOnHand);
