// <warehouses-transfer-stock>: requests an internal transfer (from, to, item, quantity, lot or
// serials) and lists the requests waiting for a decision, with Approve and Reject for users who
// hold warehouses.transfers.approve. Approval posts the moves; the server checks stock then.
import { type ApiProblem, type Column, dataTable } from '@erp/sdk/ui';
import { html } from 'lit';
import { itemOptions, locationOptions } from '../catalogue.js';
import { compact, type FieldSpec, LINE, QTY_HINT, StockForm, serialList } from './stock-form.js';

interface Transfer {
  id: string;
  status: string;
  fromLocationId: string;
  toLocationId: string;
  reference: string | null;
  requestedAt: string;
}

export class TransferStock extends StockForm {
  static override properties = { pending: { state: true }, decisionProblem: { state: true } };
  declare pending?: Transfer[];
  declare decisionProblem?: ApiProblem;

  readonly heading = 'Transfer stock';
  readonly submitLabel = 'Request transfer';
  readonly permission = 'warehouses.transfers.request';
  readonly path = '/api/v1/p/warehouses/transfers';

  fields(): FieldSpec[] {
    return [
      {
        key: 'fromLocationId',
        label: 'From location',
        pointer: '/body/fromLocationId',
        type: 'select',
        options: locationOptions,
        required: true,
      },
      {
        key: 'toLocationId',
        label: 'To location',
        pointer: '/body/toLocationId',
        type: 'select',
        options: locationOptions,
        required: true,
      },
      {
        key: 'itemId',
        label: 'Item',
        pointer: `${LINE}/itemId`,
        type: 'select',
        options: itemOptions,
        required: true,
      },
      {
        key: 'qty',
        label: 'Quantity',
        pointer: `${LINE}/qty`,
        required: true,
        hint: QTY_HINT,
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
      { key: 'reference', label: 'Reference', pointer: '/body/reference' },
    ];
  }

  body() {
    const v = this.values;
    const tracking = this.item()?.tracking;
    return compact({
      fromLocationId: v.fromLocationId,
      toLocationId: v.toLocationId,
      reference: v.reference,
      lines: [
        compact({
          itemId: v.itemId,
          qty: v.qty,
          ...(tracking === 'lot' ? { lot: v.lot } : {}),
          ...(tracking === 'serial' ? { serials: serialList(v.serials) } : {}),
        }),
      ],
    });
  }

  success(r: { id: string }) {
    return `Transfer requested (${r.id.slice(0, 8)}); it moves stock once approved.`;
  }

  protected override async load(): Promise<void> {
    await Promise.all([super.load(), this.loadPending()]);
  }

  protected override posted() {
    return this.loadPending();
  }

  private async loadPending(): Promise<void> {
    try {
      const { transfers } = await this.call<{ transfers: Transfer[] }>('/api/v1/p/warehouses/transfers', {
        query: { status: 'requested' },
      });
      this.pending = transfers;
    } catch (err) {
      this.decisionProblem = err as ApiProblem;
    }
  }

  private async decide(t: Transfer, decision: 'approve' | 'reject'): Promise<void> {
    try {
      await this.call(`/api/v1/p/warehouses/transfers/${t.id}/${decision}`, { body: {} });
      this.decisionProblem = undefined;
      this.notify(`Transfer ${decision === 'approve' ? 'approved' : 'rejected'}.`, 'success');
      this.dispatchEvent(new CustomEvent('warehouses-stock-changed', { bubbles: true, composed: true }));
    } catch (err) {
      this.decisionProblem = err as ApiProblem;
    }
    await this.loadPending();
  }

  protected override renderExtra() {
    const where = (id: string) => this.catalogue?.locations.find((l) => l.id === id)?.label ?? id.slice(0, 8);
    const approve = this.can('warehouses.transfers.approve');
    const columns: Column<Transfer>[] = [
      { label: 'Requested', value: (t) => t.requestedAt.slice(0, 16).replace('T', ' ') },
      { label: 'From', value: (t) => where(t.fromLocationId) },
      { label: 'To', value: (t) => where(t.toLocationId) },
      { label: 'Reference', value: (t) => t.reference },
    ];
    return html`<h3>Waiting for approval</h3>
      ${this.decisionProblem ? html`<p class="error" role="alert">${this.decisionProblem.message}</p>` : ''}
      ${dataTable(columns, this.pending ?? [], { caption: 'Transfers waiting for approval', hideCaption: true, part: 'pending', empty: 'No transfer is waiting.' })}
      ${
        approve
          ? html`<ul class="decisions">${(this.pending ?? []).map(
              (t) => html`<li>
                ${where(t.fromLocationId)} → ${where(t.toLocationId)}${t.reference ? ` (${t.reference})` : ''}:
                <button type="button" aria-label=${`Approve the transfer from ${where(t.fromLocationId)} to ${where(t.toLocationId)}`}
                  @click=${() => this.decide(t, 'approve')}>Approve</button>
                <button type="button" class="secondary" aria-label=${`Reject the transfer from ${where(t.fromLocationId)} to ${where(t.toLocationId)}`}
                  @click=${() => this.decide(t, 'reject')}>Reject</button>
              </li>`,
            )}</ul>`
          : ''
      }`;
  }
}

customElements.define('warehouses-transfer-stock', TransferStock);
