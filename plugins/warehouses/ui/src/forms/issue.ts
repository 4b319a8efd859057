// <warehouses-issue-stock>: posts an issue (one line) — item, location, quantity, the lot or the
// serial numbers when the item is tracked, the sale price per unit (optional), customer and
// reference. An expired lot (or one past its
// removal date) is refused, naming the lot; a holder of warehouses.lots.expired-override is offered
// to post it anyway with a reason (POST /issues/expired-override), everyone else is told who can.
import { fieldErrorText } from '@erp/sdk/ui';
import { html, nothing } from 'lit';
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

  success(r: { id: string; warnings?: string[] }) {
    const said = r.warnings?.length ? ` Delivered anyway: ${r.warnings.join('; ')}.` : '';
    return `Issue posted (${r.id.slice(0, 8)}).${said}`;
  }

  private reason = '';

  protected override renderExtra() {
    const code = this.problem?.code;
    // Shown after the refusal, and again while the reason itself is refused (too short, blank).
    const reasonError = this.problem?.fieldMessage('/body/overrideReason');
    if (code !== 'WAREHOUSES_LOT_EXPIRED' && code !== 'WAREHOUSES_LOT_PAST_REMOVAL' && !reasonError)
      return nothing;
    if (!this.can(OVERRIDE))
      return html`<p class="status" part="override">Only a holder of ${OVERRIDE} can deliver this lot anyway.</p>`;
    return html`<form part="override" novalidate
      @submit=${(e: Event) => {
        e.preventDefault();
        void this.send(`${this.path}/expired-override`, { ...this.body(), overrideReason: this.reason });
      }}>
      <label for="override-reason">Reason to deliver it anyway (kept with the move and audited)</label>
      <textarea id="override-reason" aria-invalid=${reasonError ? 'true' : 'false'} aria-describedby="override-error"
        @input=${(e: Event) => {
          this.reason = (e.target as HTMLTextAreaElement).value;
        }}></textarea>
      <p id="override-error" class="error">${reasonError ? fieldErrorText('The reason', reasonError) : ''}</p>
      <div><button type="submit" ?disabled=${this.busy}>Deliver anyway</button></div>
    </form>`;
  }
}

const OVERRIDE = 'warehouses.lots.expired-override';

customElements.define('warehouses-issue-stock', IssueStock);
