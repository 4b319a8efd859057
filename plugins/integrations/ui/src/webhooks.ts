// <integrations-webhooks>: the tenant's webhook endpoints. An admin subscribes a URL to event
// types (patterns like warehouses.stock.*) and sees its signing secret once; enables, disables,
// rotates the secret (shown once again) or deletes an endpoint; opens an endpoint's delivery log
// (status, attempts, last error) and redelivers a finished delivery. Without the write or replay
// permission those actions are not offered (the API refuses them anyway).
import { type ApiProblem, type Column, dataTable, ErpPluginElement, erpStyles, formField } from '@erp/sdk/ui';
import { css, html, nothing } from 'lit';
import { BASE } from './files.js';

interface Endpoint {
  id: string;
  url: string;
  description: string;
  patterns: string[];
  ordered: boolean;
  enabled: boolean;
  disabledReason: string | null;
  failureStreak: number;
  /** Events kept for a disabled endpoint, sent on re-enable (servers that hold them). */
  heldCount?: number;
  heldDropped?: number;
}
interface Delivery {
  id: string;
  eventType: string;
  status: 'pending' | 'held' | 'delivered' | 'dead';
  attempts: number;
  round: number;
  lastError: string | null;
  createdAt: string;
  nextAttemptAt: string | null;
}

/** Finished deliveries are the ones the API sends again. */
const finished = (d: Delivery) => d.status === 'delivered' || d.status === 'dead';

function endpointState(e: Endpoint): string {
  if (e.enabled) return 'enabled';
  const held = e.heldCount ? `; ${e.heldCount} event(s) held for re-enabling` : '';
  const dropped = e.heldDropped ? `, ${e.heldDropped} dropped` : '';
  return `disabled${e.disabledReason ? `: ${e.disabledReason}` : ''}${held}${dropped}`;
}

const WRITE = 'integrations.webhooks.write';
const REPLAY = 'integrations.webhooks.replay';

export class WebhooksElement extends ErpPluginElement {
  static override styles = [
    erpStyles,
    css`
      .secret { border: 2px solid var(--erp-accent, #0b5cad); padding: .75rem; margin: .75rem 0; }
      .secret code { word-break: break-all; font-size: 1rem; }
      .row-actions { display: flex; gap: .4rem; flex-wrap: wrap; }
      form { display: grid; gap: .5rem; max-width: 40rem; }
    `,
  ];
  static override properties = {
    endpoints: { state: true },
    deliveries: { state: true },
    selected: { state: true },
    secret: { state: true },
    problem: { state: true },
    formProblem: { state: true },
    url: { state: true },
    patterns: { state: true },
    description: { state: true },
  };
  declare endpoints?: Endpoint[];
  declare deliveries?: Delivery[];
  declare selected?: Endpoint;
  /** A secret just made, shown once. */
  declare secret?: { url: string; value: string };
  declare problem?: ApiProblem;
  declare formProblem?: ApiProblem;
  declare url: string;
  declare patterns: string;
  declare description: string;

  constructor() {
    super();
    this.url = this.patterns = this.description = '';
  }

  protected override async load(): Promise<void> {
    try {
      this.endpoints = (await this.call<{ endpoints: Endpoint[] }>(`${BASE}/endpoints`)).endpoints;
      this.problem = undefined;
      if (this.selected) await this.openLog(this.endpoints.find((e) => e.id === this.selected?.id));
    } catch (err) {
      this.problem = err as ApiProblem;
    }
  }

  private async act(what: () => Promise<unknown>, done?: string): Promise<void> {
    try {
      await what();
      this.problem = undefined;
      if (done) this.notify(done, 'success');
      await this.load();
    } catch (err) {
      this.problem = err as ApiProblem;
    }
  }

  private async create(e: Event): Promise<void> {
    e.preventDefault();
    try {
      const created = await this.call<Endpoint & { secret: string }>(`${BASE}/endpoints`, {
        body: {
          url: this.url.trim(),
          patterns: this.patterns.split(/[\s,]+/).filter(Boolean),
          ...(this.description.trim() ? { description: this.description.trim() } : {}),
        },
      });
      this.secret = { url: created.url, value: created.secret };
      this.formProblem = undefined;
      this.url = this.patterns = this.description = '';
      this.notify('Endpoint created', 'success');
      await this.load();
    } catch (err) {
      this.formProblem = err as ApiProblem;
    }
  }

  private rotate(ep: Endpoint): Promise<void> {
    return this.act(async () => {
      const r = await this.call<{ secret: string }>(`${BASE}/endpoints/${ep.id}/secret/rotate`, { body: {} });
      this.secret = { url: ep.url, value: r.secret };
    }, 'Secret rotated; the previous one keeps signing for 24 hours');
  }

  private deleteEndpoint(ep: Endpoint): Promise<void> {
    if (!confirm(`Delete the endpoint ${ep.url} and its delivery log?`)) return Promise.resolve();
    if (this.selected?.id === ep.id) this.selected = undefined;
    return this.act(() => this.call(`${BASE}/endpoints/${ep.id}`, { method: 'DELETE' }), 'Endpoint deleted');
  }

  /** Every dead letter of the endpoint, by the API's time-range replay (from its first delivery). */
  private replayDead(ep: Endpoint): Promise<void> {
    const from = (this.deliveries ?? []).map((d) => d.createdAt).sort()[0] ?? new Date().toISOString();
    return this.act(async () => {
      const r = await this.call<{ replayed: number }>(`${BASE}/endpoints/${ep.id}/replay`, {
        body: { from, to: new Date(Date.now() + 1000).toISOString(), status: ['dead'] },
      });
      this.notify(`${r.replayed} dead letter(s) queued again`, 'success');
    });
  }

  private async openLog(ep: Endpoint | undefined): Promise<void> {
    this.selected = ep;
    if (!ep) return;
    try {
      this.deliveries = (
        await this.call<{ deliveries: Delivery[] }>(`${BASE}/endpoints/${ep.id}/deliveries`)
      ).deliveries;
    } catch (err) {
      this.problem = err as ApiProblem;
    }
  }

  private renderForm() {
    const p = this.formProblem;
    const claimed = ['/body/url', '/body/patterns', '/body/description'];
    return html`<form part="new-endpoint" @submit=${this.create} novalidate aria-labelledby="new-endpoint-title">
      <h3 id="new-endpoint-title">New endpoint</h3>
      ${formField({
        id: 'url',
        label: 'URL',
        value: this.url,
        required: true,
        hint: 'an https address that receives POST requests',
        error: p?.fieldMessage('/body/url'),
        onInput: (v) => {
          this.url = v;
        },
      })}
      ${formField({
        id: 'patterns',
        label: 'Event types',
        value: this.patterns,
        required: true,
        hint: 'separated by spaces, e.g. warehouses.stock.* or * for all',
        error: p?.fieldMessage('/body/patterns'),
        onInput: (v) => {
          this.patterns = v;
        },
      })}
      ${formField({
        id: 'description',
        label: 'Description',
        value: this.description,
        error: p?.fieldMessage('/body/description'),
        onInput: (v) => {
          this.description = v;
        },
      })}
      ${p && (p.unclaimed(claimed).length || !p.errors.length) ? html`<p class="error" role="alert">${p.message}</p>` : nothing}
      <div><button type="submit">Create endpoint</button></div>
    </form>`;
  }

  private renderLog(ep: Endpoint) {
    const replay = this.can(REPLAY);
    const columns: Column<Delivery>[] = [
      { label: 'Created', value: (d) => d.createdAt.replace('T', ' ').slice(0, 19) },
      { label: 'Event', value: (d) => d.eventType },
      { label: 'Status', value: (d) => d.status },
      { label: 'Attempts', value: (d) => d.attempts, numeric: true },
      { label: 'Last error', value: (d) => d.lastError ?? '' },
    ];
    const rows = this.deliveries ?? [];
    return html`<section part="delivery-log" aria-labelledby="log-title">
      <h3 id="log-title">Delivery log of ${ep.url}</h3>
      <div class="toolbar"><button type="button" class="secondary" @click=${() => this.openLog(ep)}>Refresh log</button>
        ${
          replay && rows.some((d) => d.status === 'dead')
            ? html`<button type="button" class="secondary" @click=${() => this.replayDead(ep)}>Redeliver all dead letters</button>`
            : nothing
        }</div>
      ${dataTable(columns, rows, { caption: `Deliveries to ${ep.url}`, hideCaption: true, empty: 'No deliveries yet.', part: 'deliveries' })}
      ${
        replay && rows.some(finished)
          ? html`<ul part="redeliver">${rows.filter(finished).map(
              (d) => html`<li>${d.eventType} (${d.status})
                  <button type="button" class="secondary" aria-label=${`Redeliver ${d.eventType} delivery ${d.id}`}
                    @click=${() => this.act(() => this.call(`${BASE}/deliveries/${d.id}/replay`, { method: 'POST' }), 'Queued for redelivery')}>Redeliver</button></li>`,
            )}</ul>`
          : nothing
      }
    </section>`;
  }

  override render() {
    const write = this.can(WRITE);
    const columns: Column<Endpoint>[] = [
      { label: 'URL', value: (e) => e.url },
      { label: 'Event types', value: (e) => e.patterns.join(' ') },
      { label: 'State', value: endpointState },
      { label: 'Failures in a row', value: (e) => e.failureStreak, numeric: true },
    ];
    return html`<h2>Webhooks</h2>
      ${this.problem ? html`<p class="error" role="alert">${this.problem.message}</p>` : nothing}
      ${
        this.secret
          ? html`<div class="secret" part="secret" role="status">
              <p>Signing secret for ${this.secret.url}. Copy it now: it is not shown again.</p>
              <code part="secret-value">${this.secret.value}</code>
              <p><button type="button" class="secondary" @click=${() => {
                this.secret = undefined;
              }}>I have copied it</button></p>
            </div>`
          : nothing
      }
      ${
        this.endpoints
          ? html`${dataTable(columns, this.endpoints, { caption: 'Webhook endpoints', hideCaption: true, empty: 'No endpoints yet.', part: 'endpoints' })}
            <ul part="endpoint-actions">${this.endpoints.map(
              (ep) => html`<li><span>${ep.url}</span> <span class="row-actions">
                <button type="button" class="secondary" aria-label=${`Delivery log of ${ep.url}`} @click=${() => this.openLog(ep)}>Delivery log</button>
                ${
                  write
                    ? html`<button type="button" class="secondary" aria-label=${`${ep.enabled ? 'Disable' : 'Enable'} ${ep.url}`}
                        @click=${() => this.act(() => this.call(`${BASE}/endpoints/${ep.id}`, { method: 'PATCH', body: { enabled: !ep.enabled } }), ep.enabled ? 'Endpoint disabled' : 'Endpoint enabled')}>${ep.enabled ? 'Disable' : 'Enable'}</button>
                      <button type="button" class="secondary" aria-label=${`Rotate secret of ${ep.url}`} @click=${() => this.rotate(ep)}>Rotate secret</button>
                      <button type="button" class="secondary" aria-label=${`Delete ${ep.url}`} @click=${() => this.deleteEndpoint(ep)}>Delete</button>`
                    : nothing
                }</span></li>`,
            )}</ul>
            ${write ? this.renderForm() : nothing}
            ${this.selected ? this.renderLog(this.selected) : nothing}`
          : this.problem
            ? nothing
            : html`<p class="status" part="status">Loading…</p>`
      }`;
  }
}

customElements.define('integrations-webhooks', WebhooksElement);
