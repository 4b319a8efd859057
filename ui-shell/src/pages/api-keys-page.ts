// API keys: list (never their secrets), create with chosen permissions (the secret is shown once,
// here, and never again), revoke.
import { html, nothing } from 'lit';
import { confirmAction } from '../ui/confirm.js';
import { Page } from './page.js';
import { checked, type PermissionInfo, permissionPicker } from './permission-picker.js';

interface ApiKey {
  id: string;
  name: string;
  hint: string;
  permissions: string[];
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

export class ApiKeysPage extends Page {
  static override properties = {
    ...Page.properties,
    keys: { state: true },
    catalogue: { state: true },
    secret: { state: true },
  };
  declare keys: ApiKey[];
  declare catalogue: PermissionInfo[];
  declare secret: string;

  constructor() {
    super();
    this.keys = [];
    this.catalogue = [];
    this.secret = '';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    await this.act('Loading API keys', async () => {
      this.keys = (await this.session.getJson<{ items: ApiKey[] }>('/api/v1/iam/api-keys')).items;
      this.catalogue = (
        await this.session.getJson<{ items: PermissionInfo[] }>('/api/v1/iam/permissions')
      ).items;
    });
  }

  private async create(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const expires = this.field(form, 'expiresAt');
    const body = {
      name: this.field(form, 'name'),
      permissions: checked(form, 'permissions'),
      ...(expires ? { expiresAt: new Date(expires).toISOString() } : {}),
    };
    const made = await this.act('Creating the API key', () =>
      this.session.send<{ token: string }>('POST', '/api/v1/iam/api-keys', body),
    );
    if (made) {
      this.secret = made.token;
      form.reset();
      await this.load();
    }
  }

  private async revoke(k: ApiKey): Promise<void> {
    if (
      !(await confirmAction(this.renderRoot as ShadowRoot, {
        title: `Revoke ${k.name}?`,
        body: html`<p>Programs using this key stop working at once.</p>`,
        confirm: 'Revoke',
        danger: true,
      }))
    )
      return;
    if (
      await this.did(`Revoking ${k.name}`, () => this.session.send('DELETE', `/api/v1/iam/api-keys/${k.id}`))
    )
      await this.load();
  }

  override render() {
    return html`<h1>API keys</h1>
      <p class="error" role="alert">${this.error}</p>
      ${
        this.secret
          ? html`<div class="card" role="region" aria-label="New API key secret">
              <p><strong>Copy the secret now: it is shown only once.</strong></p>
              <label>Secret <input readonly .value=${this.secret} data-testid="api-key-secret" /></label>
              <button class="secondary" @click=${() => {
                this.secret = '';
              }}>I have copied it</button>
            </div>`
          : nothing
      }
      <table>
        <thead><tr><th scope="col">Name</th><th scope="col">Ends in</th><th scope="col">Permissions</th><th scope="col">Last used</th><th scope="col">Actions</th></tr></thead>
        <tbody>
          ${this.keys.map(
            (k) => html`<tr>
              <th scope="row">${k.name}</th>
              <td><code>…${k.hint}</code></td>
              <td>${k.permissions.join(', ')}</td>
              <td>${k.revokedAt ? 'revoked' : k.lastUsedAt ? new Date(k.lastUsedAt).toLocaleString() : 'never'}</td>
              <td>${k.revokedAt ? '' : html`<button class="danger" ?disabled=${this.busy} @click=${() => this.revoke(k)}>Revoke</button>`}</td>
            </tr>`,
          )}
        </tbody>
      </table>
      <h2>New API key</h2>
      <form @submit=${this.create}>
        <label>Name <input name="name" required maxlength="100" autocomplete="off" /></label>
        <label>Expires (optional) <input name="expiresAt" type="datetime-local" /></label>
        ${permissionPicker('Permissions', 'permissions', this.catalogue)}
        <button type="submit" ?disabled=${this.busy}>Create API key</button>
      </form>`;
  }
}

customElements.define('erp-api-keys-page', ApiKeysPage);
