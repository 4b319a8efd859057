// <costing-valuation-report>: the valuation now or at a date — total, value over time (a line
// chart by day, week or month), value by item (a bar chart) and the table per item and warehouse.
// `series` holds what the charts show, so tests and assistive text read the same figures.
import { type ApiProblem, type Column, dataTable, ErpPluginElement, erpStyles, formField } from '@erp/sdk/ui';
import { css, html, nothing } from 'lit';
import { chartState, drawChart, type Series } from './charts.js';

interface Row {
  itemId: string;
  sku: string | null;
  warehouseId: string;
  method: string;
  qty: string;
  value: string;
  unitCost: string | null;
  waiting: number;
}
interface Report {
  asOf: string | null;
  rows: Row[];
  totalValue: string;
}
interface History {
  interval: string;
  points: Array<{ at: string; value: string; qty: string }>;
}

const BASE = '/api/v1/p/costing';
const short = (id: string) => `${id.slice(0, 8)}…`;
/** A point is the value at the end of its period (`at`, exclusive): labelled with the period's last day. */
const lastDay = (at: string) =>
  new Date(Date.parse(at.replace(/(\.\d{3})\d+/, '$1')) - 1).toISOString().slice(0, 10);
const INTERVALS = [
  { value: 'day', label: 'Day' },
  { value: 'week', label: 'Week' },
  { value: 'month', label: 'Month' },
];

/** Sums decimal strings exactly (scaled bigints), so the chart's per-item totals are not floats. */
function addDecimals(a: string, b: string): string {
  const scale = Math.max(a.split('.')[1]?.length ?? 0, b.split('.')[1]?.length ?? 0);
  const big = (s: string) => {
    const [i, f = ''] = s.replace('-', '').split('.');
    const v = BigInt(`${i}${f.padEnd(scale, '0')}`);
    return s.startsWith('-') ? -v : v;
  };
  const sum = big(a) + big(b);
  const neg = sum < 0n;
  const digits = (neg ? -sum : sum).toString().padStart(scale + 1, '0');
  const int = digits.slice(0, digits.length - scale);
  const frac = scale ? digits.slice(-scale).replace(/0+$/, '') : '';
  return `${neg ? '-' : ''}${int}${frac ? `.${frac}` : ''}`;
}

/** The table's columns; warehouses are shown by their code when the warehouses plugin names them. */
const columns = (codes: ReadonlyMap<string, string>): Column<Row>[] => [
  { label: 'Item', value: (r) => r.sku ?? r.itemId },
  { label: 'Warehouse', value: (r) => codes.get(r.warehouseId) ?? short(r.warehouseId) },
  { label: 'Method', value: (r) => r.method },
  { label: 'Quantity', value: (r) => r.qty, numeric: true },
  { label: 'Value', value: (r) => r.value, numeric: true },
  { label: 'Unit cost', value: (r) => r.unitCost ?? '—', numeric: true },
  { label: 'Waiting', value: (r) => r.waiting ?? 0, numeric: true },
];

export class ValuationReport extends ErpPluginElement {
  static override styles = [
    erpStyles,
    css`
      .charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); gap: 1rem; margin: 0.75rem 0; }
      figure { margin: 0; }
      figcaption { font-weight: 600; margin-bottom: 0.25rem; }
      .chart { position: relative; height: 260px; }
      .total { margin: 0.25rem 0 0.5rem; font-size: 1.05rem; }
    `,
  ];
  static override reloadOn = ['asOf', 'interval'];
  static override properties = {
    asOf: { attribute: 'as-of' },
    interval: {},
    report: { state: true },
    history: { state: true },
    problem: { state: true },
    warehouseCodes: { state: true },
  };
  declare asOf?: string;
  declare warehouseCodes: ReadonlyMap<string, string>;
  declare interval?: 'day' | 'week' | 'month';
  declare report?: Report;
  declare history?: History;
  declare problem?: ApiProblem;

  /** What the charts show: value over time and value by item. */
  get series(): { overTime: Series; byItem: Series } {
    const points = this.history?.points ?? [];
    const byItem = new Map<string, string>();
    for (const r of this.report?.rows ?? []) {
      const k = r.sku ?? short(r.itemId);
      byItem.set(k, addDecimals(byItem.get(k) ?? '0', r.value));
    }
    return {
      overTime: { labels: points.map((p) => lastDay(p.at)), values: points.map((p) => p.value) },
      byItem: { labels: [...byItem.keys()], values: [...byItem.values()] },
    };
  }

  /** What the two charts actually draw (for tests): data, legend, axis titles, open tooltip. */
  get drawn() {
    const time = chartState(this.renderRoot.querySelector('canvas[part=over-time]'));
    const items = chartState(this.renderRoot.querySelector('canvas[part=by-item]'));
    return {
      overTime: { labels: time?.labels ?? [], data: time?.data ?? [] },
      byItem: { labels: items?.labels ?? [], data: items?.data ?? [] },
      legend: [...(time?.legend ?? []), ...(items?.legend ?? [])],
      axes: [...(time?.axes ?? []), ...(items?.axes ?? [])],
      tooltip: items?.tooltip ?? [],
    };
  }

  override async load(): Promise<void> {
    this.dataset.state = 'loading';
    // A date alone means the end of that day (UTC).
    const asOf =
      this.asOf && /^\d{4}-\d{2}-\d{2}$/.test(this.asOf) ? `${this.asOf}T23:59:59.999Z` : this.asOf;
    try {
      const [report, history] = await Promise.all([
        this.call<Report>(`${BASE}/valuation`, { query: { asOf } }),
        this.call<History>(`${BASE}/valuation/history`, {
          query: { to: asOf, interval: this.interval ?? 'day' },
        }),
      ]);
      this.report = report;
      this.history = history;
      this.warehouseCodes = await this.loadWarehouseCodes();
      this.problem = undefined;
      await this.updateComplete;
      this.dataset.state = 'ready';
    } catch (err) {
      this.problem = err as ApiProblem;
      this.dataset.state = 'error';
    }
  }

  /**
   * Costing knows warehouses by id only (its events carry ids): their codes come from the
   * warehouses plugin when the user may read them, and the table falls back to the id otherwise.
   */
  private async loadWarehouseCodes(): Promise<ReadonlyMap<string, string>> {
    if (!this.can('warehouses.locations.read')) return new Map();
    try {
      const { warehouses } = await this.call<{ warehouses: Array<{ id: string; code: string }> }>(
        '/api/v1/p/warehouses/warehouses',
      );
      return new Map(warehouses.map((w) => [w.id, w.code]));
    } catch {
      return new Map();
    }
  }

  protected override updated(changed: Map<PropertyKey, unknown>): void {
    super.updated(changed);
    if (!changed.has('report') && !changed.has('history')) return;
    const css = getComputedStyle(this);
    const token = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
    const look = {
      colour: token('--erp-accent', '#1d4ed8'),
      text: token('--erp-fg', '#1f2933'),
      grid: token('--erp-border', '#d9e2ec'),
    };
    const s = this.series;
    const time = this.renderRoot.querySelector<HTMLCanvasElement>('canvas[part=over-time]');
    const items = this.renderRoot.querySelector<HTMLCanvasElement>('canvas[part=by-item]');
    if (time) drawChart(time, 'line', s.overTime, { ...look, label: 'Stock value', x: 'Date' });
    if (items) drawChart(items, 'bar', s.byItem, { ...look, label: 'Value by item', x: 'Item' });
  }

  override render() {
    const r = this.report;
    const s = this.series;
    const last = s.overTime.values.at(-1);
    return html`<h2>Stock valuation</h2>
      <div class="toolbar">
        ${formField({
          id: 'as-of',
          label: 'As of date',
          type: 'date',
          value: this.asOf && /^\d{4}-\d{2}-\d{2}$/.test(this.asOf) ? this.asOf : '',
          onInput: (v) => {
            this.asOf = v || undefined;
          },
        })}
        ${formField({
          id: 'interval',
          label: 'Chart interval',
          type: 'select',
          value: this.interval ?? 'day',
          options: INTERVALS,
          onInput: (v) => {
            this.interval = (v || 'day') as 'day';
          },
        })}
        <button type="button" class="secondary" @click=${() => this.load()}>Refresh</button>
      </div>
      ${this.problem ? html`<p class="error" role="alert">${this.problem.message}</p>` : nothing}
      ${
        r
          ? html`<p class="total" part="total">
              Total value ${r.totalValue}${r.asOf ? ` at ${r.asOf}` : ''} — ${r.rows.length}
              item${r.rows.length === 1 ? '' : 's'} × warehouse
            </p>`
          : html`<p class="status">Loading…</p>`
      }
      <div class="charts" ?hidden=${!r}>
        <figure>
          <figcaption id="over-time-caption">Value over time (by ${this.interval ?? 'day'})</figcaption>
          <div class="chart">
            <canvas part="over-time" role="img" aria-labelledby="over-time-caption"
              aria-describedby="over-time-summary"></canvas>
          </div>
          <p id="over-time-summary" class="visually-hidden">
            ${s.overTime.values.length} points from ${s.overTime.labels[0] ?? '—'} to ${s.overTime.labels.at(-1) ?? '—'};
            latest value ${last ?? '—'}.
          </p>
        </figure>
        <figure>
          <figcaption id="by-item-caption">Value by item</figcaption>
          <div class="chart">
            <canvas part="by-item" role="img" aria-labelledby="by-item-caption"
              aria-describedby="by-item-summary"></canvas>
          </div>
          <p id="by-item-summary" class="visually-hidden">
            ${s.byItem.labels.map((l, i) => `${l}: ${s.byItem.values[i]}`).join('; ') || 'No stock valued.'}
          </p>
        </figure>
      </div>
      ${r ? dataTable(columns(this.warehouseCodes ?? new Map()), r.rows, { caption: 'Value per item and warehouse', part: 'table', empty: 'No stock valued.' }) : nothing}`;
  }
}

customElements.define('costing-valuation-report', ValuationReport);
