// Users of the tenant: create (with roles), disable/enable, unlock, end all sessions, assign roles.
import { html } from 'lit';
import { confirmAction } from '../ui/confirm.js';
import { Page } from './page.js';
import { checked } from './permission-picker.js';

interface User {
  id: string;
  email: string;
  displayName: string;
  status: 'active' | 'disabled';
  mfaEnabled: boolean;
  locked: boolean;
  roles: string[];
}
interface Role {
  id: string;
  name: string;
}

export class UsersPage extends Page {
  static override properties = { ...Page.properties, users: { state: true }, roles: { state: true } };
  declare users: User[];
  declare roles: Role[];

  constructor() {
    super();
    this.users = [];
    this.roles = [];
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    await this.act('Loading users', async () => {
      this.users = (await this.session.getJson<{ items: User[] }>('/api/v1/iam/users')).items;
      this.roles = (await this.session.getJson<{ items: Role[] }>('/api/v1/iam/roles')).items;
    });
  }

  private async run(what: string, method: string, path: string, body?: unknown): Promise<void> {
    if (await this.did(what, () => this.session.send(method, path, body))) {
      this.app.notify(`${what}: done.`, 'success');
      await this.load();
    }
  }

  private async create(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const body = {
      email: this.field(form, 'email'),
      displayName: this.field(form, 'displayName'),
      password: String(new FormData(form).get('password') ?? ''),
      roleIds: checked(form, 'roleIds'),
    };
    await this.run(`Creating ${body.email}`, 'POST', '/api/v1/iam/users', body);
    if (!this.error) form.reset();
  }

  private async endSessions(u: User): Promise<void> {
    if (
      await confirmAction(this.renderRoot as ShadowRoot, {
        title: `Sign ${u.email} out everywhere?`,
        body: html`<p>Every session of this user ends now.</p>`,
        confirm: 'End sessions',
        danger: true,
      })
    )
      await this.run(
        `Ending the sessions of ${u.email}`,
        'POST',
        `/api/v1/iam/users/${u.id}/sessions/revoke`,
      );
  }

  override render() {
    const roleName = (id: string) => this.roles.find((r) => r.id === id || r.name === id)?.name ?? id;
    return html`<h1>Users</h1>
      <p class="error" role="alert">${this.error}</p>
      <table>
        <thead><tr><th scope="col">User</th><th scope="col">Status</th><th scope="col">Roles</th><th scope="col">Actions</th></tr></thead>
        <tbody>
          ${this.users.map((u) => {
            const sel = `role-${u.id}`;
            return html`<tr>
              <th scope="row">${u.email}<div class="muted">${u.displayName}</div></th>
              <td>${u.status}${u.locked ? ', locked' : ''}${u.mfaEnabled ? ', MFA on' : ''}</td>
              <td>${u.roles.map(roleName).join(', ')}</td>
              <td><div class="row">
                <button class="secondary" ?disabled=${this.busy} @click=${() =>
                  this.run(
                    `${u.status === 'active' ? 'Disabling' : 'Enabling'} ${u.email}`,
                    'PATCH',
                    `/api/v1/iam/users/${u.id}`,
                    {
                      status: u.status === 'active' ? 'disabled' : 'active',
                    },
                  )}>${u.status === 'active' ? 'Disable' : 'Enable'}</button>
                ${u.locked ? html`<button class="secondary" ?disabled=${this.busy} @click=${() => this.run(`Unlocking ${u.email}`, 'POST', `/api/v1/iam/users/${u.id}/unlock`)}>Unlock</button>` : ''}
                <button class="secondary" ?disabled=${this.busy} @click=${() => this.endSessions(u)}>End sessions</button>
                <label>Role <select id=${sel}>${this.roles.map((r) => html`<option value=${r.id}>${r.name}</option>`)}</select></label>
                <button class="secondary" ?disabled=${this.busy} @click=${() => {
                  const roleId = (this.renderRoot.querySelector(`#${sel}`) as HTMLSelectElement).value;
                  return this.run(
                    `Assigning ${roleName(roleId)} to ${u.email}`,
                    'PUT',
                    `/api/v1/iam/users/${u.id}/roles/${roleId}`,
                  );
                }}>Assign</button>
                <button class="secondary" ?disabled=${this.busy} @click=${() => {
                  const roleId = (this.renderRoot.querySelector(`#${sel}`) as HTMLSelectElement).value;
                  return this.run(
                    `Removing ${roleName(roleId)} from ${u.email}`,
                    'DELETE',
                    `/api/v1/iam/users/${u.id}/roles/${roleId}`,
                  );
                }}>Unassign</button>
              </div></td>
            </tr>`;
          })}
        </tbody>
      </table>
      <h2>New user</h2>
      <form @submit=${this.create}>
        <label>Email <input name="email" type="email" required autocomplete="off" /></label>
        <label>Display name <input name="displayName" autocomplete="off" /></label>
        <label>Initial password <input name="password" type="password" required minlength="12" autocomplete="new-password" /></label>
        <fieldset><legend>Roles</legend>
          ${this.roles.map((r) => html`<label class="check"><input type="checkbox" name="roleIds" value=${r.id} /> ${r.name}</label>`)}
        </fieldset>
        <button type="submit" ?disabled=${this.busy}>Create user</button>
      </form>`;
  }
}

customElements.define('erp-users-page', UsersPage);
