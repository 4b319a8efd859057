// <lots-serials-trace>: pick a lot or a serial number (or preset item-id with lot or serial) and
// see its trace — suppliers, customers it reached, every move. Problems are shown in words.
import { type ApiProblem, ErpPluginElement, erpStyles, formField } from '@erp/sdk/ui';
import { css, html, nothing } from 'lit';
import { type LotTrace, lotView, type SerialTrace, serialView } from './views.js';

interface LotRow {
  itemId: string;
  sku: string;
  code: string;
  expiresOn: string | null;
}
interface SerialRow {
  itemId: string;
  sku: string;
  serial: string;
}

const BASE = '/api/v1/p/lots-serials';
const enc = encodeURIComponent;

export class LotSerialTrace extends ErpPluginElement {
  static override styles = [
    erpStyles,
    css`
      dl { display: grid; grid-template-columns: max-content auto; gap: 2px 12px; }
      dt { color: var(--erp-muted, #52606d); }
      dd { margin: 0; }
      /* the lot's expiry flag (rules library): past alert in amber, due for removal or expired in red */
      h3[data-expiry='alert'] { color: var(--erp-warning, #8a5a00); }
      h3[data-expiry='removal'], h3[data-expiry='expired'] { color: var(--erp-danger, #b42318); }
    `,
  ];
  static override reloadOn = ['itemId', 'lot', 'serial'];
  static override properties = {
    itemId: { attribute: 'item-id' },
    lot: {},
    serial: {},
    lots: { state: true },
    serials: { state: true },
    trace: { state: true },
    problem: { state: true },
  };
  declare itemId?: string;
  declare lot?: string;
  declare serial?: string;
  declare lots?: LotRow[];
  declare serials?: SerialRow[];
  declare trace?: { lot: LotTrace } | { serial: SerialTrace };
  declare problem?: ApiProblem;

  protected override async load(): Promise<void> {
    try {
      if (!this.lots) {
        const [{ lots }, { serials }] = await Promise.all([
          this.call<{ lots: LotRow[] }>(`${BASE}/lots`),
          this.call<{ serials: SerialRow[] }>(`${BASE}/serials`, { query: { limit: 500 } }),
        ]);
        this.lots = lots;
        this.serials = serials;
      }
      this.problem = undefined;
      if (!this.itemId || (!this.lot && !this.serial)) {
        this.trace = undefined;
        return;
      }
      this.trace = this.lot
        ? { lot: await this.call<LotTrace>(`${BASE}/trace/lots/${enc(this.itemId)}/${enc(this.lot)}`) }
        : {
            serial: await this.call<SerialTrace>(
              `${BASE}/trace/serials/${enc(this.itemId)}/${enc(this.serial!)}`,
            ),
          };
    } catch (err) {
      this.trace = undefined;
      this.problem = err as ApiProblem;
    }
  }

  private choose(kind: 'lot' | 'serial', value: string): void {
    const [itemId, code] = value ? (value.split('|') as [string, string]) : [undefined, undefined];
    this.itemId = itemId;
    this.lot = kind === 'lot' ? code : undefined;
    this.serial = kind === 'serial' ? code : undefined;
  }

  override render() {
    const lotValue = this.lot && this.itemId ? `${this.itemId}|${this.lot}` : '';
    const serialValue = this.serial && this.itemId ? `${this.itemId}|${this.serial}` : '';
    return html`<h2>Lot and serial trace</h2>
      <div class="toolbar">
        ${formField({
          id: 'lot',
          label: 'Lot',
          type: 'select',
          value: lotValue,
          options: (this.lots ?? []).map((l) => ({
            value: `${l.itemId}|${l.code}`,
            label: `${l.sku} · lot ${l.code}${l.expiresOn ? ` (expires ${l.expiresOn})` : ''}`,
          })),
          onInput: (v) => this.choose('lot', v),
        })}
        ${formField({
          id: 'serial',
          label: 'Serial number',
          type: 'select',
          value: serialValue,
          options: (this.serials ?? []).map((s) => ({
            value: `${s.itemId}|${s.serial}`,
            label: `${s.sku} · ${s.serial}`,
          })),
          onInput: (v) => this.choose('serial', v),
        })}
      </div>
      ${this.problem ? html`<p class="error" role="alert" part="status">${this.problem.message}</p>` : nothing}
      ${
        this.trace
          ? 'lot' in this.trace
            ? lotView(this.trace.lot)
            : serialView(this.trace.serial)
          : this.problem
            ? nothing
            : html`<p class="status">Choose a lot or a serial number to trace.</p>`
      }`;
  }
}

customElements.define('lots-serials-trace', LotSerialTrace);
