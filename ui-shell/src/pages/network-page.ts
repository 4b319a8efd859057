// Network access: the private addresses this tenant's plugins may call (webhooks to an internal
// host, an on-premises system). Everything that is not a public address is refused before any
// connection unless it is listed here; cloud metadata addresses only when named exactly. The list
// is the kernel's (PUT /api/v1/tenant/outbound-policy, audited); its refusals are shown as given.
import { html } from 'lit';
import { Page } from './page.js';

const WRITE = 'kernel.tenant.write';

export class NetworkPage extends Page {
  static override properties = { ...Page.properties, allowed: { state: true }, loaded: { state: true } };
  declare allowed: string[];
  declare loaded: boolean;

  constructor() {
    super();
    this.allowed = [];
    this.loaded = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    await this.act('Loading the network access list', async () => {
      this.allowed = (
        await this.session.getJson<{ allowPrivate: string[] }>('/api/v1/tenant/outbound-policy')
      ).allowPrivate;
      this.loaded = true;
    });
  }

  private async save(e: Event): Promise<void> {
    e.preventDefault();
    const entries = this.field(e.target as HTMLFormElement, 'allow')
      .split(/[\s,]+/)
      .filter(Boolean);
    const saved = await this.act('Saving the network access list', () =>
      this.session.send<{ allowPrivate: string[] }>('PUT', '/api/v1/tenant/outbound-policy', {
        allowPrivate: entries,
      }),
    );
    if (!saved) return;
    this.allowed = saved.allowPrivate;
    this.app.notify('Network access saved.', 'success');
  }

  override render() {
    const canWrite = this.session.me?.permissions.includes(WRITE) ?? false;
    return html`<h1>Network access</h1>
      <p>
        Plugins call only public internet addresses. List here the private addresses or ranges they may
        reach as well — an internal webhook receiver, an on-premises system — one per line, as an
        address (<code>10.20.0.15</code>) or a range (<code>10.20.0.0/16</code>). Cloud metadata
        addresses must be named exactly.
      </p>
      <p class="error" role="alert">${this.error}</p>
      <form @submit=${(e: Event) => this.save(e)}>
        <label for="allow">Private addresses and ranges plugins may call</label>
        <textarea id="allow" name="allow" rows="6" aria-describedby="allow-hint" ?disabled=${!canWrite || !this.loaded}
          .value=${this.allowed.join('\n')}></textarea>
        <span class="muted" id="allow-hint">${this.allowed.length ? `${this.allowed.length} entr${this.allowed.length === 1 ? 'y' : 'ies'}` : 'None: only public addresses.'}</span>
        ${
          canWrite
            ? html`<div><button type="submit" ?disabled=${this.busy || !this.loaded}>Save network access</button></div>`
            : html`<p class="muted">Changing it needs ${WRITE}.</p>`
        }
      </form>`;
  }
}

customElements.define('erp-network-page', NetworkPage);
