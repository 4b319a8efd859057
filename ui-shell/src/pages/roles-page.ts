// Roles and the permission catalogue (the kernel's and every installed plugin's): create a role
// from permissions, delete a role that is not built in.
import { html } from 'lit';
import { confirmAction } from '../ui/confirm.js';
import { Page } from './page.js';
import { checked, type PermissionInfo, permissionPicker } from './permission-picker.js';

interface Role {
  id: string;
  name: string;
  description: string;
  permissions: string[];
  builtin: boolean;
}

export class RolesPage extends Page {
  static override properties = { ...Page.properties, roles: { state: true }, catalogue: { state: true } };
  declare roles: Role[];
  declare catalogue: PermissionInfo[];

  constructor() {
    super();
    this.roles = [];
    this.catalogue = [];
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    await this.act('Loading roles', async () => {
      this.roles = (await this.session.getJson<{ items: Role[] }>('/api/v1/iam/roles')).items;
      this.catalogue = (
        await this.session.getJson<{ items: PermissionInfo[] }>('/api/v1/iam/permissions')
      ).items;
    });
  }

  private async create(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const body = {
      name: this.field(form, 'name'),
      description: this.field(form, 'description'),
      permissions: checked(form, 'permissions'),
    };
    if (
      await this.did(`Creating role ${body.name}`, () => this.session.send('POST', '/api/v1/iam/roles', body))
    ) {
      this.app.notify(`Role ${body.name} created.`, 'success');
      form.reset();
      await this.load();
    }
  }

  private async deleteRole(r: Role): Promise<void> {
    if (
      !(await confirmAction(this.renderRoot as ShadowRoot, {
        title: `Delete role ${r.name}?`,
        body: html`<p>Users lose the permissions this role gave them.</p>`,
        confirm: 'Delete role',
        danger: true,
      }))
    )
      return;
    if (
      await this.did(`Deleting role ${r.name}`, () =>
        this.session.send('DELETE', `/api/v1/iam/roles/${r.id}`),
      )
    )
      await this.load();
  }

  override render() {
    return html`<h1>Roles and permissions</h1>
      <p class="error" role="alert">${this.error}</p>
      <table>
        <thead><tr><th scope="col">Role</th><th scope="col">Permissions</th><th scope="col">Actions</th></tr></thead>
        <tbody>
          ${this.roles.map(
            (r) => html`<tr>
              <th scope="row">${r.name}${r.builtin ? html` <span class="badge">built in</span>` : ''}<div class="muted">${r.description}</div></th>
              <td>${r.permissions.map((p) => html`<code>${p}</code> `)}</td>
              <td>${r.builtin ? '' : html`<button class="danger" ?disabled=${this.busy} @click=${() => this.deleteRole(r)}>Delete</button>`}</td>
            </tr>`,
          )}
        </tbody>
      </table>
      <h2>New role</h2>
      <form @submit=${this.create}>
        <label>Name <input name="name" required pattern="[A-Za-z0-9][A-Za-z0-9 ._\\-]*" autocomplete="off" /></label>
        <label>Description <input name="description" autocomplete="off" /></label>
        ${permissionPicker('Permissions', 'permissions', this.catalogue)}
        <button type="submit" ?disabled=${this.busy}>Create role</button>
      </form>`;
  }
}

customElements.define('erp-roles-page', RolesPage);
