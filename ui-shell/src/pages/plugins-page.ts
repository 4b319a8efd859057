// Installed plugins and the catalogue: install (with the consent screen listing the permissions
// and capabilities granted), upgrade, roll back, enable/disable and uninstall, through
// /api/v1/plugins. After each step the navigation is reloaded here and in the other tabs.

import { html, nothing } from 'lit';
import { capabilityText } from '../ui/capability.js';
import { confirmAction } from '../ui/confirm.js';
import { Page } from './page.js';

interface Installed {
  pluginId: string;
  package: string;
  version: string;
  previousVersion: string | null;
  status: 'enabled' | 'disabled';
  state: 'ok' | 'quarantined';
  error?: string | null;
}

interface Available {
  package: string;
  id: string;
  displayName: string;
  description?: string;
  trust: string;
  versions: string[];
  permissions?: Record<string, string>;
  capabilities?: string[];
  dependencies?: Record<string, string>;
}

export class PluginsPage extends Page {
  static override properties = {
    ...Page.properties,
    installed: { state: true },
    available: { state: true },
  };
  declare installed: Installed[];
  declare available: Available[];

  constructor() {
    super();
    this.installed = [];
    this.available = [];
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    await this.act('Loading plugins', async () => {
      const data = await this.session.getJson<{ installed: Installed[]; available: Available[] }>(
        '/api/v1/plugins',
      );
      this.installed = data.installed;
      this.available = data.available;
    });
  }

  private consent(a: Available, version: string, verb: string) {
    const perms = Object.entries(a.permissions ?? {});
    return html`<p>${verb} <strong>${a.displayName}</strong> ${version} (${a.package}, ${a.trust}).</p>
      <p>It defines these permissions, which you can then grant through roles:</p>
      <ul data-testid="consent-permissions">
        ${perms.length ? perms.map(([p, d]) => html`<li><code>${p}</code>: ${d}</li>`) : html`<li>none</li>`}
      </ul>
      <p>It may use these capabilities:</p>
      <ul>
        ${
          a.capabilities?.length
            ? a.capabilities.map((c) => html`<li><code>${c}</code>: ${capabilityText(c)}</li>`)
            : html`<li>none</li>`
        }
      </ul>
      ${
        Object.keys(a.dependencies ?? {}).length
          ? html`<p>It needs: ${Object.entries(a.dependencies ?? {})
              .map(([d, r]) => `${d} ${r}`)
              .join(', ')}</p>`
          : nothing
      }`;
  }

  private async step(what: string, method: string, path: string, body?: unknown): Promise<void> {
    const ok = await this.did(what, () => this.session.send(method, path, body));
    if (ok) {
      this.app.notify(`${what}: done.`, 'success');
      this.app.pluginsChanged(what);
      await this.load();
    }
  }

  private async install(a: Available, version: string): Promise<void> {
    if (
      !(await confirmAction(this.renderRoot as ShadowRoot, {
        title: `Install ${a.displayName}?`,
        body: this.consent(a, version, 'Install'),
        confirm: 'Grant and install',
      }))
    )
      return;
    await this.step(`Installing ${a.displayName} ${version}`, 'POST', '/api/v1/plugins/installations', {
      plugin: a.package,
      version,
    });
  }

  private async upgrade(i: Installed, a: Available | undefined, version: string): Promise<void> {
    if (
      a &&
      !(await confirmAction(this.renderRoot as ShadowRoot, {
        title: `Change ${a.displayName} to ${version}?`,
        body: this.consent(a, version, 'Upgrade to'),
        confirm: 'Grant and upgrade',
      }))
    )
      return;
    await this.step(
      `Upgrading ${i.pluginId} to ${version}`,
      'POST',
      `/api/v1/plugins/installations/${i.pluginId}/upgrade`,
      {
        version,
      },
    );
  }

  private async rollback(i: Installed): Promise<void> {
    if (
      !(await confirmAction(this.renderRoot as ShadowRoot, {
        title: `Roll ${i.pluginId} back?`,
        body: html`<p>
          From ${i.version} back to ${i.previousVersion}. Data written under ${i.version} is kept.
        </p>`,
        confirm: 'Roll back',
        danger: true,
      }))
    )
      return;
    await this.step(
      `Rolling ${i.pluginId} back`,
      'POST',
      `/api/v1/plugins/installations/${i.pluginId}/rollback`,
    );
  }

  private async uninstall(i: Installed): Promise<void> {
    if (
      !(await confirmAction(this.renderRoot as ShadowRoot, {
        title: `Uninstall ${i.pluginId}?`,
        body: html`<p>Its pages, routes and jobs stop for this tenant. Its data is kept.</p>`,
        confirm: 'Uninstall',
        danger: true,
      }))
    )
      return;
    await this.step(`Uninstalling ${i.pluginId}`, 'DELETE', `/api/v1/plugins/installations/${i.pluginId}`);
  }

  private renderInstalled(i: Installed) {
    const a = this.available.find((x) => x.package === i.package);
    const others = (a?.versions ?? []).filter((v) => v !== i.version);
    const select = `version-${i.pluginId}`;
    return html`<tr data-plugin=${i.pluginId}>
      <th scope="row">${a?.displayName ?? i.pluginId}<div class="muted">${i.package}</div></th>
      <td>${i.version}${i.previousVersion ? html`<div class="muted">before: ${i.previousVersion}</div>` : nothing}</td>
      <td>${i.status}${i.state === 'quarantined' ? html` <span class="error">quarantined: ${i.error}</span>` : nothing}</td>
      <td>
        <div class="row">
          ${
            others.length
              ? html`<label
                    >Version
                    <select id=${select} name=${select}>
                      ${others.map((v) => html`<option value=${v}>${v}</option>`)}
                    </select></label
                  >
                  <button
                    @click=${() => this.upgrade(i, a, (this.renderRoot.querySelector(`#${select}`) as HTMLSelectElement).value)}
                    ?disabled=${this.busy}
                  >
                    Upgrade
                  </button>`
              : nothing
          }
          ${
            i.previousVersion
              ? html`<button class="secondary" @click=${() => this.rollback(i)} ?disabled=${this.busy}>
                  Roll back to ${i.previousVersion}
                </button>`
              : nothing
          }
          <button
            class="secondary"
            @click=${() =>
              this.step(
                `${i.status === 'enabled' ? 'Disabling' : 'Enabling'} ${i.pluginId}`,
                'POST',
                `/api/v1/plugins/installations/${i.pluginId}/${i.status === 'enabled' ? 'disable' : 'enable'}`,
              )}
            ?disabled=${this.busy}
          >
            ${i.status === 'enabled' ? 'Disable' : 'Enable'}
          </button>
          <button class="danger" @click=${() => this.uninstall(i)} ?disabled=${this.busy}>Uninstall</button>
        </div>
      </td>
    </tr>`;
  }

  override render() {
    const installedPkgs = new Set(this.installed.map((i) => i.package));
    const notInstalled = this.available.filter((a) => !installedPkgs.has(a.package));
    return html`<h1>Plugins</h1>
      <p class="error" role="alert">${this.error}</p>
      <p class="muted" role="status">${this.busy ? 'Working…' : ''}</p>
      <h2>Installed</h2>
      ${
        this.installed.length
          ? html`<table>
              <thead><tr><th scope="col">Plugin</th><th scope="col">Version</th><th scope="col">Status</th><th scope="col">Actions</th></tr></thead>
              <tbody>${this.installed.map((i) => this.renderInstalled(i))}</tbody>
            </table>`
          : html`<p>No plugin installed yet.</p>`
      }
      <h2>Available</h2>
      ${
        notInstalled.length
          ? nothing
          : html`<p>Nothing more on this server's plugin path: find plugins in Administration → Marketplace.</p>`
      }
      <table ?hidden=${notInstalled.length === 0}>
        <thead><tr><th scope="col">Plugin</th><th scope="col">Description</th><th scope="col">Install</th></tr></thead>
        <tbody>
          ${notInstalled.map((a) => {
            const id = `install-${a.id}`;
            return html`<tr data-plugin=${a.id}>
              <th scope="row">${a.displayName}<div class="muted">${a.package}</div></th>
              <td>${a.description ?? ''}</td>
              <td>
                <div class="row">
                  <label
                    >Version
                    <select id=${id}>
                      ${[...a.versions].reverse().map((v) => html`<option value=${v}>${v}</option>`)}
                    </select></label
                  >
                  <button
                    @click=${() => this.install(a, (this.renderRoot.querySelector(`#${id}`) as HTMLSelectElement).value)}
                    ?disabled=${this.busy}
                  >
                    Install ${a.displayName}
                  </button>
                </div>
              </td>
            </tr>`;
          })}
        </tbody>
      </table>`;
  }
}

customElements.define('erp-plugins-page', PluginsPage);
