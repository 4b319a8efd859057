// Password reset while signed out: ask for a link by mail (the kernel always answers 202, so the
// page never tells whether an account exists), or, opened from that link, set a new password.
// The token is read from the address and removed from it at once.
import { html } from 'lit';
import { json } from '../api/problem.js';
import { Page } from './page.js';

const post = async (path: string, body: unknown) =>
  json<{ detail?: string } | undefined>(
    await fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }),
  );

export class ResetPage extends Page {
  static override properties = { ...Page.properties, sent: { state: true } };
  declare sent: string;
  private token = new URLSearchParams(location.search).get('token') ?? '';

  constructor() {
    super();
    this.sent = '';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (location.search) history.replaceState(null, '', '/reset-password');
  }

  private async request(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const answer = await this.act('Asking for a reset link', () =>
      post('/api/v1/auth/password-reset', {
        tenant: this.field(form, 'tenant'),
        email: this.field(form, 'email'),
      }),
    );
    if (answer) this.sent = answer.detail ?? 'If the account exists, a reset link is on its way.';
  }

  private async confirm(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const data = new FormData(e.target as HTMLFormElement);
    const newPassword = String(data.get('password') ?? '');
    if (newPassword !== String(data.get('confirm') ?? '')) {
      this.error = 'The two passwords differ.';
      return;
    }
    if (
      await this.did('Setting the new password', () =>
        post('/api/v1/auth/password-reset/confirm', { token: this.token, newPassword }),
      )
    ) {
      this.app.notify('Password changed. Sign in with the new one.', 'success');
      this.app.go('/login', true);
    }
  }

  override render() {
    if (this.token)
      return html`<h1>Choose a new password</h1>
        <form @submit=${this.confirm}>
          <label>New password <input name="password" type="password" required minlength="12" autocomplete="new-password" /></label>
          <label>Repeat the password <input name="confirm" type="password" required autocomplete="new-password" /></label>
          <button type="submit" ?disabled=${this.busy}>Set the new password</button>
          <p class="error" role="alert">${this.error}</p>
        </form>`;
    return html`<h1>Reset your password</h1>
      <form @submit=${this.request}>
        <label>Tenant <input name="tenant" required autocomplete="organization" .value=${this.session.tenantSlug} /></label>
        <label>Email <input name="email" type="email" required autocomplete="username" /></label>
        <button type="submit" ?disabled=${this.busy}>Send me a reset link</button>
        <p role="status">${this.sent}</p>
        <p class="error" role="alert">${this.error}</p>
      </form>
      <p><a href="/login">Back to sign-in</a></p>`;
  }
}

customElements.define('erp-reset-page', ResetPage);
