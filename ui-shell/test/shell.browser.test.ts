// The shell end to end, in headless Chromium against a real kernel on real PostgreSQL, from a
// fresh data folder: first-run setup, sign-in, MFA enrolment and sign-in with a code, a plugin
// installed from the plugins page appearing in the navigation without a reload, the audit log
// with a downloaded inclusion proof, and a rollback whose navigation entry leaves a second open
// tab. axe-core runs on every page; each step leaves a screenshot in ui-shell/test-artifacts/.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generate } from 'otplib';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axe, hasChromium, launch, screenshot } from './support/browser.js';
import { type ShellKernel, startShellKernel } from './support/kernel.js';
import { type Marketplace, startMarketplace } from './support/registry.js';

const TENANT = 'acme';
const EMAIL = 'admin@acme.test';
const FIRST_PASSWORD = 'Granite-Harbour-2031';
const PASSWORD = 'Copper-Lantern-4187';

let kernel: ShellKernel;
let market: Marketplace;
let browser: Browser;
let context: BrowserContext;
let tab: Page;
let otherTab: Page;
let mfaSecret = '';
const cspViolations: string[] = [];

async function open(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
  });
  return page;
}

async function accessible(page: Page, name: string): Promise<void> {
  await screenshot(page, name);
  expect(await axe(page, name)).toEqual([]);
}

const nav = (page: Page) => page.getByRole('navigation', { name: 'Main' });

async function goTo(page: Page, label: string, heading: string | RegExp): Promise<void> {
  await nav(page).getByRole('link', { name: label, exact: true }).click();
  await expect.poll(() => page.getByRole('heading', { level: 1, name: heading }).count()).toBe(1);
}

async function confirm(page: Page): Promise<void> {
  await page.getByTestId('confirm').click();
}

beforeAll(async () => {
  if (!hasChromium) return;
  [market, browser] = await Promise.all([startMarketplace(), launch()]);
  kernel = await startShellKernel({ registryUrl: market.url });
  context = await browser.newContext({ acceptDownloads: true });
  tab = await open(context);
});

afterAll(async () => {
  await browser?.close();
  await kernel?.close();
  await market?.stop();
});

describe.skipIf(!hasChromium)('the web shell (needs /usr/bin/chromium)', () => {
  it('first run: the setup page creates the tenant and its administrator, then is gone', async () => {
    // Without the printed token the page cannot claim the server.
    const refused = await fetch(`${kernel.url}/api/v1/setup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        token: 'x'.repeat(43),
        slug: 'evil',
        name: 'Evil',
        email: 'e@evil.test',
        password: FIRST_PASSWORD,
      }),
    });
    expect(refused.status).toBe(403);
    await tab.goto(`${kernel.url}/setup#token=${kernel.setupToken}`);
    await tab.getByRole('heading', { name: 'Set up your ERP' }).waitFor();
    expect(tab.url()).toBe(`${kernel.url}/setup`); // the token left the address bar
    await accessible(tab, 'setup');
    await tab.getByLabel('Organisation name').fill('Acme Ltd');
    await tab.getByLabel('Tenant short name').fill(TENANT);
    await tab.getByLabel('Administrator email').fill(EMAIL);
    await tab.getByLabel('Password', { exact: true }).fill(FIRST_PASSWORD);
    await tab.getByLabel('Repeat the password').fill(FIRST_PASSWORD);
    await tab.getByRole('button', { name: 'Create tenant and administrator' }).click();
    await expect.poll(() => tab.getByTestId('tenant').textContent()).toBe(TENANT);
    expect(await tab.getByTestId('user').textContent()).toBe(EMAIL);
    await accessible(tab, 'home');
    const again = await fetch(`${kernel.url}/api/v1/setup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        token: kernel.setupToken,
        slug: 'second',
        name: 'Second',
        email: 'b@b.test',
        password: FIRST_PASSWORD,
      }),
    });
    expect(again.status).toBe(409);
    expect(await (await fetch(`${kernel.url}/api/v1/setup`)).json()).toEqual({ needed: false });
  });

  it('signs out, resets a forgotten password by mail, signs in; the refresh token is an HttpOnly cookie no script can read', async () => {
    await tab.getByRole('button', { name: 'Sign out' }).click();
    await tab.getByRole('heading', { name: 'Sign in' }).waitFor();
    // Forgotten password: a link by mail (written to the data folder: no SMTP relay here), then a new one.
    await tab.getByRole('link', { name: 'Forgot your password?' }).click();
    await tab.getByLabel('Email').fill(EMAIL);
    await tab.getByRole('button', { name: 'Send me a reset link' }).click();
    await tab.getByText(/reset link is on its way/).waitFor();
    await accessible(tab, 'reset-request');
    const mailDir = join(kernel.dataDir, 'mail');
    await expect
      .poll(() => (existsSync(mailDir) ? readdirSync(mailDir).length : 0), { timeout: 5000 })
      .toBe(1);
    const mail = readFileSync(join(mailDir, readdirSync(mailDir)[0]!), 'utf8')
      .replace(/=\r?\n/g, '') // quoted-printable soft line breaks
      .replace(/=3D/g, '=');
    const token = /reset-password\?token=([^\s]+)/.exec(mail)?.[1];
    expect(token).toBeDefined();
    await tab.goto(`${kernel.url}/reset-password?token=${token}`);
    await tab.getByLabel('New password').fill(PASSWORD);
    await tab.getByLabel('Repeat the password').fill(PASSWORD);
    await accessible(tab, 'reset-confirm');
    await tab.getByRole('button', { name: 'Set the new password' }).click();
    await tab.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(tab.url()).toBe(`${kernel.url}/login`); // the token left the address bar
    await tab.getByLabel('Email').fill(EMAIL);
    await tab.getByLabel('Password').fill('wrong-password-here');
    await tab.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => tab.getByRole('alert').first().textContent()).toMatch(/Invalid credentials/);
    await accessible(tab, 'login-error');
    await tab.getByLabel('Password').fill(PASSWORD);
    await tab.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => tab.getByTestId('user').textContent()).toBe(EMAIL);
    const cookies = await context.cookies();
    const refresh = cookies.find((c) => c.name === 'erp_refresh');
    expect(refresh).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/api/v1/auth/refresh' });
    expect(await tab.evaluate(() => document.cookie)).toBe('');
  });

  it('enrols MFA with the QR code and signs in again with a code', async () => {
    await goTo(tab, 'Security & MFA', 'Security');
    await tab.getByLabel('Your password').fill(PASSWORD);
    await tab.getByRole('button', { name: 'Set up an authenticator app' }).click();
    await tab.getByTestId('mfa-qr').waitFor();
    mfaSecret = (await tab.getByTestId('mfa-secret').textContent())!.trim();
    expect(await tab.getByTestId('mfa-qr').getAttribute('src')).toMatch(/^data:image\/svg\+xml/);
    await accessible(tab, 'mfa-enrol');
    const now = Math.floor(Date.now() / 1000);
    await tab.getByLabel('Six-digit code').fill(await generate({ secret: mfaSecret, epoch: now }));
    await tab.getByRole('button', { name: 'Turn on' }).click();
    await tab.getByTestId('recovery-codes').waitFor();
    expect(await tab.getByTestId('mfa-state').textContent()).toMatch(/on/);
    await accessible(tab, 'mfa-on');

    await tab.getByRole('button', { name: 'Sign out' }).click();
    await tab.getByLabel('Email').fill(EMAIL);
    await tab.getByLabel('Password').fill(PASSWORD);
    await tab.getByRole('button', { name: 'Sign in' }).click();
    const code = tab.getByLabel('One-time code');
    await code.waitFor();
    await accessible(tab, 'login-mfa');
    // The step after the one used to confirm (codes cannot be replayed; ±1 step is accepted).
    await code.fill(await generate({ secret: mfaSecret, epoch: now + 30 }));
    await tab.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => tab.getByTestId('user').textContent()).toBe(EMAIL);
  });

  it('installs a plugin from the plugins page: its navigation and element appear without a reload, in both tabs', async () => {
    otherTab = await open(context); // a second tab resumes the session from the cookie
    await otherTab.goto(`${kernel.url}/`);
    await expect.poll(() => otherTab.getByTestId('user').textContent()).toBe(EMAIL);

    await goTo(tab, 'Installed plugins', 'Plugins');
    const row = tab.locator('tr[data-plugin=warehouses]');
    await row.getByRole('button', { name: 'Install Warehouses' }).click();
    await tab.getByTestId('consent-permissions').waitFor();
    await accessible(tab, 'install-consent');
    await confirm(tab);
    const link = (p: Page) => nav(p).getByRole('link', { name: 'Stock on hand' });
    await link(tab).waitFor();
    await link(otherTab).waitFor();
    // The group is headed by the plugin's name, not its id.
    expect(await nav(tab).getByRole('heading', { name: 'Warehouses', exact: true }).count()).toBe(1);
    await accessible(tab, 'plugins-installed');
    await link(tab).click();
    // The element rendered real data through the context's api (its text is in its shadow root).
    await tab
      .locator('warehouses-stock-on-hand')
      .getByText(/line\(s\) as of/)
      .waitFor();
    await accessible(tab, 'plugin-element');
    // The @erp/sdk/ui contract: `erp` and `api` set on the element, and the same context answered
    // to a @lit/context request (what lit plugin elements consume) from inside the element.
    const contract = await tab.evaluate(() => {
      const find = (root: Document | ShadowRoot, tag: string): Element | null => {
        const hit = root.querySelector(tag);
        if (hit) return hit;
        for (const el of root.querySelectorAll('*')) {
          const inner = el.shadowRoot && find(el.shadowRoot, tag);
          if (inner) return inner;
        }
        return null;
      };
      const el = find(document, 'warehouses-stock-on-hand') as HTMLElement & {
        erp: {
          tenant: { name: string };
          user: { email: string };
          permissions: string[];
          api: unknown;
          theme: { scheme: string };
        };
        api: unknown;
      };
      let provided: unknown;
      const request = Object.assign(new Event('context-request', { bubbles: true, composed: true }), {
        context: 'erp-ui-context',
        contextTarget: el,
        callback: (value: unknown) => {
          provided = value;
        },
        subscribe: false,
      });
      (el.shadowRoot ?? el).dispatchEvent(request);
      return {
        tenant: el.erp.tenant.name,
        user: el.erp.user.email,
        sameApi: el.api === el.erp.api && typeof el.api === 'function',
        holdsStockRead: el.erp.permissions.includes('warehouses.stock.read'),
        scheme: el.erp.theme.scheme,
        providedSame: provided === el.erp,
      };
    });
    expect(contract).toEqual({
      tenant: TENANT,
      user: EMAIL,
      sameApi: true,
      holdsStockRead: true,
      scheme: 'light',
      providedSame: true,
    });
    // A reload (or a bookmark) lands straight on the plugin page: the element appears, though the
    // manifest is read twice on the way in (by the app and on the live channel's greeting) and the
    // second read hands the view an equal entry while the module is still importing.
    // The module's answer is held back so the second read surely comes first.
    const slowModule = '**/plugins/warehouses/*/*.js';
    await tab.route(slowModule, async (route) => {
      await new Promise((r) => setTimeout(r, 1500));
      await route.continue();
    });
    await tab.reload();
    await tab
      .locator('warehouses-stock-on-hand')
      .getByText(/line\(s\) as of/)
      .waitFor({ timeout: 15_000 });
    await tab.unroute(slowModule);
  });

  it('is keyboard navigable: skip to content, reach a navigation entry with Tab, open it with Enter', async () => {
    const focused = () =>
      tab.evaluate(() => {
        let el = document.activeElement;
        while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
        return `${el?.tagName.toLowerCase()}:${el?.textContent?.trim()}`;
      });
    await tab.reload(); // resumes the session from the cookie
    await tab.getByTestId('user').waitFor();
    await tab.keyboard.press('Tab');
    expect(await focused()).toBe('button:Skip to content');
    await tab.keyboard.press('Enter');
    expect(await focused()).toMatch(/^main:/);
    for (let i = 0; i < 40 && (await focused()) !== 'a:Users'; i++) await tab.keyboard.press('Shift+Tab');
    expect(await focused()).toBe('a:Users');
    await tab.keyboard.press('Enter');
    await tab.getByRole('heading', { level: 1, name: 'Users' }).waitFor();
    expect(await focused()).toMatch(/^main:/); // focus moved to the new page
  });

  it('shows the other admin pages', async () => {
    for (const [label, heading] of [
      ['Users', 'Users'],
      ['Roles & permissions', 'Roles and permissions'],
      ['My sessions', 'My sessions'],
    ] as const) {
      await goTo(tab, label, heading);
      await tab.locator('tbody tr').first().waitFor();
      await accessible(tab, label.toLowerCase().replace(/\W+/g, '-'));
    }
    await goTo(tab, 'API keys', 'API keys');
    await tab.getByLabel('Name').fill('ci');
    await tab.locator('input[name=permissions][value="audit.entries.read"]').check();
    await tab.getByRole('button', { name: 'Create API key' }).click();
    expect(await tab.getByTestId('api-key-secret').inputValue()).toMatch(/^erpk_/);
    await accessible(tab, 'api-key-created');
    // An API refusal is shown in words.
    await tab.getByLabel('Name').fill('no permissions');
    await tab.getByRole('button', { name: 'Create API key' }).click();
    await expect
      .poll(() => tab.getByRole('alert').first().textContent())
      .toMatch(/Creating the API key failed: .*permissions/);
    await accessible(tab, 'api-key-refused');
  });

  it('lets the admin list the private addresses plugins may call, refusing one that is not an address', async () => {
    await goTo(tab, 'Network access', 'Network access');
    const list = tab.getByLabel('Private addresses and ranges plugins may call');
    await expect.poll(() => list.isEnabled()).toBe(true);
    await list.fill('10.20.0.0/16\nintranet.local');
    await tab.getByRole('button', { name: 'Save network access' }).click();
    await expect
      .poll(() => tab.getByRole('alert').first().textContent())
      .toMatch(/Saving the network access list failed: .*intranet\.local/);
    await accessible(tab, 'network-refused');
    await list.fill('10.20.0.0/16\n192.168.7.15');
    await tab.getByRole('button', { name: 'Save network access' }).click();
    await expect.poll(() => tab.locator('#allow-hint').textContent()).toBe('2 entries');
    // A reload shows what the kernel kept.
    await tab.reload();
    await expect
      .poll(() => tab.getByLabel('Private addresses and ranges plugins may call').inputValue())
      .toBe('10.20.0.0/16\n192.168.7.15');
    await accessible(tab, 'network-saved');
  });

  it('shows audit entries, the verified chain, and downloads an inclusion proof', async () => {
    await goTo(tab, 'Audit log', 'Audit log');
    await expect.poll(() => tab.getByTestId('audit-status').textContent()).toMatch(/verified/);
    await tab.getByLabel('Action').fill('plugin.*');
    await tab.getByRole('button', { name: 'Filter' }).click();
    const first = tab.locator('tbody tr').first();
    await expect.poll(() => first.textContent()).toMatch(/plugin\.install/);
    await accessible(tab, 'audit');
    const [download] = await Promise.all([
      tab.waitForEvent('download'),
      first.getByRole('button', { name: /Download the inclusion proof/ }).click(),
    ]);
    const proof = JSON.parse(readFileSync((await download.path())!, 'utf8'));
    expect(proof.entry.action).toMatch(/^plugin\./);
    expect(proof.proof.seq).toBe(proof.entry.seq);
    expect(Array.isArray(proof.proof.auditPath)).toBe(true);
    expect(proof.proof.root).toEqual(expect.any(String));
  });

  it('upgrades and rolls back a plugin: its entry comes and leaves in the second tab', async () => {
    await goTo(tab, 'Installed plugins', 'Plugins');
    const available = tab.locator('tr[data-plugin=shelf-notes]');
    await available.getByLabel('Version').selectOption('1.0.0');
    await available.getByRole('button', { name: 'Install Shelf notes' }).click();
    await confirm(tab);
    // Once installed, the plugin's row (in the installed table) offers the other version.
    await tab.locator('tr[data-plugin=shelf-notes]').getByRole('button', { name: 'Upgrade' }).click();
    await confirm(tab);
    const notes = (p: Page) => nav(p).getByRole('link', { name: 'Shelf notes', exact: true });
    await notes(otherTab).waitFor();
    await screenshot(otherTab, 'second-tab-after-upgrade');
    await notes(tab).click();
    await tab.locator('shelf-notes-items').getByRole('heading', { name: 'Shelf notes' }).waitFor();
    await accessible(tab, 'upgraded-plugin-page');
    await goTo(tab, 'Installed plugins', 'Plugins');
    await tab.getByRole('button', { name: 'Roll back to 1.0.0' }).click();
    await confirm(tab);
    await expect.poll(() => notes(otherTab).count(), { timeout: 15_000 }).toBe(0);
    await screenshot(otherTab, 'second-tab-after-rollback');
    expect(await nav(otherTab).getByRole('link', { name: 'Stock on hand' }).count()).toBe(1);
  });

  it('installs a signed plugin from the marketplace page with consent; its page appears in both tabs', async () => {
    await goTo(tab, 'Marketplace', 'Marketplace');
    // Trust the publisher, so its verified plugins run in the kernel's process.
    await tab.getByLabel('Trusted publishers').fill('erp, acme');
    await tab.getByRole('button', { name: 'Save trust policy' }).click();
    await tab.getByText('Trust policy saved.').waitFor();
    await tab.getByLabel('Search plugins').fill('notes');
    await tab.getByRole('button', { name: 'Search', exact: true }).click();
    await tab.getByRole('button', { name: 'Details of Notes' }).click();
    await expect.poll(() => tab.getByTestId('publisher').textContent()).toMatch(/^acme · signature verified/);
    await tab.getByText('Notes on anything.').waitFor(); // the README
    await accessible(tab, 'marketplace-details');
    await tab.getByRole('button', { name: 'Install or upgrade…' }).click();
    await expect
      .poll(() => tab.getByTestId('consent-permissions').textContent())
      .toMatch(/notes\.items\.read: View notes/);
    await accessible(tab, 'marketplace-consent');
    await confirm(tab);
    const notes = (p: Page) => nav(p).getByRole('link', { name: 'Notes', exact: true });
    await notes(otherTab).waitFor();
    await notes(tab).click();
    await tab.locator('acme-notes').getByText('Hello from notes').waitFor();
    await accessible(tab, 'marketplace-plugin-page');
  });

  it('signs out in one tab and the other tab follows', async () => {
    await tab.getByRole('button', { name: 'Sign out' }).click();
    await tab.getByRole('heading', { name: 'Sign in' }).waitFor();
    await otherTab.getByRole('heading', { name: 'Sign in' }).waitFor();
    // The session is over on the server too: the cookie no longer refreshes.
    await otherTab.reload();
    await otherTab.getByRole('heading', { name: 'Sign in' }).waitFor();
    await accessible(otherTab, 'signed-out');
  });

  it('ran under the CSP without a violation', () => {
    expect(cspViolations).toEqual([]);
  });
});
