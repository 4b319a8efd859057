// The consent page's HTML: the app's name, each permission it asks for in the words its owner
// (kernel or plugin) registered, where the browser returns, and Approve / Deny. Everything dynamic
// is escaped; there is no inline script or style (the CSP forbids both), the behaviour is
// /oauth/consent.js, and the buttons stay disabled until that script has found a signed-in session.
export const CONSENT_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "script-src-attr 'none'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const doc = (title: string, body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title><link rel="stylesheet" href="/oauth/consent.css"></head>
<body>${body}</body></html>`;

export function consentPage(o: {
  appName: string;
  tenantId: string;
  redirectUri: string;
  scopes: Array<{ name: string; words: string }>;
  ticket: string;
}): string {
  const origin = new URL(o.redirectUri).origin;
  return doc(
    `Allow ${o.appName}?`,
    `<main id="consent" data-ticket="${esc(o.ticket)}" data-tenant="${esc(o.tenantId)}">
<h1>Allow <span id="app-name">${esc(o.appName)}</span> to use your account?</h1>
<p id="who" role="status">Checking that you are signed in…</p>
<h2>It asks to:</h2>
<ul id="scopes">${o.scopes
      .map(
        (s) =>
          `<li data-scope="${esc(s.name)}">${esc(s.words)} <span class="code">(${esc(s.name)})</span></li>`,
      )
      .join('')}</ul>
<p>It can do this only while you hold these permissions yourself, for one hour at a time; you can revoke it at any moment.
After you decide you return to <strong id="return-to">${esc(origin)}</strong>.</p>
<div class="actions"><button type="button" id="approve" disabled>Approve</button>
<button type="button" id="deny" class="secondary" disabled>Deny</button></div>
<p id="error" role="alert"></p>
</main>
<script type="module" src="/oauth/consent.js"></script>`,
  );
}

export function stopPage(message: string): string {
  return doc(
    'Cannot continue',
    `<main><h1>This app cannot be authorised</h1><p role="alert">${esc(message)}</p>
<p>Nothing was shared. Tell the app’s developer, or go back.</p></main>`,
  );
}

export const CONSENT_CSS = `body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#f6f7f9;color:#1b1f24}
main{max-width:34rem;margin:3rem auto;background:#fff;padding:2rem;border-radius:8px;box-shadow:0 1px 4px #0002}
h1{font-size:1.4rem;margin-top:0}h2{font-size:1.05rem}.code{color:#4a5360;font-size:.85em}
.actions{display:flex;gap:.75rem;margin-top:1.5rem}button{font:inherit;padding:.5rem 1.25rem;border-radius:6px;
border:1px solid #0b5cad;background:#0b5cad;color:#fff;cursor:pointer}button.secondary{background:#fff;color:#0b5cad}
button:disabled{opacity:.55;cursor:not-allowed}#error{color:#a4001c}button:focus-visible{outline:3px solid #f0a500;outline-offset:2px}`;
