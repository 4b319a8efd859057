// biome-ignore-all lint/suspicious/noExplicitAny: tests read arbitrary JSON and element state
// The plugin elements inside the real shell (@erp/ui-shell, built and served by the kernel at /):
// sign in through the shell's page, open every navigation entry the three plugins add, post a
// receipt through the form, see stock on hand and the valuation chart follow; axe-core finds no
// serious or critical violation on any of these pages and the shell's CSP reports nothing.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hasChromium, launch, type PluginKernel, startPluginKernel } from '@erp/plugin-testkit';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from './support/axe.js';
import { hasShell } from './support/build-shell.js';
import { ARTIFACTS, PLUGINS, pluginDir } from './support/paths.js';

const PASSWORD = 'Plugin-test-Passw0rd!'; // the test kit's administrator password

describe.skipIf(!hasChromium || !hasShell)('plugin elements inside the shell', () => {
  let kernel: PluginKernel;
  let browser: Browser;
  let page: Page;
  const csp: string[] = [];
  /** Each element's time to first render in the shell (the shell's data-first-render-ms), ms. */
  const firstRender: Record<string, number[]> = {};

  beforeAll(async () => {
    [kernel, browser] = await Promise.all([
      startPluginKernel({
        pluginDirs: PLUGINS.map(pluginDir),
        tenants: 1,
        install: ['@erp-plugin/warehouses', '@erp-plugin/lots-serials', '@erp-plugin/costing'],
      }),
      launch(),
    ]);
    const wh = kernel.tenants[0]!.plugin('warehouses');
    const w = (await wh.post('/warehouses', { code: 'SH', name: 'Shell test' })).json;
    await wh.post('/locations', { warehouseId: w.id, code: 'BIN', name: 'Bin' });
    await wh.post('/items', { sku: 'NUT', name: 'Nut', uom: 'EA' });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) csp.push(m.text());
    });
  });
  afterAll(async () => {
    writeFileSync(join(ARTIFACTS, 'first-render.json'), JSON.stringify(firstRender, null, 2));
    await browser?.close();
    await kernel?.close();
  });

  const nav = () => page.getByRole('navigation', { name: 'Main' });
  async function open(label: string, tag: string) {
    await nav().getByRole('link', { name: label, exact: true }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1, name: label }).count()).toBe(1);
    const el = page.locator(tag);
    await el.locator('h2').waitFor();
    const ms = Number(
      await page.locator(`${tag}[data-first-render-ms]`).getAttribute('data-first-render-ms'),
    );
    firstRender[tag] = [...(firstRender[tag] ?? []), ms];
    return el;
  }
  async function check(name: string) {
    await page.screenshot({ path: join(ARTIFACTS, `shell-${name}.png`), fullPage: true });
    expect(await seriousViolations(page)).toEqual([]);
  }

  it('signs in through the shell and shows every plugin entry', async () => {
    const t = kernel.tenants[0]!;
    await page.goto(`${kernel.url}/`);
    await page.getByLabel('Tenant').fill(t.slug);
    await page.getByLabel('Email').fill(`admin@${t.slug}.test`);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByTestId('user').textContent()).toBe(`admin@${t.slug}.test`);
    // Polled: the navigation follows the manifest, read after sign-in.
    for (const label of [
      'Stock on hand',
      'Move ledger',
      'Receive stock',
      'Issue stock',
      'Transfer stock',
      'Lot and serial trace',
      'Stock valuation',
    ])
      await expect
        .poll(() => nav().getByRole('link', { name: label, exact: true }).count(), { message: label })
        .toBe(1);
  });

  it('receives stock through the form in the shell; stock, ledger and valuation follow', async () => {
    const receive = await open('Receive stock', 'warehouses-receive-stock');
    await expect.poll(() => receive.getByRole('button', { name: 'Post receipt' }).isEnabled()).toBe(true);
    await receive.getByLabel('Item', { exact: true }).selectOption({ label: 'NUT — Nut' });
    await receive.getByLabel('Location', { exact: true }).selectOption({ label: 'SH / BIN' });
    await receive.getByLabel('Quantity', { exact: true }).fill('7');
    await receive.getByLabel('Unit cost', { exact: true }).fill('3');
    await receive.getByRole('button', { name: 'Post receipt' }).click();
    await expect.poll(() => receive.locator('[part=done]').textContent()).toMatch(/^Receipt posted/);
    // The shell's notification area got the element's notify().
    await expect.poll(() => page.getByText(/Receipt posted/).count()).toBeGreaterThan(1);
    await check('receive');

    const stock = await open('Stock on hand', 'warehouses-stock-on-hand');
    await expect
      .poll(() => stock.locator('tbody tr td').allTextContents())
      .toEqual(['NUT', 'Nut', 'SH', 'BIN', '', '7', 'EA']);
    await check('stock-on-hand');
    const ledger = await open('Move ledger', 'warehouses-move-ledger');
    await expect.poll(() => ledger.locator('tbody tr').count()).toBe(1);
    await check('move-ledger');

    const report = await open('Stock valuation', 'costing-valuation-report');
    await expect
      .poll(
        async () => {
          await report.evaluate((e: any) => e.load());
          return (await report.evaluate((e: any) => e.drawn)).byItem.data;
        },
        { timeout: 20_000 },
      )
      .toEqual([21]);
    await check('valuation');
  });

  it('shows the issue and transfer forms and the trace, in the dark theme too, and ran under the CSP', async () => {
    await open('Issue stock', 'warehouses-issue-stock');
    await check('issue');
    const transfer = await open('Transfer stock', 'warehouses-transfer-stock');
    await expect
      .poll(() => transfer.locator('[part=pending]').textContent())
      .toContain('No transfer is waiting');
    await check('transfer');
    const trace = await open('Lot and serial trace', 'lots-serials-trace');
    await expect.poll(() => trace.getByText('Choose a lot or a serial number to trace.').count()).toBe(1);
    await check('trace');
    // The shell's dark theme reaches the elements through its CSS custom properties.
    await page.emulateMedia({ colorScheme: 'dark' });
    await open('Receive stock', 'warehouses-receive-stock');
    await check('receive-dark');
    await open('Stock valuation', 'costing-valuation-report');
    await check('valuation-dark');
    expect(csp).toEqual([]);
  });

  it('sends a signed-out user of an OAuth app through the shell sign-in and back to the consent page', async () => {
    const t = kernel.tenants[0]!;
    const callback = 'https://app.example.com/callback';
    const app = (
      await t.api.post('/api/v1/oauth/apps', {
        name: 'Shelf planner',
        redirectUris: [callback],
        scopes: ['warehouses.items.read'],
      })
    ).json;
    const context = await browser.newContext();
    // The app's site is not reachable from here: its callback is answered in the browser.
    await context.route(`${callback}**`, (route) =>
      route.fulfill({ status: 200, contentType: 'text/html', body: 'app' }),
    );
    const tab = await context.newPage();
    const authorize = `${kernel.url}/oauth/authorize?${new URLSearchParams({
      response_type: 'code',
      client_id: app.clientId,
      redirect_uri: callback,
      scope: 'warehouses.items.read',
      state: 'shell-state-1',
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      code_challenge_method: 'S256',
    })}`;
    await tab.goto(authorize);
    await tab.waitForURL(/\/login\?return=/);
    await tab.getByLabel('Tenant').fill(t.slug);
    await tab.getByLabel('Email').fill(`admin@${t.slug}.test`);
    await tab.getByLabel('Password').fill(PASSWORD);
    await tab.getByRole('button', { name: 'Sign in' }).click();
    await tab.waitForURL((u) => u.pathname === '/oauth/authorize');
    expect(tab.url()).toBe(authorize);
    await tab.locator('body[data-ready=true]').waitFor();
    await expect(tab.locator('h1').textContent()).resolves.toBe('Allow Shelf planner to use your account?');
    await tab.getByRole('button', { name: 'Deny' }).click();
    await tab.waitForURL((u) => u.href.startsWith(callback));
    expect(Object.fromEntries(new URL(tab.url()).searchParams)).toEqual({
      error: 'access_denied',
      state: 'shell-state-1',
    });
    await context.close();
  });
});
