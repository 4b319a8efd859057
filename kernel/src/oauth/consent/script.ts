// The consent page's behaviour, served as /oauth/consent.js (the page's CSP allows scripts from
// the kernel's origin only, none inline). It resumes the shell's session the way the shell does
// (the HttpOnly refresh cookie, under the same Web Lock so two tabs never rotate it at once); with
// no session it sends the browser to sign-in with this page as the return address. The decision
// is posted with the access token, the page's signed ticket and the consent cookie (ticket.ts),
// and the browser follows the redirect the kernel answers (the app's registered URI only).
export const CONSENT_SCRIPT = `
const main = document.getElementById('consent');
const who = document.getElementById('who');
const failure = document.getElementById('error');
const buttons = [document.getElementById('approve'), document.getElementById('deny')];

async function accessToken() {
  const run = async () => {
    const res = await fetch('/api/v1/auth/refresh', {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}', credentials: 'same-origin',
    });
    if (res.status === 401) return null;
    if (!res.ok) throw new Error('The server could not resume your session (' + res.status + ').');
    return (await res.json()).accessToken;
  };
  return navigator.locks ? navigator.locks.request('erp-refresh', run) : run();
}

async function problemText(res) {
  try {
    const p = await res.json();
    return p.detail ? p.title + ': ' + p.detail : p.title;
  } catch {
    return 'The server answered ' + res.status + '.';
  }
}

async function start() {
  const token = await accessToken();
  if (!token) {
    location.assign('/login?return=' + encodeURIComponent(location.pathname + location.search));
    return;
  }
  const meRes = await fetch('/api/v1/auth/me', { headers: { authorization: 'Bearer ' + token } });
  if (!meRes.ok) throw new Error(await problemText(meRes));
  const me = await meRes.json();
  if (me.tenantId !== main.dataset.tenant) {
    who.textContent = 'You are signed in as ' + (me.email ?? 'a user') + ' of another tenant than the app\\u2019s.';
    failure.textContent = 'Sign out and sign in to the tenant that registered this app to continue.';
    return;
  }
  who.textContent = 'Signed in as ' + (me.email ?? me.userId) + '.';
  // An app gets only what the user holds; the grant is refused whole otherwise, so say so first.
  const lacking = [...document.querySelectorAll('#scopes li')].filter(
    (li) => !me.permissions.includes(li.dataset.scope),
  );
  for (const li of lacking) li.append(' \u2014 you do not hold this permission');
  if (lacking.length)
    failure.textContent = 'You cannot approve: you do not hold every permission the app asks for. Deny, or ask an administrator.';
  const decide = async (decision) => {
    for (const b of buttons) b.disabled = true;
    failure.textContent = '';
    const res = await fetch('/api/v1/oauth/consent', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { authorization: 'Bearer ' + token, 'content-type': 'application/json' },
      body: JSON.stringify({ ticket: main.dataset.ticket, decision }),
    });
    if (!res.ok) {
      failure.textContent = await problemText(res);
      buttons[0].disabled = lacking.length > 0;
      buttons[1].disabled = false;
      return;
    }
    location.assign((await res.json()).redirectTo);
  };
  buttons[0].addEventListener('click', () => void decide('approve'));
  buttons[1].addEventListener('click', () => void decide('deny'));
  buttons[0].disabled = lacking.length > 0;
  buttons[1].disabled = false;
  document.body.dataset.ready = 'true';
}

start().catch((err) => {
  failure.textContent = err.message;
});
`;
