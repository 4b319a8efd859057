// <warehouses-new-location>: creates a location or a bin in a warehouse, at its top or inside
// another location of the same warehouse.
import { CATALOGUE_CHANGED, locationOptions, warehouseOptions } from '../catalogue.js';
import { compact, type FieldSpec, StockForm } from '../forms/stock-form.js';

const KINDS = [
  { value: 'location', label: 'Location (may hold others)' },
  { value: 'bin', label: 'Bin' },
];

export class NewLocation extends StockForm {
  readonly heading = 'New location';
  readonly submitLabel = 'Create location';
  readonly permission = 'warehouses.locations.write';
  readonly path = '/api/v1/p/warehouses/locations';
  protected override changedEvent = CATALOGUE_CHANGED;
  protected override keep = ['warehouseId', 'parentId', 'kind'];

  fields(): FieldSpec[] {
    return [
      {
        key: 'warehouseId',
        label: 'Warehouse',
        pointer: '/body/warehouseId',
        type: 'select',
        options: warehouseOptions,
        required: true,
      },
      {
        key: 'parentId',
        label: 'Inside',
        pointer: '/body/parentId',
        type: 'select',
        // Only the chosen warehouse's locations; none chosen: the top of the warehouse.
        options: (c) =>
          locationOptions(c).filter(
            (o) => c?.locations.find((l) => l.id === o.value)?.warehouseId === this.values.warehouseId,
          ),
        hint: 'leave empty for the top of the warehouse',
      },
      { key: 'code', label: 'Code', pointer: '/body/code', required: true, hint: 'e.g. A-01' },
      { key: 'name', label: 'Name', pointer: '/body/name', required: true },
      { key: 'kind', label: 'Kind', pointer: '/body/kind', type: 'select', options: () => KINDS },
    ];
  }

  body() {
    const v = this.values;
    return compact({
      warehouseId: v.warehouseId,
      parentId: v.parentId,
      code: v.code,
      name: v.name,
      kind: v.kind,
    });
  }

  success(r: { id: string; codePath?: string }) {
    return `Location ${r.codePath ?? ''} created.`;
  }
}

customElements.define('warehouses-new-location', NewLocation);
