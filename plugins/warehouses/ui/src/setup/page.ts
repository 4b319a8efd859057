// <warehouses-setup>: what a new tenant needs before any stock moves — the items, the warehouses
// and their locations, listed, with the forms that create them beside the lists (each form shown
// only to those who hold its permission). The lists follow what the forms create; the forms get
// the context from this element as well as from the shell's provider.
import { type ApiProblem, type Column, dataTable, ErpPluginElement, erpStyles } from '@erp/sdk/ui';
import { html, nothing } from 'lit';
import { CATALOGUE_CHANGED, type Catalogue, type Item, loadCatalogue } from '../catalogue.js';
import './new-item.js';
import './new-location.js';
import './new-warehouse.js';

type LocationRow = Catalogue['locations'][number];
const TRACKING: Record<Item['tracking'], string> = { none: '', lot: 'lot', serial: 'serial' };

export class WarehousesSetup extends ErpPluginElement {
  static override styles = erpStyles;
  static override properties = { catalogue: { state: true }, problem: { state: true } };
  declare catalogue?: Catalogue;
  declare problem?: ApiProblem;

  protected override async load(): Promise<void> {
    try {
      this.catalogue = await loadCatalogue((path) => this.call(path));
      this.problem = undefined;
    } catch (err) {
      this.problem = err as ApiProblem;
    }
  }

  private readonly changed = () => void this.load();
  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener(CATALOGUE_CHANGED, this.changed);
  }
  override disconnectedCallback(): void {
    document.removeEventListener(CATALOGUE_CHANGED, this.changed);
    super.disconnectedCallback();
  }

  override render() {
    const c = this.catalogue;
    const items: Column<Item>[] = [
      { label: 'SKU', value: (i) => i.sku },
      { label: 'Name', value: (i) => i.name },
      { label: 'Unit', value: (i) => i.uom },
      { label: 'Tracking', value: (i) => TRACKING[i.tracking] },
      { label: 'Category', value: (i) => i.category ?? '' },
    ];
    const locations: Column<LocationRow>[] = [
      { label: 'Location', value: (l) => l.label },
      { label: 'Name', value: (l) => l.name },
    ];
    return html`<h2>Items and locations</h2>
      ${this.problem ? html`<p class="error" role="alert">${this.problem.message}</p>` : nothing}
      ${
        c
          ? html`<section aria-label="Items">
              <h3>Items</h3>
              ${dataTable(items, c.items, { caption: 'Items', hideCaption: true, empty: 'No items yet.' })}
              ${this.can('warehouses.items.write') ? html`<warehouses-new-item .erp=${this.erp}></warehouses-new-item>` : nothing}
            </section>
            <section aria-label="Warehouses and locations">
              <h3>Warehouses and locations</h3>
              ${dataTable(locations, c.locations, {
                caption: 'Locations',
                hideCaption: true,
                empty: c.warehouses.length ? 'No locations yet.' : 'No warehouses yet.',
              })}
              ${
                this.can('warehouses.locations.write')
                  ? html`<warehouses-new-warehouse .erp=${this.erp}></warehouses-new-warehouse>
                      <warehouses-new-location .erp=${this.erp}></warehouses-new-location>`
                  : nothing
              }
            </section>`
          : html`<p class="status" part="status">Loading…</p>`
      }`;
  }
}

customElements.define('warehouses-setup', WarehousesSetup);
