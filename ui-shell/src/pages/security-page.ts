// The user's second factor: enrolment shows the otpauth:// QR code (and the seed for typing in),
// a current code confirms it and the recovery codes are shown once. The QR library is loaded only
// here, so it does not weigh on the shell's first load.
import { html, nothing } from 'lit';
import { Page } from './page.js';

interface Enrolment {
  secret: string;
  otpauthUrl: string;
  qr: string;
}

export class SecurityPage extends Page {
  static override properties = {
    ...Page.properties,
    enrolment: { state: true },
    recovery: { state: true },
    enabled: { state: true },
  };
  declare enrolment: Enrolment | null;
  declare recovery: string[];
  declare enabled: boolean;

  constructor() {
    super();
    this.enrolment = null;
    this.recovery = [];
    this.enabled = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.enabled = this.session.me?.mfaEnabled ?? false;
  }

  private async enrol(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const password = String(new FormData(e.target as HTMLFormElement).get('password') ?? '');
    await this.act('Starting MFA enrolment', async () => {
      const answer = await this.session.send<{ secret: string; otpauthUrl: string }>(
        'POST',
        '/api/v1/auth/mfa/enroll',
        { password },
      );
      const qrcode = await import('qrcode');
      const svg = await qrcode.toString(answer.otpauthUrl, {
        type: 'svg',
        errorCorrectionLevel: 'M',
        margin: 2,
      });
      this.enrolment = { ...answer, qr: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}` };
      await this.updateComplete;
      (this.renderRoot.querySelector('input[name=otp]') as HTMLInputElement | null)?.focus();
    });
  }

  private async confirm(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const otp = this.field(e.target as HTMLFormElement, 'otp');
    await this.act('Confirming the code', async () => {
      const answer = await this.session.send<{ recoveryCodes: string[] }>(
        'POST',
        '/api/v1/auth/mfa/confirm',
        {
          otp,
        },
      );
      this.recovery = answer.recoveryCodes;
      this.enrolment = null;
      this.enabled = true;
      if (this.session.me) this.session.me.mfaEnabled = true;
      this.app.notify('Two-factor sign-in is on.', 'success');
    });
  }

  override render() {
    return html`<h1>Security</h1>
      <section class="card" aria-labelledby="mfa-h">
        <h2 id="mfa-h">Two-factor sign-in (TOTP)</h2>
        <p data-testid="mfa-state">Status: <strong>${this.enabled ? 'on' : 'off'}</strong></p>
        ${
          !this.enabled && !this.enrolment
            ? html`<form @submit=${this.enrol}>
                <label
                  >Your password (to confirm it is you)
                  <input name="password" type="password" required autocomplete="current-password"
                /></label>
                <button type="submit" ?disabled=${this.busy}>Set up an authenticator app</button>
              </form>`
            : nothing
        }
        ${
          this.enrolment
            ? html`<div class="stack">
                <p>Scan this code with an authenticator app, then enter the six-digit code it shows.</p>
                <img
                  src=${this.enrolment.qr}
                  width="220"
                  height="220"
                  alt="QR code to add this account to an authenticator app"
                  data-testid="mfa-qr"
                />
                <p>
                  Or type this key:
                  <code data-testid="mfa-secret">${this.enrolment.secret}</code>
                </p>
                <form @submit=${this.confirm}>
                  <label
                    >Six-digit code
                    <input name="otp" inputmode="numeric" pattern="[0-9]{6}" required autocomplete="one-time-code"
                  /></label>
                  <button type="submit" ?disabled=${this.busy}>Turn on</button>
                </form>
              </div>`
            : nothing
        }
        ${
          this.recovery.length
            ? html`<div class="card" role="region" aria-label="Recovery codes">
                <p><strong>Recovery codes, shown only now.</strong> Keep them somewhere safe; each works once.</p>
                <ul class="mono" data-testid="recovery-codes">
                  ${this.recovery.map((c) => html`<li>${c}</li>`)}
                </ul>
              </div>`
            : nothing
        }
        <p class="error" role="alert">${this.error}</p>
      </section>`;
  }
}

customElements.define('erp-security-page', SecurityPage);
