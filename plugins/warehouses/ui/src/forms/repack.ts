// <warehouses-repack>: a repack / kit as one document — one component consumed and the product
// made of it, with an additional cost (labour, packing); costing values the product at the
// component's cost plus that. (The API takes several components; the form posts one.)
import { compact, type FieldSpec, picker, QTY_HINT, StockForm } from './stock-form.js';

const COMPONENT = '/body/components/0';

export class Repack extends StockForm {
  readonly heading = 'Repack';
  readonly submitLabel = 'Post repack';
  readonly permission = 'warehouses.stock.adjust';
  readonly path = '/api/v1/p/warehouses/repacks';
  protected override keep = ['itemId', 'locationId', 'productItemId', 'productLocationId'];

  fields(): FieldSpec[] {
    return [
      picker('itemId', 'Component', `${COMPONENT}/itemId`, 'item'),
      picker('locationId', 'Taken from', `${COMPONENT}/locationId`, 'location'),
      {
        key: 'qty',
        label: 'Component quantity',
        pointer: `${COMPONENT}/qty`,
        required: true,
        hint: QTY_HINT,
      },
      picker('productItemId', 'Product', '/body/product/itemId', 'item'),
      picker('productLocationId', 'Put at', '/body/product/locationId', 'location'),
      {
        key: 'productQty',
        label: 'Product quantity',
        pointer: '/body/product/qty',
        required: true,
        hint: QTY_HINT,
      },
      {
        key: 'additionalCost',
        label: 'Additional cost',
        pointer: '/body/additionalCost',
        hint: 'added to the component’s cost, e.g. 7.50',
        inputmode: 'decimal',
      },
      { key: 'reference', label: 'Reference', pointer: '/body/reference' },
    ];
  }

  body() {
    const v = this.values;
    return compact({
      reference: v.reference,
      additionalCost: v.additionalCost,
      components: [compact({ itemId: v.itemId, locationId: v.locationId, qty: v.qty })],
      product: compact({ itemId: v.productItemId, locationId: v.productLocationId, qty: v.productQty }),
    });
  }

  success(r: { id: string }) {
    return `Repack posted (${r.id.slice(0, 8)}).`;
  }
}

customElements.define('warehouses-repack', Repack);
