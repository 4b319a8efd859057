// <warehouses-issue-stock>: posts an issue (one line) — item, location, quantity, the lot or the
// serial numbers when the item is tracked, the sale price per unit (optional), customer and reference.
import {
  compact,
  type FieldSpec,
  itemAndLocation,
  LINE,
  QTY_HINT,
  StockForm,
  serialList,
} from './stock-form.js';

export class IssueStock extends StockForm {
  readonly heading = 'Issue stock';
  readonly submitLabel = 'Post issue';
  readonly permission = 'warehouses.stock.issue';
  readonly path = '/api/v1/p/warehouses/issues';

  fields(): FieldSpec[] {
    return [
      ...itemAndLocation(),
      {
        key: 'qty',
        label: 'Quantity',
        pointer: `${LINE}/qty`,
        required: true,
        hint: QTY_HINT,
        inputmode: 'decimal',
      },
      {
        key: 'unitPrice',
        label: 'Sale price per unit',
        pointer: `${LINE}/unitPrice`,
        hint: 'optional, a decimal amount, e.g. 12.50',
        inputmode: 'decimal',
      },
      { key: 'lot', label: 'Lot', pointer: `${LINE}/lot`, tracking: 'lot' },
      {
        key: 'serials',
        label: 'Serial numbers',
        pointer: `${LINE}/serials`,
        type: 'textarea',
        tracking: 'serial',
        required: true,
        hint: 'one per line or separated by commas',
      },
      { key: 'customer', label: 'Customer', pointer: '/body/customer' },
      { key: 'reference', label: 'Reference', pointer: '/body/reference' },
    ];
  }

  body() {
    const v = this.values;
    const tracking = this.item()?.tracking;
    return compact({
      customer: v.customer,
      reference: v.reference,
      lines: [
        compact({
          itemId: v.itemId,
          locationId: v.locationId,
          qty: v.qty,
          unitPrice: v.unitPrice,
          ...(tracking === 'lot' ? { lot: v.lot } : {}),
          ...(tracking === 'serial' ? { serials: serialList(v.serials) } : {}),
        }),
      ],
    });
  }

  success(r: { id: string }) {
    return `Issue posted (${r.id.slice(0, 8)}).`;
  }
}

customElements.define('warehouses-issue-stock', IssueStock);
