// The tenant's audit log: filters (action or prefix.*, actor type, resource type, time range), the
// chain's verification status (GET /api/v1/audit/status) and, for any entry, its RFC 9162
// inclusion proof downloaded as JSON for an outside auditor.
import { html, nothing } from 'lit';
import { Page } from './page.js';

interface Entry {
  seq: number;
  occurredAt: string;
  actor: { type: string; id: string | null; userId: string | null };
  action: string;
  resource: { type: string; id: string | null };
}

interface Status {
  valid: boolean;
  entries: number;
  pending: number;
  firstBadSeq: number | null;
  problems: { seq?: number; message?: string }[];
  verifiedAt: string;
}

export class AuditPage extends Page {
  static override properties = {
    ...Page.properties,
    entries: { state: true },
    status: { state: true },
    next: { state: true },
  };
  declare entries: Entry[];
  declare status: Status | null;
  declare next: number | null;
  private filters = new URLSearchParams();

  constructor() {
    super();
    this.entries = [];
    this.status = null;
    this.next = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
    void this.verify();
  }

  private async load(more = false): Promise<void> {
    await this.act('Loading the audit log', async () => {
      const q = new URLSearchParams(this.filters);
      q.set('limit', '50');
      if (more && this.next) q.set('beforeSeq', String(this.next));
      const page = await this.session.getJson<{ items: Entry[]; nextBeforeSeq: number | null }>(
        `/api/v1/audit/entries?${q}`,
      );
      this.entries = more ? [...this.entries, ...page.items] : page.items;
      this.next = page.nextBeforeSeq;
    });
  }

  private async verify(): Promise<void> {
    await this.act('Verifying the chain', async () => {
      this.status = await this.session.getJson<Status>('/api/v1/audit/status');
    });
  }

  private filter(e: SubmitEvent): void {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const q = new URLSearchParams();
    for (const name of ['action', 'actorType', 'resourceType', 'resourceId']) {
      const v = this.field(form, name);
      if (v) q.set(name, v);
    }
    for (const name of ['from', 'to']) {
      const v = this.field(form, name);
      if (v) q.set(name, new Date(v).toISOString());
    }
    this.filters = q;
    void this.load();
  }

  private async proof(entry: Entry): Promise<void> {
    await this.act(`Getting the proof of entry ${entry.seq}`, async () => {
      // Prove against the whole sealed log (a checkpoint may not cover the newest entries yet).
      const status = this.status ?? (await this.session.getJson<Status>('/api/v1/audit/status'));
      const treeSize = Math.max(entry.seq, status.entries);
      const proof = await this.session.getJson<unknown>(
        `/api/v1/audit/proofs/inclusion?seq=${entry.seq}&treeSize=${treeSize}`,
      );
      const blob = new Blob([JSON.stringify({ entry, proof }, null, 2)], { type: 'application/json' });
      const a = document.createElement('a');
      a.href = URL.createObjectURL(blob);
      a.download = `audit-entry-${entry.seq}-inclusion-proof.json`;
      this.renderRoot.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
      this.app.notify(`Inclusion proof of entry ${entry.seq} downloaded.`, 'success');
    });
  }

  private renderStatus() {
    const s = this.status;
    if (!s) return html`<p class="muted">Verifying…</p>`;
    return html`<div class="card" data-testid="audit-status">
      <p>
        Chain:
        ${
          s.valid
            ? html`<strong class="ok">verified</strong>`
            : html`<strong class="error">broken at entry ${s.firstBadSeq ?? '?'}</strong>`
        }
        · ${s.entries} sealed entries · ${s.pending} waiting to be sealed · checked
        ${new Date(s.verifiedAt).toLocaleTimeString()}
      </p>
      ${s.problems.length ? html`<ul>${s.problems.map((p) => html`<li>${JSON.stringify(p)}</li>`)}</ul>` : nothing}
      <button class="secondary" @click=${this.verify} ?disabled=${this.busy}>Verify again</button>
    </div>`;
  }

  override render() {
    return html`<h1>Audit log</h1>
      ${this.renderStatus()}
      <form @submit=${this.filter} class="row" aria-label="Filter the audit log" style="max-width:none">
        <label>Action <input name="action" placeholder="e.g. kernel.plugin.*" /></label>
        <label>Actor type
          <select name="actorType">
            <option value="">any</option>
            ${['user', 'apiKey', 'plugin', 'system', 'anonymous'].map((t) => html`<option value=${t}>${t}</option>`)}
          </select>
        </label>
        <label>Resource type <input name="resourceType" /></label>
        <label>Resource id <input name="resourceId" /></label>
        <label>From <input name="from" type="datetime-local" /></label>
        <label>To <input name="to" type="datetime-local" /></label>
        <button type="submit" ?disabled=${this.busy}>Filter</button>
      </form>
      <p class="error" role="alert">${this.error}</p>
      <table>
        <thead><tr><th scope="col">#</th><th scope="col">When</th><th scope="col">Actor</th><th scope="col">Action</th><th scope="col">Resource</th><th scope="col">Proof</th></tr></thead>
        <tbody>
          ${this.entries.map(
            (e) => html`<tr data-seq=${e.seq}>
              <td>${e.seq}</td>
              <td>${new Date(e.occurredAt).toLocaleString()}</td>
              <td>${e.actor.type}${e.actor.id ? html` <span class="muted mono">${e.actor.id.slice(0, 8)}</span>` : nothing}</td>
              <td><code>${e.action}</code></td>
              <td>${e.resource.type}${e.resource.id ? html` <span class="muted mono">${e.resource.id}</span>` : nothing}</td>
              <td><button class="secondary" aria-label="Download the inclusion proof of entry ${e.seq}" @click=${() => this.proof(e)} ?disabled=${this.busy}>Proof</button></td>
            </tr>`,
          )}
        </tbody>
      </table>
      ${this.next ? html`<button class="secondary" @click=${() => this.load(true)} ?disabled=${this.busy}>Older entries</button>` : nothing}`;
  }
}

customElements.define('erp-audit-page', AuditPage);
