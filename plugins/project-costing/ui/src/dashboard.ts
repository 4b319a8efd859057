// <project-costing-dashboard>: one project's earned value at a status date — the S-curve (PV, EV,
// AC over time), the indices (CPI, SPI, TCPI), variances and the three estimates at completion, the
// forecast finish, and the figures per activity. Without a `project-id` it offers the tenant's
// projects and shows the first. `series` and `drawn` expose what the chart shows, for tests.
import { type ApiProblem, type Column, dataTable, ErpPluginElement, erpStyles, formField } from '@erp/sdk/ui';
import { css, html, nothing } from 'lit';
import type { FinishForecast, PresentedMetrics } from '../../src/engine/index.js';
import { type CurveSeries, curveState, drawCurve } from './s-curve.js';

// The API's shapes are the engine's presented types (type-only: nothing of the engine is bundled).
type Metrics = PresentedMetrics;
interface ActivityRow extends Metrics {
  activityId: string;
  code: string;
  name: string;
}
interface Evm {
  projectId: string;
  code: string;
  currency: string;
  asOf: string;
  project: Metrics;
  activities: ActivityRow[];
  forecast: FinishForecast;
}
interface Curve {
  asOf: string;
  forecast: { finish: string | null; eac: string | null };
  points: Array<{ date: string; pv: string; ev: string | null; ac: string | null }>;
}
interface ProjectRef {
  id: string;
  code: string;
  name: string;
}

const BASE = '/api/v1/p/project-costing';
const dash = (v: string | null | undefined) => v ?? '—';
/** Indices are unrounded decimals from the API; four places are enough to read them. */
const idx = (v: string | null | undefined) => {
  if (v === null || v === undefined) return '—';
  const [i, f = ''] = v.split('.');
  return f.length > 4 ? `${i}.${f.slice(0, 4)}…` : v;
};

const COLUMNS: Column<ActivityRow>[] = [
  { label: 'Activity', value: (r) => `${r.code} ${r.name}` },
  { label: 'BAC', value: (r) => r.bac, numeric: true },
  { label: 'PV', value: (r) => r.pv, numeric: true },
  { label: 'EV', value: (r) => r.ev, numeric: true },
  { label: 'AC', value: (r) => r.ac, numeric: true },
  { label: 'CV', value: (r) => r.cv, numeric: true },
  { label: 'SV', value: (r) => r.sv, numeric: true },
  { label: 'CPI', value: (r) => idx(r.cpi), numeric: true },
  { label: 'SPI', value: (r) => idx(r.spi), numeric: true },
  { label: 'EAC (BAC/CPI)', value: (r) => dash(r.eac.atCpi.eac), numeric: true },
];

export class ProjectDashboard extends ErpPluginElement {
  static override styles = [
    erpStyles,
    css`
      .chart { position: relative; height: 300px; margin: 0.75rem 0; }
      dl.kpi { display: grid; grid-template-columns: repeat(auto-fit, minmax(9rem, 1fr)); gap: 0.5rem 1rem; margin: 0.5rem 0; }
      dl.kpi div { border: 1px solid var(--erp-border, #d9e2ec); border-radius: 4px; padding: 0.4rem 0.6rem; }
      dt { font-size: 0.85rem; color: var(--erp-muted, #52606d); }
      dd { margin: 0; font-size: 1.1rem; font-variant-numeric: tabular-nums; }
    `,
  ];
  static override reloadOn = ['projectId', 'asOf'];
  static override properties = {
    projectId: { attribute: 'project-id' },
    asOf: { attribute: 'as-of' },
    projects: { state: true },
    evm: { state: true },
    curve: { state: true },
    problem: { state: true },
  };
  declare projectId?: string;
  declare asOf?: string;
  declare projects?: ProjectRef[];
  declare evm?: Evm;
  declare curve?: Curve;
  declare problem?: ApiProblem;

  /** What the S-curve shows (decimal strings as the API gave them). */
  get series(): CurveSeries {
    const p = this.curve?.points ?? [];
    const f = this.curve?.forecast;
    // AC at the status date joined to EAC at the forecast finish; nothing when there is no forecast.
    const forecast = p.map((x) =>
      !f?.finish || f.finish <= (this.curve?.asOf ?? '')
        ? null
        : x.date === this.curve?.asOf
          ? x.ac
          : x.date === f.finish
            ? f.eac
            : null,
    );
    return {
      labels: p.map((x) => x.date),
      pv: p.map((x) => x.pv),
      ev: p.map((x) => x.ev),
      ac: p.map((x) => x.ac),
      forecast,
    };
  }

  /** What the chart actually draws (for tests). */
  get drawn() {
    return curveState(this.renderRoot.querySelector('canvas[part=s-curve]'));
  }

  override async load(): Promise<void> {
    this.dataset.state = 'loading';
    try {
      if (!this.projects)
        this.projects = (await this.call<{ projects: ProjectRef[] }>(`${BASE}/projects`)).projects;
      const id = this.projectId ?? this.projects[0]?.id;
      if (!id) {
        this.evm = undefined;
        this.curve = undefined;
        this.dataset.state = 'ready';
        return;
      }
      const query = this.asOf ? { asOf: this.asOf } : {};
      const [evm, curve] = await Promise.all([
        this.call<Evm>(`${BASE}/projects/${id}/evm`, { query }),
        this.call<Curve>(`${BASE}/projects/${id}/s-curve`, { query }),
      ]);
      this.evm = evm;
      this.curve = curve;
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
    if (!changed.has('curve')) return;
    const canvas = this.renderRoot.querySelector<HTMLCanvasElement>('canvas[part=s-curve]');
    if (!canvas || !this.evm) return;
    const css = getComputedStyle(this);
    const token = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
    drawCurve(canvas, this.series, {
      text: token('--erp-fg', '#1f2933'),
      grid: token('--erp-border', '#d9e2ec'),
      currency: this.evm.currency,
    });
  }

  private kpi(label: string, value: string, part: string) {
    return html`<div><dt>${label}</dt><dd part=${part}>${value}</dd></div>`;
  }

  override render() {
    const e = this.evm;
    const m = e?.project;
    const s = this.series;
    return html`<h2>Project earned value</h2>
      <div class="toolbar">
        ${formField({
          id: 'project',
          label: 'Project',
          type: 'select',
          value: this.projectId ?? e?.projectId ?? '',
          options: (this.projects ?? []).map((p) => ({ value: p.id, label: `${p.code} ${p.name}` })),
          onInput: (v) => {
            this.projectId = v || undefined;
          },
        })}
        ${formField({
          id: 'as-of',
          label: 'Status date',
          type: 'date',
          value: this.asOf ?? e?.asOf ?? '',
          onInput: (v) => {
            this.asOf = v || undefined;
          },
        })}
      </div>
      ${this.problem ? html`<p class="error" role="alert">${this.problem.message}</p>` : nothing}
      ${!e && this.projects?.length === 0 ? html`<p class="status">No projects yet.</p>` : nothing}
      ${
        m && e
          ? html`<p class="status" part="summary">
                ${e.code} at ${e.asOf}: ${idx(m.percentComplete)} % complete, ${m.ac} ${e.currency} spent of ${m.bac};
                forecast finish ${dash(e.forecast.forecastFinish)} (planned ${e.forecast.plannedFinish})
              </p>
              <dl class="kpi">
                ${this.kpi('CPI', idx(m.cpi), 'cpi')} ${this.kpi('SPI', idx(m.spi), 'spi')}
                ${this.kpi('CV', m.cv, 'cv')} ${this.kpi('SV', m.sv, 'sv')}
                ${this.kpi('EAC (BAC/CPI)', dash(m.eac.atCpi.eac), 'eac-cpi')}
                ${this.kpi('EAC (AC + BAC − EV)', dash(m.eac.atBudget.eac), 'eac-budget')}
                ${this.kpi('EAC (CPI × SPI)', dash(m.eac.atCpiSpi.eac), 'eac-cpi-spi')}
                ${this.kpi('ETC', dash(m.eac.atCpi.etc), 'etc')} ${this.kpi('VAC', dash(m.eac.atCpi.vac), 'vac')}
                ${this.kpi('TCPI (BAC)', idx(m.tcpiBac), 'tcpi-bac')} ${this.kpi('TCPI (EAC)', idx(m.eac.atCpi.tcpi), 'tcpi-eac')}
              </dl>`
          : nothing
      }
      <figure ?hidden=${!e}>
        <figcaption id="curve-caption">S-curve: cumulative PV, EV and AC, and the forecast to completion</figcaption>
        <div class="chart">
          <canvas part="s-curve" role="img" aria-labelledby="curve-caption" aria-describedby="curve-summary"></canvas>
        </div>
        <p id="curve-summary" class="visually-hidden">
          ${s.labels.length} dates from ${s.labels[0] ?? '—'} to ${s.labels.at(-1) ?? '—'}; at the status date
          PV ${dash(m?.pv)}, EV ${dash(m?.ev)}, AC ${dash(m?.ac)}.
        </p>
      </figure>
      ${e ? dataTable(COLUMNS, e.activities, { caption: 'Earned value per activity', part: 'activities', empty: 'No activities.' }) : nothing}`;
  }
}

customElements.define('project-costing-dashboard', ProjectDashboard);
