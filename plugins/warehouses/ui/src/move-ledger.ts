// <warehouses-move-ledger>: the immutable move ledger in posting order, newest page last, with
// "Load more" following the seq cursor. Attributes item-id, location-id and warehouse-id filter it.
// Holders of warehouses.documents.cancel can cancel a listed document (reversing moves).
import { type ApiProblem, type Column, dataTable, ErpPluginElement, erpStyles, formField } from '@erp/sdk/ui';
import { html, nothing } from 'lit';

interface Move {
  documentId: string;
  cancelled: boolean;
  /** The reason an expired lot was delivered anyway (warehouses.lots.expired-override). */
  expiryOverride?: string | null;
  cancelsMoveId: string | null;
  seq: number;
  effectiveAt: string;
  kind: string;
  sku: string;
  locationCode: string;
  lot: string | null;
  serials: string[];
  qty: string;
  unitCost: string | null;
  unitPrice: string | null;
  partner: string | null;
  reference: string | null;
}

const COLUMNS: Column<Move>[] = [
  { label: '#', value: (m) => m.seq, numeric: true },
  { label: 'Date', value: (m) => m.effectiveAt.slice(0, 19).replace('T', ' ') },
  { label: 'Kind', value: (m) => m.kind },
  { label: 'SKU', value: (m) => m.sku },
  { label: 'Location', value: (m) => m.locationCode },
  { label: 'Lot', value: (m) => m.lot },
  { label: 'Serials', value: (m) => m.serials.join(', ') },
  { label: 'Quantity', value: (m) => m.qty, numeric: true },
  { label: 'Unit cost', value: (m) => m.unitCost, numeric: true },
  { label: 'Sale price', value: (m) => m.unitPrice, numeric: true },
  { label: 'Partner', value: (m) => m.partner },
  { label: 'Reference', value: (m) => m.reference },
  {
    label: 'Status',
    value: (m) =>
      [
        m.cancelled ? 'cancelled' : m.cancelsMoveId ? 'reversal' : '',
        m.expiryOverride ? `expired lot delivered: ${m.expiryOverride}` : '',
      ]
        .filter(Boolean)
        .join('; '),
  },
];

/** Documents that can still be cancelled, in ledger order (one option each). */
const cancellable = (moves: readonly Move[]) => [
  ...new Map(
    moves
      .filter((m) => !m.cancelled && !m.cancelsMoveId)
      .map((m) => [
        m.documentId,
        {
          value: m.documentId,
          label: `#${m.seq} ${m.kind} ${m.sku} ${m.qty}${m.reference ? ` (${m.reference})` : ''}`,
        },
      ]),
  ).values(),
];

export class MoveLedger extends ErpPluginElement {
  static override styles = erpStyles;
  static override reloadOn = ['itemId', 'locationId', 'warehouseId', 'limit'];
  static override properties = {
    itemId: { attribute: 'item-id' },
    locationId: { attribute: 'location-id' },
    warehouseId: { attribute: 'warehouse-id' },
    limit: { type: Number },
    moves: { state: true },
    next: { state: true },
    problem: { state: true },
    cancelId: { state: true },
    cancelProblem: { state: true },
  };
  declare itemId?: string;
  declare locationId?: string;
  declare warehouseId?: string;
  declare limit?: number;
  declare moves?: Move[];
  declare next?: number | null;
  declare problem?: ApiProblem;
  declare cancelId?: string;
  declare cancelProblem?: ApiProblem;

  protected override async load(after?: number): Promise<void> {
    try {
      const data = await this.call<{ moves: Move[]; next: number | null }>('/api/v1/p/warehouses/moves', {
        query: {
          itemId: this.itemId,
          locationId: this.locationId,
          warehouseId: this.warehouseId,
          limit: this.limit,
          after,
        },
      });
      this.moves = after ? [...(this.moves ?? []), ...data.moves] : data.moves;
      this.next = data.next;
      this.problem = undefined;
    } catch (err) {
      this.problem = err as ApiProblem;
    }
  }

  private async cancelDocument(e: Event): Promise<void> {
    e.preventDefault();
    try {
      const doc = await this.call<{ id: string }>(
        `/api/v1/p/warehouses/documents/${this.cancelId ?? ''}/cancel`,
        {
          body: {},
        },
      );
      this.cancelProblem = undefined;
      this.cancelId = undefined;
      this.notify(`Document cancelled (${doc.id.slice(0, 8)}).`, 'success');
      this.dispatchEvent(
        new CustomEvent('warehouses-stock-changed', { bubbles: true, composed: true, detail: doc }),
      );
      await this.load();
    } catch (err) {
      this.cancelProblem = err as ApiProblem;
    }
  }

  private renderCancel() {
    if (!this.moves || !this.can('warehouses.documents.cancel')) return nothing;
    const options = cancellable(this.moves);
    if (!options.length) return nothing;
    return html`<form part="cancel" @submit=${(e: Event) => this.cancelDocument(e)} novalidate>
      ${formField({
        id: 'cancel-document',
        label: 'Cancel a document',
        type: 'select',
        value: this.cancelId ?? '',
        options,
        hint: 'posts reversing moves at its date; later costs are reposted',
        onInput: (v) => {
          this.cancelId = v;
        },
      })}
      ${this.cancelProblem ? html`<p class="error" role="alert">${this.cancelProblem.message}</p>` : nothing}
      <button type="submit" class="secondary">Cancel document</button>
    </form>`;
  }

  override render() {
    return html`<h2>Stock moves</h2>
      <div class="toolbar"><button type="button" class="secondary" @click=${() => this.load()}>Refresh</button></div>
      ${this.problem ? html`<p class="error" role="alert">${this.problem.message}</p>` : ''}
      ${
        this.moves
          ? html`<p class="status" part="status">${this.moves.length} move(s)</p>
            ${dataTable(COLUMNS, this.moves, { caption: 'Stock moves', hideCaption: true, empty: 'No moves yet.' })}
            ${this.next ? html`<button type="button" part="more" @click=${() => this.load(this.next!)}>Load more</button>` : ''}
            ${this.renderCancel()}`
          : html`<p class="status" part="status">Loading…</p>`
      }`;
  }
}

customElements.define('warehouses-move-ledger', MoveLedger);
