// <warehouses-new-item>: creates an item — SKU, name, unit of measure, decimals counted and how it
// is tracked (none, by lot, by serial number), and optionally its category.
import { CATALOGUE_CHANGED } from '../catalogue.js';
import { compact, type FieldSpec, StockForm } from '../forms/stock-form.js';

const TRACKING = [
  { value: 'none', label: 'Not tracked' },
  { value: 'lot', label: 'By lot' },
  { value: 'serial', label: 'By serial number' },
];

export class NewItem extends StockForm {
  readonly heading = 'New item';
  readonly submitLabel = 'Create item';
  readonly permission = 'warehouses.items.write';
  readonly path = '/api/v1/p/warehouses/items';
  protected override changedEvent = CATALOGUE_CHANGED;
  protected override keep = ['uom', 'tracking'];

  fields(): FieldSpec[] {
    return [
      { key: 'sku', label: 'SKU', pointer: '/body/sku', required: true, hint: 'a code without spaces' },
      { key: 'name', label: 'Name', pointer: '/body/name', required: true },
      { key: 'uom', label: 'Unit of measure', pointer: '/body/uom', required: true, hint: 'e.g. EA, KG, L' },
      {
        key: 'qtyScale',
        label: 'Decimals in quantities',
        pointer: '/body/qtyScale',
        hint: '0 to 6; 0 counts whole units',
        inputmode: 'decimal',
      },
      {
        key: 'tracking',
        label: 'Tracking',
        pointer: '/body/tracking',
        type: 'select',
        options: () => TRACKING,
      },
      {
        key: 'category',
        label: 'Category',
        pointer: '/body/category',
        hint: 'optional, e.g. Fasteners (at most 60 characters)',
      },
    ];
  }

  body() {
    const v = this.values;
    // The number is sent as typed when it is not one, so the server names the field.
    const scale = v.qtyScale === undefined || v.qtyScale === '' ? undefined : Number(v.qtyScale);
    return compact({
      sku: v.sku,
      name: v.name,
      uom: v.uom,
      qtyScale: scale === undefined || Number.isNaN(scale) ? v.qtyScale : scale,
      tracking: v.tracking,
      category: v.category?.trim() || undefined,
    });
  }

  success(r: { id: string; sku?: string }) {
    return `Item ${r.sku ?? ''} created.`;
  }
}

customElements.define('warehouses-new-item', NewItem);
