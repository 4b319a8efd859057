// Sign-in: tenant, email and password; when the account has MFA the kernel answers
// ERP_MFA_REQUIRED and the page asks for the six-digit code (or a recovery code) as well.
import { html, nothing } from 'lit';
import { ApiError } from '../api/problem.js';
import { Page } from './page.js';

export class LoginPage extends Page {
  static override properties = { ...Page.properties, needCode: { state: true } };
  declare needCode: boolean;

  constructor() {
    super();
    this.needCode = false;
  }

  private async submit(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const otp = this.field(form, 'otp');
    await this.act('Sign-in', async () => {
      try {
        await this.session.login({
          tenant: this.field(form, 'tenant'),
          email: this.field(form, 'email'),
          password: String(new FormData(form).get('password') ?? ''),
          ...(otp ? { otp } : {}),
        });
      } catch (err) {
        if (err instanceof ApiError && err.code === 'ERP_MFA_REQUIRED' && !this.needCode) {
          this.needCode = true;
          await this.updateComplete;
          (this.renderRoot.querySelector('input[name=otp]') as HTMLInputElement | null)?.focus();
          return;
        }
        throw err;
      }
    });
  }

  override render() {
    return html`<h1>Sign in</h1>
      <form @submit=${this.submit} aria-describedby="login-error">
        <label>Tenant <input name="tenant" required autocomplete="organization" .value=${this.session.tenantSlug} /></label>
        <label>Email <input name="email" type="email" required autocomplete="username" /></label>
        <label>Password <input name="password" type="password" required autocomplete="current-password" /></label>
        ${
          this.needCode
            ? html`<label
                >One-time code from your authenticator app
                <input name="otp" inputmode="numeric" pattern="[0-9]{6}" autocomplete="one-time-code" required
              /></label>`
            : nothing
        }
        <button type="submit" ?disabled=${this.busy}>Sign in</button>
        <p id="login-error" class="error" role="alert">${this.error}</p>
      </form>
      <p><a href="/reset-password">Forgot your password?</a></p>`;
  }
}

customElements.define('erp-login-page', LoginPage);
