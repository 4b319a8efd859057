// The user's own sessions (device, address, last use) with a button to end any of them.
import { html } from 'lit';
import { Page } from './page.js';

interface SessionRow {
  id: string;
  userAgent: string | null;
  ip: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  current: boolean;
}

export class SessionsPage extends Page {
  static override properties = { ...Page.properties, rows: { state: true } };
  declare rows: SessionRow[];

  constructor() {
    super();
    this.rows = [];
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    await this.act('Loading sessions', async () => {
      this.rows = (await this.session.getJson<{ items: SessionRow[] }>('/api/v1/auth/sessions')).items;
    });
  }

  private async revoke(row: SessionRow): Promise<void> {
    await this.act('Ending the session', async () => {
      await this.session.send('DELETE', `/api/v1/auth/sessions/${row.id}`);
      this.app.notify('Session ended.', 'success');
    });
    if (row.current) this.session.drop();
    else await this.load();
  }

  override render() {
    return html`<h1>My sessions</h1>
      <p class="error" role="alert">${this.error}</p>
      <table>
        <caption class="muted">Where you are signed in</caption>
        <thead><tr><th scope="col">Device</th><th scope="col">Address</th><th scope="col">Started</th><th scope="col">Last used</th><th scope="col">Action</th></tr></thead>
        <tbody>
          ${this.rows.map(
            (r) => html`<tr>
              <td>${r.userAgent ?? 'unknown'} ${r.current ? html`<span class="badge">this one</span>` : ''}</td>
              <td>${r.ip ?? ''}</td>
              <td>${new Date(r.createdAt).toLocaleString()}</td>
              <td>${r.lastUsedAt ? new Date(r.lastUsedAt).toLocaleString() : ''}</td>
              <td><button class="secondary" @click=${() => this.revoke(r)} ?disabled=${this.busy}>End session</button></td>
            </tr>`,
          )}
        </tbody>
      </table>`;
  }
}

customElements.define('erp-sessions-page', SessionsPage);
