// <warehouses-reconcile-stock>: a stock reconciliation line (ERPNext's) — the quantity now at a
// location and the unit cost the item is carried at in that warehouse, both set absolutely.
import { compact, type FieldSpec, itemAndLocation, LINE, StockForm } from './stock-form.js';

export class ReconcileStock extends StockForm {
  readonly heading = 'Stock reconciliation';
  readonly submitLabel = 'Post reconciliation';
  readonly permission = 'warehouses.stock.adjust';
  readonly path = '/api/v1/p/warehouses/reconciliations';

  fields(): FieldSpec[] {
    return [
      ...itemAndLocation(),
      {
        key: 'qty',
        label: 'Quantity counted',
        pointer: `${LINE}/qty`,
        required: true,
        hint: 'what is there now, 0 or more, e.g. 12',
        inputmode: 'decimal',
      },
      {
        key: 'unitCost',
        label: 'Unit cost',
        pointer: `${LINE}/unitCost`,
        required: true,
        hint: 'the rate to carry the item at, e.g. 5.25',
        inputmode: 'decimal',
      },
      { key: 'lot', label: 'Lot', pointer: `${LINE}/lot`, tracking: 'lot' },
      { key: 'reference', label: 'Reference', pointer: '/body/reference' },
    ];
  }

  body() {
    const v = this.values;
    return compact({
      reference: v.reference,
      lines: [
        compact({
          itemId: v.itemId,
          locationId: v.locationId,
          qty: v.qty,
          unitCost: v.unitCost,
          ...(this.item()?.tracking === 'lot' ? { lot: v.lot } : {}),
        }),
      ],
    });
  }

  success(r: { id: string }) {
    return `Reconciliation posted (${r.id.slice(0, 8)}).`;
  }
}

customElements.define('warehouses-reconcile-stock', ReconcileStock);
