// <warehouses-receive-stock>: posts a receipt (one line) — item, location, quantity, unit cost,
// the lot and its expiry or the serial numbers when the item is tracked, supplier and reference.
import {
  compact,
  type FieldSpec,
  itemAndLocation,
  LINE,
  QTY_HINT,
  StockForm,
  serialList,
} from './stock-form.js';

export class ReceiveStock extends StockForm {
  readonly heading = 'Receive stock';
  readonly submitLabel = 'Post receipt';
  readonly permission = 'warehouses.stock.receive';
  readonly path = '/api/v1/p/warehouses/receipts';

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
        key: 'unitCost',
        label: 'Unit cost',
        pointer: `${LINE}/unitCost`,
        hint: 'a decimal amount, e.g. 12.50',
        inputmode: 'decimal',
      },
      { key: 'lot', label: 'Lot', pointer: `${LINE}/lot`, tracking: 'lot', required: true },
      {
        key: 'lotExpiresOn',
        label: 'Lot expires on',
        pointer: `${LINE}/lotExpiresOn`,
        type: 'date',
        tracking: 'lot',
      },
      {
        key: 'serials',
        label: 'Serial numbers',
        pointer: `${LINE}/serials`,
        type: 'textarea',
        tracking: 'serial',
        required: true,
        hint: 'one per line or separated by commas',
      },
      { key: 'supplier', label: 'Supplier', pointer: '/body/supplier' },
      { key: 'reference', label: 'Reference', pointer: '/body/reference' },
    ];
  }

  body() {
    const v = this.values;
    const tracking = this.item()?.tracking;
    return compact({
      supplier: v.supplier,
      reference: v.reference,
      lines: [
        compact({
          itemId: v.itemId,
          locationId: v.locationId,
          qty: v.qty,
          unitCost: v.unitCost,
          ...(tracking === 'lot' ? { lot: v.lot, lotExpiresOn: v.lotExpiresOn } : {}),
          ...(tracking === 'serial' ? { serials: serialList(v.serials) } : {}),
        }),
      ],
    });
  }

  success(r: { id: string }) {
    return `Receipt posted (${r.id.slice(0, 8)}).`;
  }
}

customElements.define('warehouses-receive-stock', ReceiveStock);
