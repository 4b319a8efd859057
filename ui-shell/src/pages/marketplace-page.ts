// The marketplace: search the registry's plugins, read one plugin's details (versions with kernel
// compatibility, deprecation and yanking, permissions and capabilities, dependencies, publisher and
// signature status, README), and install or upgrade through the consent screen: the kernel's
// install preview says exactly what would be granted (what is new on an upgrade), where it would
// run and what it pulls in; the install carries that consent's hash, so it is refused if the
// release or the grant changed meanwhile. Routes: /api/v1/marketplace/… (kernel/src/catalogue).

import { html, nothing } from 'lit';
import { capabilityText } from '../ui/capability.js';
import { confirmAction } from '../ui/confirm.js';
import {
  consentView,
  type Details,
  type Preview,
  publisherText,
  type Summary,
  type TrustPolicy,
} from './marketplace-model.js';
import { Page } from './page.js';

export class MarketplacePage extends Page {
  static override properties = {
    ...Page.properties,
    results: { state: true },
    details: { state: true },
    progress: { state: true },
    policy: { state: true },
  };
  declare results: Summary[] | null;
  declare details: Details | null;
  declare progress: string;
  declare policy: TrustPolicy | null;

  constructor() {
    super();
    this.results = null;
    this.details = null;
    this.progress = '';
    this.policy = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.search('');
    if (this.session.me?.permissions.includes('kernel.tenant.read'))
      void this.act('Loading the trust policy', async () => {
        this.policy = await this.session.getJson<TrustPolicy>('/api/v1/tenant/plugin-trust-policy');
      });
  }

  private async savePolicy(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const data = new FormData(form);
    const body: TrustPolicy = {
      trustedPublishers: this.field(form, 'trustedPublishers')
        .split(/[\s,]+/)
        .filter(Boolean),
      allowUnsigned: data.get('allowUnsigned') === 'on',
      allowUnknownPublishers: data.get('allowUnknownPublishers') === 'on',
    };
    const saved = await this.act('Saving the trust policy', () =>
      this.session.send<TrustPolicy>('PUT', '/api/v1/tenant/plugin-trust-policy', body),
    );
    if (saved) {
      this.policy = saved;
      this.app.notify('Trust policy saved.', 'success');
    }
  }

  private renderPolicy(p: TrustPolicy) {
    return html`<section class="card" aria-labelledby="policy-h">
      <h2 id="policy-h">Trust policy</h2>
      <p class="muted">
        Verified plugins of trusted publishers run in the kernel's process; everything else you allow runs in the sandbox.
      </p>
      <form @submit=${this.savePolicy}>
        <label
          >Trusted publishers (registry users, separated by commas)
          <input name="trustedPublishers" .value=${p.trustedPublishers.join(', ')}
        /></label>
        <label class="check"
          ><input type="checkbox" name="allowUnsigned" ?checked=${p.allowUnsigned} /> Allow unsigned plugins (sandbox
          only)</label
        >
        <label class="check"
          ><input type="checkbox" name="allowUnknownPublishers" ?checked=${p.allowUnknownPublishers} /> Allow
          plugins of other publishers (sandbox only)</label
        >
        <button type="submit" ?disabled=${this.busy}>Save trust policy</button>
      </form>
    </section>`;
  }

  private async search(q: string): Promise<void> {
    await this.act('Searching the marketplace', async () => {
      const answer = await this.session.getJson<{ plugins: Summary[] }>(
        `/api/v1/marketplace/plugins?q=${encodeURIComponent(q)}`,
      );
      this.results = answer.plugins;
    });
  }

  private async open(name: string): Promise<void> {
    await this.act(`Loading ${name}`, async () => {
      this.details = await this.session.getJson<Details>(
        `/api/v1/marketplace/plugins/${encodeURIComponent(name)}`,
      );
      await this.updateComplete;
      (this.renderRoot.querySelector('#details-h') as HTMLElement | null)?.focus();
    });
  }

  private async install(d: Details, version: string): Promise<void> {
    const preview = await this.act('Preparing the installation', () =>
      this.session.send<Preview>('POST', '/api/v1/marketplace/install-preview', {
        package: d.package,
        range: version,
      }),
    );
    if (!preview) return;
    const ok = await confirmAction(this.renderRoot as ShadowRoot, {
      title: `${preview.action === 'upgrade' ? 'Upgrade' : 'Install'} ${d.displayName ?? d.package}?`,
      body: consentView(preview),
      confirm: preview.action === 'upgrade' ? 'Grant and upgrade' : 'Grant and install',
    });
    if (!ok) return;
    this.progress = `${preview.action === 'upgrade' ? 'Upgrading to' : 'Installing'} ${preview.package} ${preview.version}: downloading, verifying, migrating…`;
    const done = await this.did(`Installing ${preview.package} ${preview.version}`, () =>
      this.session.send('POST', '/api/v1/marketplace/installs', {
        package: preview.package,
        version: preview.version,
        consentHash: preview.consentHash,
      }),
    );
    this.progress = '';
    if (done) {
      this.app.notify(`${preview.package} ${preview.version} installed.`, 'success');
      this.app.pluginsChanged(`install ${preview.package}`);
    }
  }

  private renderDetails(d: Details) {
    const installable = d.versions.filter((v) => v.compatible && !v.yanked && !v.invalid);
    const shown = d.versions.find((v) => v.version === d.latest) ?? d.versions.at(-1);
    return html`<section class="card" aria-labelledby="details-h">
      <h2 id="details-h" tabindex="-1">${d.displayName ?? d.package} <span class="muted">${d.package}</span></h2>
      <p>${d.description ?? ''}</p>
      <p>Publisher: <span data-testid="publisher">${publisherText(d.publisher)}</span></p>
      ${d.deprecated ? html`<p class="error">Deprecated: ${d.deprecated}</p>` : nothing}
      <div class="row">
        <label
          >Version
          <select id="mk-version">
            ${[...installable].reverse().map((v) => html`<option value=${v.version}>${v.version}</option>`)}
          </select></label
        >
        <button
          ?disabled=${this.busy || !installable.length}
          @click=${() => this.install(d, (this.renderRoot.querySelector('#mk-version') as HTMLSelectElement).value)}
        >
          Install or upgrade…
        </button>
      </div>
      <p class="muted" role="status">${this.progress}</p>
      <h3>Versions</h3>
      <table>
        <thead><tr><th scope="col">Version</th><th scope="col">Kernel</th><th scope="col">Publisher</th><th scope="col">Status</th></tr></thead>
        <tbody>
          ${[...d.versions].reverse().map(
            (v) => html`<tr>
              <td>${v.version}</td>
              <td>${v.kernelRange ?? ''} ${v.compatible ? html`<span class="ok">compatible</span>` : html`<span class="error">incompatible</span>`}</td>
              <td>${publisherText(v.publisher)}${v.registrySignature ? html`<div class="muted">registry: ${v.registrySignature}</div>` : nothing}</td>
              <td>${[v.yanked ? 'yanked' : '', v.deprecated ? `deprecated: ${v.deprecated}` : '', v.invalid ? `invalid: ${v.invalid}` : ''].filter(Boolean).join('; ') || 'available'}</td>
            </tr>`,
          )}
        </tbody>
      </table>
      ${
        shown
          ? html`<h3>Permissions and capabilities (${shown.version})</h3>
              <ul>
                ${Object.entries(shown.permissions ?? {}).map(([p, t]) => html`<li><code>${p}</code>: ${t}</li>`)}
                ${(shown.capabilities ?? []).map((c) => html`<li>capability <code>${c}</code>: ${capabilityText(c)}</li>`)}
                ${Object.entries(shown.dependencies ?? {}).map(([p, r]) => html`<li>needs ${p} ${r}</li>`)}
              </ul>`
          : nothing
      }
      <h3>README</h3>
      <pre class="readme" style="white-space:pre-wrap">${d.readme ?? 'No README.'}</pre>
    </section>`;
  }

  override render() {
    return html`<h1>Marketplace</h1>
      <form
        role="search"
        class="row"
        style="max-width:none"
        @submit=${(e: SubmitEvent) => {
          e.preventDefault();
          void this.search(this.field(e.target as HTMLFormElement, 'q'));
        }}
      >
        <label>Search plugins <input name="q" type="search" /></label>
        <button type="submit" ?disabled=${this.busy}>Search</button>
      </form>
      <p class="error" role="alert">${this.error}</p>
      ${
        this.results
          ? this.results.length
            ? html`<table>
                <thead><tr><th scope="col">Plugin</th><th scope="col">Latest</th><th scope="col">Publisher</th><th scope="col">Details</th></tr></thead>
                <tbody>
                  ${this.results.map(
                    (r) => html`<tr data-package=${r.package}>
                      <th scope="row">${r.displayName ?? r.package}<div class="muted">${r.description ?? ''}</div></th>
                      <td>${r.latest}${r.compatible === false ? html` <span class="error">incompatible</span>` : nothing}${r.deprecated ? html` <span class="error">deprecated</span>` : nothing}</td>
                      <td>${publisherText(r.publisher)}</td>
                      <td><button class="secondary" aria-label="Details of ${r.displayName ?? r.package}" @click=${() => this.open(r.package)}>Details</button></td>
                    </tr>`,
                  )}
                </tbody>
              </table>`
            : html`<p>No plugin matches.</p>`
          : nothing
      }
      ${this.details ? this.renderDetails(this.details) : nothing}
      ${this.policy ? this.renderPolicy(this.policy) : nothing}`;
  }
}

customElements.define('erp-marketplace-page', MarketplacePage);
