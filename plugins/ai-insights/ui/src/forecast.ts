// <insights-forecast item-id=… warehouse-id=…>: an item's demand history, its forecast with the
// prediction interval, the model that made it (version, metrics, why it was chosen), and a reorder
// suggestion to accept or dismiss. Accepting applies the reorder point through the warehouses
// plugin's own route, with the user's own permission (warehouses.reorder.write).
import { type ApiProblem, ErpPluginElement, erpStyles, formField } from '@erp/sdk/ui';
import { css, html, nothing } from 'lit';
import { chartState, drawForecast, type ForecastSeries } from './chart.js';

const BASE = '/api/v1/p/ai-insights';

interface Prediction {
  periodStart: string;
  point: string;
  lower: string;
  upper: string;
}
interface ForecastAnswer {
  status: 'ok' | 'insufficient-history';
  period: string;
  level: number;
  history: { periodStart: string; qty: string }[];
  forecast: Prediction[];
  /** Why there is no forecast, or how it was made. */
  message: string;
  model: null | {
    version: number;
    model: string | null;
    explanation: string;
    trainedFrom: string | null;
    trainedTo: string | null;
    metrics: { mase: number; mape: number | null; skill: number } | null;
  };
}
interface Suggestion {
  id: string;
  reorderPoint: string;
  orderQty: string;
  safetyStock: string;
  explanation: string;
  status: string;
  apply?: { method: 'PUT'; path: string; body: unknown };
}

export class InsightsForecast extends ErpPluginElement {
  static override styles = [
    erpStyles,
    css`
      .chart { position: relative; height: 300px; margin: 0.75rem 0; }
      .model { margin: 0.25rem 0; }
      .suggestion { border: 1px solid var(--erp-border, #d9e2ec); padding: 0.5rem 0.75rem; margin-top: 0.75rem; }
    `,
  ];
  static override reloadOn = ['itemId', 'warehouseId'];
  static override properties = {
    itemId: { attribute: 'item-id' },
    warehouseId: { attribute: 'warehouse-id' },
    answer: { state: true },
    suggestion: { state: true },
    problem: { state: true },
    choices: { state: true },
  };
  /** Items and warehouses to choose from (the warehouses catalogue, read with the user's permission). */
  declare choices?: {
    items: { value: string; label: string }[];
    warehouses: { value: string; label: string }[];
  };
  declare itemId?: string;
  declare warehouseId?: string;
  declare answer?: ForecastAnswer;
  declare suggestion?: Suggestion;
  declare problem?: ApiProblem;

  /** What the chart shows: history, then forecast and interval over the following periods. */
  get series(): ForecastSeries {
    const a = this.answer;
    const h = a?.history ?? [];
    const f = a?.forecast ?? [];
    const pad = (n: number) => new Array<null>(n).fill(null);
    // The forecast line starts at the last actual, so the two lines join.
    const last = h.length ? Number(h.at(-1)!.qty) : null;
    return {
      labels: [...h.map((p) => p.periodStart), ...f.map((p) => p.periodStart)],
      history: [...h.map((p) => Number(p.qty)), ...pad(f.length)],
      forecast: [
        ...pad(Math.max(0, h.length - 1)),
        ...(h.length ? [last] : []),
        ...f.map((p) => Number(p.point)),
      ],
      lower: [...pad(h.length), ...f.map((p) => Number(p.lower))],
      upper: [...pad(h.length), ...f.map((p) => Number(p.upper))],
      level: a?.level ?? 0.8,
    };
  }

  get drawn() {
    return chartState(this.renderRoot.querySelector('canvas[part=forecast-chart]'));
  }

  override async load(): Promise<void> {
    if (!this.choices && this.can('warehouses.stock.read')) {
      try {
        const [items, warehouses] = await Promise.all([
          this.call<{ items: { id: string; sku: string; name: string }[] }>('/api/v1/p/warehouses/items', {
            query: { limit: 1000 },
          }),
          this.call<{ warehouses: { id: string; code: string; name: string }[] }>(
            '/api/v1/p/warehouses/warehouses',
          ),
        ]);
        this.choices = {
          items: items.items.map((i) => ({ value: i.id, label: `${i.sku} — ${i.name}` })),
          warehouses: warehouses.warehouses.map((w) => ({ value: w.id, label: `${w.code} — ${w.name}` })),
        };
      } catch (err) {
        this.problem = err as ApiProblem;
      }
    }
    if (!this.itemId || !this.warehouseId) return;
    this.dataset.state = 'loading';
    try {
      this.answer = await this.call<ForecastAnswer>(`${BASE}/forecast`, {
        query: { itemId: this.itemId, warehouseId: this.warehouseId },
      });
      this.problem = undefined;
      await this.updateComplete;
      this.dataset.state = 'ready';
    } catch (err) {
      this.problem = err as ApiProblem;
      this.dataset.state = 'error';
    }
  }

  protected override updated(changed: Map<PropertyKey, unknown>): void {
    super.updated(changed);
    if (!changed.has('answer')) return;
    const canvas = this.renderRoot.querySelector<HTMLCanvasElement>('canvas[part=forecast-chart]');
    if (!canvas || this.answer?.status !== 'ok') return;
    const style = getComputedStyle(this);
    const token = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
    drawForecast(canvas, this.series, {
      accent: token('--erp-accent', '#1d4ed8'),
      text: token('--erp-fg', '#1f2933'),
      grid: token('--erp-border', '#d9e2ec'),
    });
  }

  private async suggest() {
    try {
      this.suggestion = await this.call<Suggestion>(`${BASE}/reorder-suggestions`, {
        method: 'POST',
        body: { itemId: this.itemId, warehouseId: this.warehouseId },
      });
      this.problem = undefined;
    } catch (err) {
      this.problem = err as ApiProblem;
    }
  }

  private async decide(verdict: 'accept' | 'dismiss') {
    const s = this.suggestion;
    if (!s) return;
    try {
      const decided = await this.call<Suggestion>(`${BASE}/reorder-suggestions/${s.id}/${verdict}`, {
        method: 'POST',
        body: {},
      });
      if (verdict === 'accept' && decided.apply) {
        await this.call(decided.apply.path, { method: decided.apply.method, body: decided.apply.body });
        this.notify(`Reorder point set to ${decided.reorderPoint}, quantity ${decided.orderQty}`, 'success');
      }
      this.suggestion = decided;
    } catch (err) {
      this.problem = err as ApiProblem;
    }
  }

  override render() {
    const a = this.answer;
    const m = a?.model;
    const c = this.choices;
    return html`<h2>Demand forecast</h2>
      ${
        c
          ? html`<div class="toolbar">
              ${formField({
                id: 'item',
                label: 'Item',
                type: 'select',
                value: this.itemId ?? '',
                options: c.items,
                onInput: (v) => {
                  this.itemId = v || undefined;
                  this.suggestion = undefined;
                },
              })}
              ${formField({
                id: 'warehouse',
                label: 'Warehouse',
                type: 'select',
                value: this.warehouseId ?? '',
                options: c.warehouses,
                onInput: (v) => {
                  this.warehouseId = v || undefined;
                  this.suggestion = undefined;
                },
              })}
            </div>`
          : nothing
      }
      ${this.problem ? html`<p class="error" role="alert">${this.problem.message}</p>` : nothing}
      ${!a ? html`<p class="status">${this.itemId ? 'Loading…' : 'Choose an item and a warehouse.'}</p>` : nothing}
      ${
        a?.status === 'insufficient-history'
          ? html`<p class="status" part="insufficient">Not enough history to forecast: ${a.message}</p>`
          : nothing
      }
      <div class="chart" ?hidden=${a?.status !== 'ok'}>
        <canvas part="forecast-chart" role="img" aria-label="Demand per ${a?.period ?? 'period'}: history, forecast and its interval"></canvas>
      </div>
      ${
        a?.status === 'ok' && m
          ? html`<p class="model" part="model">
                Model ${m.model} v${m.version} (trained ${m.trainedFrom} – ${m.trainedTo}); backtest MASE
                ${m.metrics?.mase.toFixed(2)}${m.metrics?.mape != null ? html`, MAPE ${m.metrics.mape.toFixed(1)}%` : nothing}.
                ${m.explanation}.
              </p>
              <button type="button" @click=${() => this.suggest()} ?disabled=${!this.can('insights.suggestions.write')}>
                Suggest reorder point
              </button>`
          : nothing
      }
      ${
        this.suggestion
          ? html`<div class="suggestion" part="suggestion">
              <p>Reorder at <strong>${this.suggestion.reorderPoint}</strong>, order <strong>${this.suggestion.orderQty}</strong>
                (safety stock ${this.suggestion.safetyStock}) — ${this.suggestion.status}</p>
              <p>${this.suggestion.explanation}</p>
              ${
                this.suggestion.status === 'open'
                  ? html`<button type="button" @click=${() => this.decide('accept')}>Accept</button>
                      <button type="button" class="secondary" @click=${() => this.decide('dismiss')}>Dismiss</button>`
                  : nothing
              }
            </div>`
          : nothing
      }`;
  }
}

customElements.define('insights-forecast', InsightsForecast);
