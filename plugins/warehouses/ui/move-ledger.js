// <warehouses-move-ledger item-id location-id warehouse-id limit>: the move ledger in posting
// order, with "Load more" following the seq cursor.
import { ApiElement, queryOf } from './table.js';

const COLUMNS = [
  ['#', 'seq', true],
  ['Date', (m) => m.effectiveAt.slice(0, 19).replace('T', ' ')],
  ['Kind', 'kind'],
  ['SKU', 'sku'],
  ['Location', 'locationCode'],
  ['Lot', 'lot'],
  ['Serials', (m) => m.serials.join(', ')],
  ['Quantity', 'qty', true],
  ['Unit cost', 'unitCost', true],
  ['Partner', 'partner'],
  ['Reference', 'reference'],
];

export class MoveLedger extends ApiElement {
  static heading = 'Stock moves';
  static observedAttributes = ['item-id', 'location-id', 'warehouse-id', 'limit'];

  async refresh(after) {
    if (!this.shadowRoot || !this.api) return;
    this.status('Loading…');
    let q = queryOf(this, [
      ['item-id', 'itemId'],
      ['location-id', 'locationId'],
      ['warehouse-id', 'warehouseId'],
      ['limit', 'limit'],
    ]);
    if (after) q += `${q ? '&' : '?'}after=${after}`;
    const data = await this.get(`/api/v1/p/warehouses/moves${q}`);
    if (!data) return;
    this.render(COLUMNS, data.moves, Boolean(after));
    this.shadowRoot.querySelector('[part=more]')?.remove();
    this.status(`${this.shadowRoot.querySelectorAll('tbody tr').length} move(s)`);
    if (data.next) {
      const more = Object.assign(document.createElement('button'), { textContent: 'Load more' });
      more.setAttribute('part', 'more');
      more.addEventListener('click', () => this.refresh(data.next));
      this.shadowRoot.append(more);
    }
  }
}

customElements.define('warehouses-move-ledger', MoveLedger);
