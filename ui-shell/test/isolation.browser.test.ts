// The escape suite of third-party plugin UIs (issue 19), in headless Chromium against a real kernel
// serving the built shell. Two third-party plugins (path installs whose manifest says third-party:
// the sandbox runtime, so their elements render in sandboxed frames): the SDK scaffold's element,
// which must work there exactly as in the shell's page, and a malicious one whose element tries to
// read the shell's DOM, storage, cookies and tokens, reach the network or the API on its own,
// call another plugin's and the kernel's admin routes through the bridge, navigate or replace the
// top window, open pop-ups, spoof and flood bridge messages, hang and throw. Every attempt fails
// with its concrete error, the shell keeps working, the shell's own token for the frame dies when
// the plugin is uninstalled, and axe-core finds no serious violation inside the frame.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, hasChromium, launch, screenshot } from './support/browser.js';
import { type ShellKernel, startShellKernel, writeScaffoldPlugin } from './support/kernel.js';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const EVIL_MODULE = readFileSync(new URL('./fixtures/evil-probe.js', import.meta.url));
const GENERATED = new URL('./.generated/', import.meta.url).pathname;
const PASSWORD = 'Isolation-test-Passw0rd!';
const ELEMENTS = ['evil-probe', 'evil-flood', 'evil-hang', 'evil-throw', 'evil-spoof', 'evil-leave'];
const LABELS = ['Evil probe', 'Evil flood', 'Evil hang', 'Evil throw', 'Evil spoof', 'Evil leave'];

describe.skipIf(!hasChromium)('third-party plugin UI isolation', () => {
  let kernel: ShellKernel;
  let browser: Browser;
  let page: Page;
  let admin: string;
  let root: string;
  const report: Record<string, unknown> = {};

  const api = async (method: string, path: string, body?: unknown, auth = admin) => {
    const res = await fetch(`${kernel.url}${path}`, {
      method,
      headers: { authorization: auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : null };
  };

  beforeAll(async () => {
    root = join(GENERATED, `iso-${process.pid}`);
    writeScaffoldPlugin(root, {
      id: 'iso-notes',
      displayName: 'Iso notes',
      version: '1.0.0',
      withUi: true,
      trust: 'third-party',
    });
    writeScaffoldPlugin(root, {
      id: 'evil',
      displayName: 'Evil',
      version: '1.0.0',
      withUi: true,
      trust: 'third-party',
      files: { 'ui/dist/evil-probe.js': EVIL_MODULE },
      pkg: (pkg) => {
        pkg.erp.ui = {
          module: 'ui/dist/evil-probe.js',
          assets: 'ui/dist',
          elements: ELEMENTS,
          navigation: ELEMENTS.map((element, i) => ({
            label: LABELS[i],
            path: `/${element}`,
            element,
            permission: 'evil.items.read',
          })),
        };
      },
    });
    [kernel, browser] = await Promise.all([startShellKernel({ pluginRoots: [root] }), launch()]);
    const setup = await fetch(`${kernel.url}/api/v1/setup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        token: kernel.setupToken,
        slug: 'iso',
        name: 'Iso Ltd',
        email: 'admin@iso.test',
        password: PASSWORD,
      }),
    });
    expect(setup.status).toBe(201);
    const login = await fetch(`${kernel.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tenant: 'iso', email: 'admin@iso.test', password: PASSWORD }),
    });
    admin = `Bearer ${(await login.json()).accessToken}`;
    for (const [plugin, version] of [
      ['@test/iso-notes', '1.0.0'],
      ['@test/evil', '1.0.0'],
      ['@test/shelf-notes', '1.1.0'], // the same scaffold element, first-party: in the shell's page
    ]) {
      const res = await api('POST', '/api/v1/plugins/installations', { plugin, version });
      expect(res.status, JSON.stringify(res.json)).toBe(201);
    }
    page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    await page.goto(`${kernel.url}/`);
    await page.getByLabel('Tenant').fill('iso');
    await page.getByLabel('Email').fill('admin@iso.test');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('user').filter({ hasText: 'admin@iso.test' }).waitFor();
  }, 180_000);

  afterAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(join(ARTIFACTS, 'isolation.json'), JSON.stringify(report, null, 2));
    await browser?.close();
    await kernel?.close();
    rmSync(root, { recursive: true, force: true });
  });

  const nav = () => page.getByRole('navigation', { name: 'Main' });
  /** Opens a plugin's navigation entry; returns its frame once the element reported its first render. */
  async function openFrame(label: string, plugin: string): Promise<Frame> {
    await nav().getByRole('link', { name: label, exact: true }).click();
    const host = page.locator('erp-plugin-frame');
    await expect.poll(() => host.count(), { timeout: 10_000 }).toBe(1);
    let frame: Frame | undefined;
    await expect
      .poll(
        () => {
          frame = page.frames().find((f) => f.url().includes(`/ui-frame/${plugin}/`));
          return frame !== undefined;
        },
        { timeout: 10_000 },
      )
      .toBe(true);
    return frame!;
  }
  const frameError = () => page.getByTestId('plugin-frame-error');
  async function axeIn(frame: Frame, name: string) {
    await frame.evaluate(AXE_SOURCE);
    const violations = await frame.evaluate(async () => {
      // biome-ignore lint/suspicious/noExplicitAny: axe is a global the evaluated source defined
      const result = await (window as any).axe.run(document, { resultTypes: ['violations'] });
      return (result.violations as { id: string; impact: string | null; nodes: unknown[] }[]).map((v) => ({
        id: v.id,
        impact: v.impact,
        nodes: v.nodes.length,
      }));
    });
    report[`axe:${name}`] = violations;
    return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  }
  async function shellStillWorks() {
    await nav().getByRole('link', { name: 'My sessions', exact: true }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1, name: 'My sessions' }).count()).toBe(1);
    expect(page.url()).toBe(`${kernel.url}/account/sessions`);
  }

  it('renders the scaffold’s element in a sandboxed frame, where the SDK’s helpers work unchanged', async () => {
    const frame = await openFrame('Iso notes', 'iso-notes');
    const iframe = page.locator('erp-plugin-frame iframe');
    expect(await iframe.getAttribute('sandbox')).toBe('allow-scripts allow-forms');
    expect(await iframe.getAttribute('title')).toBe('Iso notes (plugin iso-notes)');
    await frame.getByRole('heading', { name: 'Iso notes' }).waitFor();
    await expect.poll(() => frame.getByText('No items yet.').count(), { timeout: 15_000 }).toBe(1);
    await frame.getByLabel('Name').fill('Bolts');
    await frame.getByRole('button', { name: 'Add item' }).click();
    await expect
      .poll(() => frame.locator('tbody tr td').first().textContent(), { timeout: 10_000 })
      .toBe('Bolts');
    // notify() reached the shell's notification area, named after the plugin.
    await expect
      .poll(() => page.getByText('iso-notes: Item added').count(), { timeout: 10_000 })
      .toBeGreaterThan(0);
    const firstRender = Number(await page.locator('erp-plugin-frame').getAttribute('data-first-render-ms'));
    expect(firstRender).toBeGreaterThan(0);
    const module = readFileSync(join(root, 'iso-notes', '1.0.0', 'ui', 'dist', 'iso-notes-items.js'));
    // The same element first-party, in the shell's page, for comparison.
    await nav().getByRole('link', { name: 'Shelf notes', exact: true }).click();
    const inPage = page.locator('shelf-notes-items[data-first-render-ms]');
    await inPage.waitFor({ timeout: 15_000 });
    report.scaffoldElement = {
      firstRenderMsInFrame: firstRender,
      firstRenderMsInPage: Number(await inPage.getAttribute('data-first-render-ms')),
      bytes: module.length,
      gzipBytes: gzipSync(module, { level: 9 }).length,
    };
    expect(report.scaffoldElement).toMatchObject({ gzipBytes: expect.any(Number) });
    expect(gzipSync(module, { level: 9 }).length).toBeLessThanOrEqual(64 * 1024); // the budget
    await nav().getByRole('link', { name: 'Iso notes', exact: true }).click();
    await page.locator('erp-plugin-frame[data-first-render-ms]').waitFor();
    const again = page.frames().find((f) => f.url().includes('/ui-frame/iso-notes/'))!;
    await again.getByRole('heading', { name: 'Iso notes' }).waitFor();
    expect(await axeIn(again, 'iso-notes frame')).toEqual([]);
    await screenshot(page, 'iso-notes-frame');
  });

  it('contains every escape attempt of a malicious element, and the shell keeps working', async () => {
    const frame = await openFrame('Evil probe', 'evil');
    await frame
      .waitForFunction(() => 'escapeResults' in window, undefined, { timeout: 20_000 })
      .catch(async (err) => {
        throw new Error(
          `${err.message}; the shell says: ${await frameError()
            .textContent()
            .catch(() => '')}`,
        );
      });
    const r = (await frame.evaluate(
      () => (window as unknown as { escapeResults: object }).escapeResults,
    )) as Record<string, string>;
    report.escape = r;
    const securityError = /^SecurityError: /;
    expect(r.parentDom).toMatch(securityError);
    expect(r.topDom).toMatch(securityError);
    expect(r.parentToken).toMatch(securityError);
    expect(r.localStorage).toMatch(securityError);
    expect(r.sessionStorage).toMatch(securityError);
    expect(r.cookie).toMatch(securityError);
    expect(r.indexedDB).toMatch(securityError);
    expect(r.directFetch).toBe('TypeError: Failed to fetch'); // connect-src 'none'
    expect(r.refreshFetch).toBe('TypeError: Failed to fetch');
    expect(r.eval).toMatch(/^EvalError: /); // no 'unsafe-eval'
    expect(r.newFunction).toMatch(/^EvalError: /);
    expect(r.inlineScript).toBe('ok: did not run'); // no 'unsafe-inline'
    expect(r.topNavigate).toMatch(securityError);
    expect(r.topReplace).toMatch(securityError);
    expect(r.popup).toBe('ok: blocked (null)');
    expect(r.tokenInContext).toBe('ok: none');
    expect(r.ownRoute).toBe('ok: 200'); // the bridge works: what follows is refused, not broken
    expect(r.otherPlugin).toBe('ok: 403 ERP_PLUGIN_TOKEN_SCOPE');
    expect(r.adminUsers).toBe('ok: 403 ERP_PLUGIN_TOKEN_SCOPE');
    expect(r.adminInstall).toBe('ok: 403 ERP_PLUGIN_TOKEN_SCOPE');
    expect(r.mintToken).toBe('ok: 403 ERP_PLUGIN_TOKEN_SCOPE');
    expect(r.whoAmI).toBe('ok: 403 ERP_PLUGIN_TOKEN_SCOPE');
    expect(r.traversal).toBe('ok: 403 ERP_PLUGIN_TOKEN_SCOPE');
    expect(r.offKernel).toMatch(/^TypeError: api\(\) takes a path on the kernel API/);
    expect(r.cspViolations).toEqual(expect.stringContaining('connect-src'));
    expect(r.cspViolations).toEqual(expect.stringContaining('script-src'));
    // Nothing moved: same page, no pop-up, the frame is still there, signed in.
    expect(page.url()).toBe(`${kernel.url}/evil-probe`);
    expect(browser.contexts().flatMap((c) => c.pages())).toHaveLength(1);
    expect(await frameError().count()).toBe(0);
    expect(await axeIn(frame, 'evil-probe frame')).toEqual([]);
    await screenshot(page, 'evil-probe');

    // A message posted to the shell by anything but the frame's window is ignored.
    await page.evaluate(() =>
      window.postMessage({ bridge: 'erp-bridge/1', type: 'navigate', path: '/admin/users' }, '*'),
    );
    await page.waitForTimeout(300);
    expect(page.url()).toBe(`${kernel.url}/evil-probe`);
    await shellStillWorks();
  });

  for (const [label, expected] of [
    ['Evil flood', /evil stopped: It sent too many messages\./],
    ['Evil spoof', /evil stopped: It sent a message outside the bridge protocol\./],
    ['Evil throw', /evil stopped: It failed: evil element blew up while rendering/],
    ['Evil leave', /evil stopped: It navigated away from its page and was stopped\./],
    ['Evil hang', /evil stopped: It stopped responding/],
  ] as const) {
    it(`${label}: an error in the element’s own region; the shell keeps working`, async () => {
      await nav().getByRole('link', { name: label, exact: true }).click();
      await expect.poll(() => frameError().textContent(), { timeout: 15_000 }).toMatch(expected);
      expect(await page.locator('erp-plugin-frame iframe').count()).toBe(0); // the frame is gone
      await screenshot(page, label.toLowerCase().replace(' ', '-'));
      await shellStillWorks();
    });
  }

  it('the shell’s token for a frame is refused once the plugin is uninstalled', async () => {
    await openFrame('Iso notes', 'iso-notes');
    await page.locator('erp-plugin-frame').evaluate(async (el) => {
      await (el as unknown as { token: { permissions(): Promise<unknown> } }).token.permissions();
    });
    const token = await page.locator('erp-plugin-frame').evaluate(async (el) => {
      const minted = await (el as unknown as { token: { current: Promise<{ token: string }> } }).token
        .current;
      return minted.token;
    });
    const bearer = `Bearer ${token}`;
    expect((await api('GET', '/api/v1/p/iso-notes/items', undefined, bearer)).status).toBe(200);
    expect((await api('DELETE', '/api/v1/plugins/installations/iso-notes')).status).toBe(200);
    const after = await api('GET', '/api/v1/p/iso-notes/items', undefined, bearer);
    expect([after.status, after.json.code]).toEqual([401, 'ERP_PLUGIN_TOKEN_REVOKED']);
    // Its navigation entry leaves the open shell too.
    await expect.poll(() => nav().getByRole('link', { name: 'Iso notes', exact: true }).count()).toBe(0);
  });
});
