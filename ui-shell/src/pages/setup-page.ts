// First run: creates the first tenant and its administrator with the setup token from the link the
// server printed (`setup: http://…/setup#token=…`), then signs in. The token is read from the
// fragment and removed from the address bar at once. The kernel refuses once a tenant exists.
import { html } from 'lit';
import { json } from '../api/problem.js';
import { Page } from './page.js';

export class SetupPage extends Page {
  private token = new URLSearchParams(location.hash.slice(1)).get('token') ?? '';

  override connectedCallback(): void {
    super.connectedCallback();
    if (location.hash) history.replaceState(null, '', '/setup');
  }

  private async submit(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const password = String(new FormData(form).get('password') ?? '');
    if (password !== String(new FormData(form).get('confirm') ?? '')) {
      this.error = 'The two passwords differ.';
      return;
    }
    await this.act('Setup', async () => {
      const body = {
        token: this.field(form, 'token'),
        slug: this.field(form, 'slug'),
        name: this.field(form, 'name'),
        email: this.field(form, 'email'),
        password,
      };
      await json(
        await fetch('/api/v1/setup', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        }),
      );
      this.app.notify(`Tenant ${body.slug} created. Welcome!`, 'success');
      await this.session.login({ tenant: body.slug, email: body.email, password });
    });
  }

  override render() {
    return html`<h1>Set up your ERP</h1>
      <p>Create the first tenant (your organisation) and its administrator. This page disappears once it is done.</p>
      <form @submit=${this.submit}>
        <label>Setup token <input name="token" required .value=${this.token} autocomplete="off" /></label>
        <label>Organisation name <input name="name" required autocomplete="organization" /></label>
        <label
          >Tenant short name (used to sign in)
          <input name="slug" required pattern="[a-z0-9][a-z0-9\\-]{1,62}" autocomplete="off" aria-describedby="slug-help"
        /></label>
        <p id="slug-help" class="muted">Lowercase letters, digits and dashes, e.g. <code>acme</code>.</p>
        <label>Administrator email <input name="email" type="email" required autocomplete="username" /></label>
        <label
          >Password <input name="password" type="password" required minlength="12" autocomplete="new-password"
        /></label>
        <label
          >Repeat the password <input name="confirm" type="password" required autocomplete="new-password"
        /></label>
        <button type="submit" ?disabled=${this.busy}>Create tenant and administrator</button>
        <p class="error" role="alert">${this.error}</p>
      </form>`;
  }
}

customElements.define('erp-setup-page', SetupPage);
