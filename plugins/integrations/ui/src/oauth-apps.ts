// <integrations-oauth-apps>: the third-party apps the tenant registered (kernel /api/v1/oauth):
// register one (name, redirect URIs, the permissions it may ask for; confidential apps get a client
// secret shown once), see each app's live grants, revoke a grant (its token stops at once). The
// list needs kernel.tenant.read, registering kernel.tenant.write.
import { type ApiProblem, ErpPluginElement, erpStyles, formField } from '@erp/sdk/ui';
import { css, html, nothing } from 'lit';

interface Grant {
  id: string;
  userId: string;
  scopes: string[];
}
interface App {
  id: string;
  clientId: string;
  name: string;
  redirectUris: string[];
  scopes: string[];
  revoked: boolean;
  grants: Grant[];
}

const OAUTH = '/api/v1/oauth';

export class OAuthAppsElement extends ErpPluginElement {
  static override styles = [
    erpStyles,
    css`
      form { display: grid; gap: .5rem; max-width: 40rem; }
      .secret { border: 2px solid var(--erp-accent, #0b5cad); padding: .75rem; }
      code { word-break: break-all; }
      article { border-top: 1px solid var(--erp-border, #ccd); padding: .5rem 0; }
    `,
  ];
  static override properties = {
    apps: { state: true },
    problem: { state: true },
    formProblem: { state: true },
    created: { state: true },
    name: { state: true },
    uris: { state: true },
    scopes: { state: true },
    confidential: { state: true },
  };
  declare apps?: App[];
  declare problem?: ApiProblem;
  declare formProblem?: ApiProblem;
  /** The app just registered: its client id, and its secret once when confidential. */
  declare created?: { name: string; clientId: string; clientSecret?: string };
  declare name: string;
  declare uris: string;
  declare scopes: string;
  declare confidential: boolean;

  constructor() {
    super();
    this.name = this.uris = this.scopes = '';
    this.confidential = false;
  }

  protected override async load(): Promise<void> {
    try {
      this.apps = (await this.call<{ apps: App[] }>(`${OAUTH}/apps`)).apps;
      this.problem = undefined;
    } catch (err) {
      this.problem = err as ApiProblem;
    }
  }

  private async register(e: Event): Promise<void> {
    e.preventDefault();
    try {
      const app = await this.call<App & { clientSecret?: string }>(`${OAUTH}/apps`, {
        body: {
          name: this.name.trim(),
          redirectUris: this.uris.split(/\s+/).filter(Boolean),
          scopes: this.scopes.split(/[\s,]+/).filter(Boolean),
          // Only sent when asked: a kernel without confidential clients refuses the field.
          ...(this.confidential ? { confidential: true } : {}),
        },
      });
      this.created = {
        name: app.name,
        clientId: app.clientId,
        ...(app.clientSecret ? { clientSecret: app.clientSecret } : {}),
      };
      this.formProblem = undefined;
      this.name = this.uris = this.scopes = '';
      this.confidential = false;
      this.notify('App registered', 'success');
      await this.load();
    } catch (err) {
      this.formProblem = err as ApiProblem;
    }
  }

  private async revoke(app: App, g: Grant): Promise<void> {
    if (!confirm(`Revoke ${app.name}'s access for user ${g.userId.slice(0, 8)}?`)) return;
    try {
      await this.call(`${OAUTH}/grants/${g.id}`, { method: 'DELETE' });
      this.notify('Access revoked', 'success');
      await this.load();
    } catch (err) {
      this.problem = err as ApiProblem;
    }
  }

  private renderForm() {
    const p = this.formProblem;
    const claimed = ['/body/name', '/body/redirectUris', '/body/scopes'];
    return html`<form part="new-app" @submit=${this.register} novalidate aria-labelledby="new-app-title">
      <h3 id="new-app-title">Register an app</h3>
      ${formField({
        id: 'app-name',
        label: 'Name',
        value: this.name,
        required: true,
        error: p?.fieldMessage('/body/name'),
        onInput: (v) => {
          this.name = v;
        },
      })}
      ${formField({
        id: 'app-uris',
        label: 'Redirect URIs',
        type: 'textarea',
        value: this.uris,
        required: true,
        hint: 'one per line; https, or http://127.0.0.1 / localhost for development',
        error: p?.fieldMessage('/body/redirectUris'),
        onInput: (v) => {
          this.uris = v;
        },
      })}
      ${formField({
        id: 'app-scopes',
        label: 'Permissions it may ask for',
        value: this.scopes,
        required: true,
        hint: 'separated by spaces, e.g. warehouses.items.read',
        error: p?.fieldMessage('/body/scopes'),
        onInput: (v) => {
          this.scopes = v;
        },
      })}
      <div class="field"><label><input type="checkbox" .checked=${this.confidential}
        @change=${(e: Event) => {
          this.confidential = (e.target as HTMLInputElement).checked;
        }} />
        Confidential (a server-side app that keeps a client secret)</label></div>
      ${p && (p.unclaimed(claimed).length || !p.errors.length) ? html`<p class="error" role="alert">${p.message}</p>` : nothing}
      <div><button type="submit">Register app</button></div>
    </form>`;
  }

  override render() {
    const write = this.can('kernel.tenant.write');
    return html`<h2>OAuth apps</h2>
      ${this.problem ? html`<p class="error" role="alert">${this.problem.message}</p>` : nothing}
      ${
        this.created
          ? html`<div class="secret" part="created" role="status">
              <p>${this.created.name} is registered. Client id: <code part="client-id">${this.created.clientId}</code></p>
              ${this.created.clientSecret ? html`<p>Client secret (copy it now, it is not shown again): <code part="client-secret">${this.created.clientSecret}</code></p>` : nothing}
              <button type="button" class="secondary" @click=${() => {
                this.created = undefined;
              }}>Done</button>
            </div>`
          : nothing
      }
      ${
        this.apps
          ? this.apps.length
            ? this.apps.map(
                (a) => html`<article part="app" aria-labelledby=${`app-${a.id}`}>
                  <h3 id=${`app-${a.id}`}>${a.name}${a.revoked ? ' (revoked)' : ''}</h3>
                  <p>Client id <code>${a.clientId}</code></p>
                  <p>May ask for: ${a.scopes.join(', ')}</p>
                  <p>Returns to: ${a.redirectUris.join(', ')}</p>
                  ${
                    a.grants.length
                      ? html`<ul aria-label=${`Users who allowed ${a.name}`}>${a.grants.map(
                          (g) => html`<li>User ${g.userId.slice(0, 8)}: ${g.scopes.join(', ')}
                            ${write ? html`<button type="button" class="secondary" aria-label=${`Revoke ${a.name} for user ${g.userId.slice(0, 8)}`} @click=${() => this.revoke(a, g)}>Revoke</button>` : nothing}</li>`,
                        )}</ul>`
                      : html`<p class="status">Nobody has allowed it yet.</p>`
                  }
                </article>`,
              )
            : html`<p class="status">No apps registered.</p>`
          : nothing
      }
      ${write ? this.renderForm() : nothing}`;
  }
}

customElements.define('integrations-oauth-apps', OAuthAppsElement);
