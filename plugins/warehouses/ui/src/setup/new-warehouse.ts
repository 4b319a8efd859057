// <warehouses-new-warehouse>: creates a warehouse (a code and a name); its locations come next.
import { CATALOGUE_CHANGED } from '../catalogue.js';
import { compact, type FieldSpec, StockForm } from '../forms/stock-form.js';

export class NewWarehouse extends StockForm {
  readonly heading = 'New warehouse';
  readonly submitLabel = 'Create warehouse';
  readonly permission = 'warehouses.locations.write';
  readonly path = '/api/v1/p/warehouses/warehouses';
  protected override changedEvent = CATALOGUE_CHANGED;
  protected override keep: string[] = [];

  fields(): FieldSpec[] {
    return [
      { key: 'code', label: 'Code', pointer: '/body/code', required: true, hint: 'e.g. MAIN' },
      { key: 'name', label: 'Name', pointer: '/body/name', required: true },
    ];
  }

  body() {
    return compact({ code: this.values.code, name: this.values.name });
  }

  success(r: { id: string; code?: string }) {
    return `Warehouse ${r.code ?? ''} created.`;
  }
}

customElements.define('warehouses-new-warehouse', NewWarehouse);
