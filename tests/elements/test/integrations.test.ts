// biome-ignore-all lint/suspicious/noExplicitAny: tests read arbitrary JSON and element state
// The integrations screens and the OAuth consent page in headless Chromium against a real kernel
// (warehouses + integrations): an admin creates a webhook endpoint in the element and a real HTTP
// receiver on loopback gets the delivery, verified with `standardwebhooks` (an independent
// implementation), then redelivers it from the log; imports a CSV whose bad row is named by row and
// column, fixes it and commits; a user is sent by an app to the kernel's consent page, signs in,
// approves (authorization code + PKCE; the app gets a token that can read but not write) or
// denies (error=access_denied); the page refuses a decision without its CSRF halves and an
// unregistered redirect URI; a user without the integrations permissions is offered no action
// and refused by the API. axe-core finds no serious violation on any screen.
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { clientFor, hasChromium, launch, type PluginKernel, startPluginKernel } from '@erp/plugin-testkit';
import type { Browser, Page } from 'playwright-core';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The integrations suite's own loopback receiver (records every request, answers what it is told).
import { type Receiver, startReceiver } from '../../../plugins/integrations/test/support/receiver.js';
import { seriousViolations } from './support/axe.js';
import { mountElement, shellPage } from './support/page.js';
import { ARTIFACTS, pluginDir } from './support/paths.js';

const PASSWORD = 'Plugin-test-Passw0rd!'; // the test kit's administrator password
const CLERK_PASSWORD = 'Tidy-browser-Passw0rd!9';

const okJson = async (p: Promise<{ status: number; json: any }>, status = 200) => {
  const r = await p;
  expect(r.status, JSON.stringify(r.json)).toBe(status);
  return r.json;
};
const csvFile = (rows: string[][]) => Buffer.from(`${rows.map((r) => r.join(',')).join('\n')}\n`);

describe.skipIf(!hasChromium)('integrations screens and OAuth consent in Chromium', () => {
  let kernel: PluginKernel;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let rx: Receiver;
  let me: any;

  beforeAll(async () => {
    [kernel, browser, rx] = await Promise.all([
      startPluginKernel({
        pluginDirs: [pluginDir('warehouses'), pluginDir('integrations')],
        tenants: 1,
        install: ['@erp-plugin/warehouses', '@erp-plugin/integrations'],
      }),
      launch(),
      startReceiver(),
    ]);
    const t = kernel.tenants[0]!;
    // The receiver is on loopback: the tenant's outbound policy allows it, and plain http.
    await okJson(t.api.put('/api/v1/tenant/outbound-policy', { allowPrivate: ['127.0.0.0/8'] }));
    await okJson(
      t.api.put('/api/v1/plugins/installations/integrations/config', {
        config: { allowHttp: true, maxAttempts: 3, initialDelayMs: 50, maxDelayMs: 200 },
      }),
    );
    me = await okJson(t.api.get('/api/v1/auth/me'));
    const manifest = await okJson(t.api.get('/api/v1/ui/manifest'));
    const modules = manifest.plugins.map((p: any) => p.module);
    const { version } = JSON.parse(readFileSync(join(pluginDir('integrations'), 'package.json'), 'utf8'));
    expect(modules).toContain(`/plugins/integrations/${version}/integrations.js`);
    ({ page, errors } = await shellPage(browser, kernel.url, t.token, me, modules));
  });
  afterAll(async () => {
    await browser?.close();
    await kernel?.close();
    await rx?.close();
  });

  it('creates an endpoint whose signed delivery reaches a real receiver, and redelivers it', async () => {
    const t = kernel.tenants[0]!;
    const el = await mountElement(page, 'integrations-webhooks');
    await el.getByLabel('URL').fill(rx.url('/hook'));
    await el.getByLabel('Event types').fill('warehouses.stock.*');
    await el.getByRole('button', { name: 'Create endpoint' }).click();
    const secret = (await el.locator('[part=secret-value]').textContent())!;
    expect(secret).toMatch(/^whsec_/);

    const wh = t.plugin('warehouses');
    const w = await okJson(wh.post('/warehouses', { code: 'HK', name: 'Hooks' }), 201);
    const loc = await okJson(wh.post('/locations', { warehouseId: w.id, code: 'S', name: 'Stock' }), 201);
    const item = await okJson(wh.post('/items', { sku: 'HK-1', name: 'Hook', uom: 'EA' }), 201);
    await okJson(wh.post('/receipts', { lines: [{ itemId: item.id, locationId: loc.id, qty: '3' }] }), 201);
    await expect.poll(() => rx.got('/hook').length).toBe(1);
    const first = rx.got('/hook')[0]!;
    const payload = new Webhook(secret).verify(first.body, first.headers as Record<string, string>) as any;
    expect([payload.type, payload.data.qty]).toEqual(['warehouses.stock.received', '3']);

    await el.getByRole('button', { name: 'I have copied it' }).click();
    await expect.poll(() => el.locator('[part=secret]').count()).toBe(0);
    await el.getByRole('button', { name: `Delivery log of ${rx.url('/hook')}` }).click();
    const logRow = el.locator('[part=deliveries] tbody tr');
    await expect
      .poll(async () => {
        await el.getByRole('button', { name: 'Refresh log' }).click();
        return logRow.first().locator('td').allTextContents();
      })
      .toEqual([expect.any(String), 'warehouses.stock.received', 'delivered', '1', '']);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS, 'integrations-webhooks.png'), fullPage: true });

    await el.getByRole('button', { name: /^Redeliver warehouses\.stock\.received/ }).click();
    await expect.poll(() => rx.got('/hook').length).toBe(2);
    const again = rx.got('/hook')[1]!;
    expect(again.headers['webhook-id']).toBe(first.headers['webhook-id']);
    expect(() =>
      new Webhook(secret).verify(again.body, again.headers as Record<string, string>),
    ).not.toThrow();

    // Rotating shows a new secret once; disabling is shown in the list.
    await el.getByRole('button', { name: `Rotate secret of ${rx.url('/hook')}` }).click();
    await expect.poll(() => el.locator('[part=secret-value]').textContent()).not.toBe(secret);
    await el.getByRole('button', { name: `Disable ${rx.url('/hook')}` }).click();
    await expect.poll(() => el.locator('[part=endpoints] tbody tr td').nth(2).textContent()).toBe('disabled');
    const bad = await mountElement(page, 'integrations-webhooks');
    await bad.getByLabel('URL').fill('ftp://example.com/x');
    await bad.getByLabel('Event types').fill('warehouses.stock.*');
    await bad.getByRole('button', { name: 'Create endpoint' }).click();
    await expect.poll(() => bad.locator('.field-error').textContent()).toMatch(/https/);
    expect(errors).toEqual([]);
  });

  it('shows dead letters after the last try and redelivers them once the receiver recovers', async () => {
    const t = kernel.tenants[0]!;
    rx.answer('/down', 500);
    const el = await mountElement(page, 'integrations-webhooks');
    await el.getByLabel('URL').fill(rx.url('/down'));
    await el.getByLabel('Event types').fill('warehouses.stock.received');
    await el.getByRole('button', { name: 'Create endpoint' }).click();
    await el.locator('[part=secret-value]').waitFor();
    const wh = t.plugin('warehouses');
    const w = await okJson(wh.post('/warehouses', { code: 'DL', name: 'Dead letters' }), 201);
    const loc = await okJson(wh.post('/locations', { warehouseId: w.id, code: 'S', name: 'Stock' }), 201);
    const item = await okJson(wh.post('/items', { sku: 'DL-1', name: 'Dead', uom: 'EA' }), 201);
    await okJson(wh.post('/receipts', { lines: [{ itemId: item.id, locationId: loc.id, qty: '1' }] }), 201);
    await expect.poll(() => rx.got('/down').length).toBe(3); // maxAttempts
    await el.getByRole('button', { name: `Delivery log of ${rx.url('/down')}` }).click();
    const cells = () => el.locator('[part=deliveries] tbody tr').first().locator('td').allTextContents();
    await expect
      .poll(async () => {
        await el.getByRole('button', { name: 'Refresh log' }).click();
        return (await cells()).slice(1, 4);
      })
      .toEqual(['warehouses.stock.received', 'dead', '3']);
    expect((await cells())[4]).toMatch(/500/);
    rx.answer('/down', 204);
    await el.getByRole('button', { name: 'Redeliver all dead letters' }).click();
    await expect.poll(() => rx.got('/down').length).toBe(4);
    await expect
      .poll(async () => {
        await el.getByRole('button', { name: 'Refresh log' }).click();
        return (await cells())[2];
      })
      .toBe('delivered');
    expect(errors).toEqual([]);
  });

  it('imports a CSV: names the bad row and column, then commits the fixed file', async () => {
    const t = kernel.tenants[0]!;
    const el = await mountElement(page, 'integrations-imports');
    await el.getByLabel('Import into').selectOption('warehouses.items');
    const header = ['sku', 'name', 'uom'];
    await el.getByLabel('File (CSV or XLSX)').setInputFiles({
      name: 'items.csv',
      mimeType: 'text/csv',
      buffer: csvFile([header, ['IM-1', 'Bolt', 'EA'], ['IM-2', '', 'EA'], ['IM-3', 'Nut', 'EA']]),
    });
    await el.getByRole('button', { name: 'Upload and check' }).click();
    const errorRows = el.locator('[part=row-errors] tbody tr');
    await expect.poll(() => errorRows.count()).toBe(1);
    expect(await errorRows.first().locator('td').allTextContents()).toEqual([
      '3',
      'name',
      'name is required',
    ]);
    await expect(el.locator('[part=summary]').textContent()).resolves.toMatch(
      /3 row\(s\): 2 valid, 1 with errors/,
    );
    expect(await el.getByRole('button', { name: /^Import 2 row/ }).count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS, 'integrations-import-errors.png'), fullPage: true });
    const items = async () =>
      (await okJson(t.plugin('warehouses').get('/items'))).items
        .map((i: any) => i.sku)
        .filter((s: string) => s.startsWith('IM-'))
        .sort();
    expect(await items()).toEqual([]);

    await el.getByLabel('File (CSV or XLSX)').setInputFiles({
      name: 'items-fixed.csv',
      mimeType: 'text/csv',
      buffer: csvFile([header, ['IM-1', 'Bolt', 'EA'], ['IM-2', 'Washer', 'EA'], ['IM-3', 'Nut', 'EA']]),
    });
    await el.getByRole('button', { name: 'Upload and check' }).click();
    await el.getByRole('button', { name: 'Import 3 row(s)' }).click();
    await expect.poll(() => el.locator('[part=summary]').textContent()).toMatch(/3 imported/);
    expect(await items()).toEqual(['IM-1', 'IM-2', 'IM-3']);
    await expect
      .poll(() => el.locator('[part=history] tbody tr').first().locator('td').nth(3).textContent())
      .toBe('committed');
    expect(errors).toEqual([]);
  });

  it('exports the items as CSV and the browser downloads the file', async () => {
    const el = await mountElement(page, 'integrations-exports');
    await el.getByLabel('What to export').selectOption('warehouses.items');
    await el.getByLabel('Format').selectOption('csv');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      el.getByRole('button', { name: 'Export and download' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^warehouses\.items-\d{4}-\d{2}-\d{2}\.csv$/);
    const text = await new Promise<string>((resolve, reject) => {
      download.createReadStream().then((stream) => {
        const parts: Buffer[] = [];
        stream.on('data', (c: Buffer) => parts.push(c));
        stream.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
        stream.on('error', reject);
      }, reject);
    });
    const lines = text.trim().split(/\r?\n/);
    expect(lines[0]).toBe('id,sku,name,uom,qtyScale,tracking,active');
    expect(
      lines
        .slice(1)
        .map((l) => l.split(',')[1])
        .sort(),
    ).toEqual(['DL-1', 'HK-1', 'IM-1', 'IM-2', 'IM-3']);
    await expect
      .poll(() => el.locator('[part=exports] tbody tr').first().locator('td').nth(3).textContent())
      .toBe('completed');
    expect(await seriousViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
  });

  describe('OAuth consent page', () => {
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    let clientId: string;
    let consentPage: Page;
    // The app's own web server: its callback page, which the browser lands on after the decision.
    let app: Server;
    let callback = '';
    const authorizeUrl = (extra: Record<string, string> = {}) =>
      `${kernel.url}/oauth/authorize?${new URLSearchParams({
        response_type: 'code',
        client_id: clientId,
        redirect_uri: callback,
        scope: 'warehouses.items.read',
        state: 'state-abcdef',
        code_challenge: challenge,
        code_challenge_method: 'S256',
        ...extra,
      })}`;

    beforeAll(async () => {
      app = createServer((_req, res) => {
        res
          .writeHead(200, { 'content-type': 'text/html' })
          .end('<!doctype html><title>App</title><p>Back in the app');
      });
      await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
      callback = `http://127.0.0.1:${(app.address() as AddressInfo).port}/cb`;
      // The admin registers the app in the element.
      const el = await mountElement(page, 'integrations-oauth-apps');
      await el.getByLabel('Name').fill('Stock viewer');
      await el.getByLabel('Redirect URIs').fill(callback);
      await el.getByLabel('Permissions it may ask for').fill('warehouses.items.read');
      await el.getByRole('button', { name: 'Register app' }).click();
      clientId = (await el.locator('[part=client-id]').textContent())!;
      expect(clientId).toMatch(/^erpc_/);
      expect(await seriousViolations(page)).toEqual([]);
      consentPage = await (await browser.newContext()).newPage();
      consentPage.on('pageerror', (e) => errors.push(e.message));
      consentPage.on('console', (m) => {
        if (/Content Security Policy/i.test(m.text())) errors.push(m.text());
      });
    });
    afterAll(() => new Promise<void>((resolve) => app.close(() => resolve())));

    it('sends a signed-out user to sign in and back; approving gives the app a scoped token', async () => {
      const t = kernel.tenants[0]!;
      await consentPage.goto(authorizeUrl());
      await consentPage.waitForURL(/\/login\?return=/);
      const back = new URL(consentPage.url()).searchParams.get('return')!;
      expect(`${kernel.url}${back}`).toBe(authorizeUrl());
      // Sign in as the shell does (the refresh token lands in its HttpOnly cookie), then return.
      const status = await consentPage.evaluate(
        async ([tenant, email, password]) =>
          (
            await fetch('/api/v1/auth/login', {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ tenant, email, password, refreshIn: 'cookie' }),
            })
          ).status,
        [t.slug, `admin@${t.slug}.test`, PASSWORD],
      );
      expect(status).toBe(200);
      const res = await consentPage.goto(`${kernel.url}${back}`);
      const csp = res!.headers()['content-security-policy']!;
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe-inline');
      await consentPage.locator('body[data-ready=true]').waitFor();
      await expect(consentPage.locator('h1').textContent()).resolves.toBe(
        'Allow Stock viewer to use your account?',
      );
      await expect(consentPage.locator('#scopes li').textContent()).resolves.toContain('View items');
      await expect(consentPage.locator('#who').textContent()).resolves.toContain(`admin@${t.slug}.test`);
      expect(await seriousViolations(consentPage)).toEqual([]);
      await consentPage.screenshot({ path: join(ARTIFACTS, 'oauth-consent.png'), fullPage: true });

      await consentPage.getByRole('button', { name: 'Approve' }).click();
      await consentPage.waitForURL((u) => u.pathname === '/cb');
      const answer = new URL(consentPage.url());
      expect(answer.searchParams.get('state')).toBe('state-abcdef');
      const code = answer.searchParams.get('code')!;
      const tokenRes = await fetch(`${kernel.url}/api/v1/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code,
          redirect_uri: callback,
          client_id: clientId,
          code_verifier: verifier,
        }),
      });
      expect(tokenRes.status).toBe(200);
      const token = (await tokenRes.json()) as any;
      expect(token.scope).toBe('warehouses.items.read');
      const asApp = clientFor(`${kernel.url}/api/v1/p/warehouses`, token.access_token);
      expect((await asApp.get('/items')).status).toBe(200);
      expect((await asApp.post('/items', { sku: 'APP-1', name: 'No', uom: 'EA' })).status).toBe(403);
      expect(errors).toEqual([]);
    });

    it('denies: the app gets error=access_denied with its state, and no code', async () => {
      await consentPage.goto(authorizeUrl({ state: 'deny-state-1' }));
      await consentPage.locator('body[data-ready=true]').waitFor();
      await consentPage.getByRole('button', { name: 'Deny' }).click();
      await consentPage.waitForURL((u) => u.pathname === '/cb' && u.searchParams.has('error'));
      const answer = new URL(consentPage.url());
      expect(Object.fromEntries(answer.searchParams)).toEqual({
        error: 'access_denied',
        state: 'deny-state-1',
      });
    });

    it('refuses an unregistered redirect URI, a bad scope, and a decision without the page’s CSRF halves', async () => {
      const t = kernel.tenants[0]!;
      const evil = await consentPage.goto(authorizeUrl({ redirect_uri: 'https://evil.example.com/cb' }));
      expect(evil!.status()).toBe(400);
      expect(consentPage.url()).toContain('/oauth/authorize');
      await expect(consentPage.getByRole('alert').textContent()).resolves.toMatch(/not registered/);
      expect(await seriousViolations(consentPage)).toEqual([]);

      await consentPage.goto(authorizeUrl({ scope: 'warehouses.items.write' }));
      await consentPage.waitForURL((u) => u.pathname === '/cb');
      expect(new URL(consentPage.url()).searchParams.get('error')).toBe('invalid_scope');

      // The ticket from a real page, posted with a bearer token but without the page's cookie.
      await consentPage.goto(authorizeUrl({ state: 'csrf-state-1' }));
      // Once the page's own script has resumed the session (it rotates the refresh cookie).
      await consentPage.locator('body[data-ready=true]').waitFor();
      const ticket = await consentPage.locator('#consent').getAttribute('data-ticket');
      const forged = await t.api.post('/api/v1/oauth/consent', { ticket, decision: 'approve' });
      expect([forged.status, forged.json.code]).toEqual([403, 'ERP_OAUTH_CONSENT_CSRF']);
      const tampered = `${ticket!.split('.')[0]}x.${ticket!.split('.')[1]}`;
      const fromPage = await consentPage.evaluate(async (tk) => {
        const r = await fetch('/api/v1/auth/refresh', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{}',
        });
        const { accessToken } = await r.json();
        const res = await fetch('/api/v1/oauth/consent', {
          method: 'POST',
          headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
          body: JSON.stringify({ ticket: tk, decision: 'approve' }),
        });
        return [res.status, (await res.json()).code];
      }, tampered);
      expect(fromPage).toEqual([403, 'ERP_OAUTH_CONSENT_CSRF']);
    });
  });

  it('offers a user without the integrations permissions no action, and the API refuses', async () => {
    const t = kernel.tenants[0]!;
    const role = await okJson(
      t.api.post('/api/v1/iam/roles', { name: 'Stock clerk', permissions: ['warehouses.items.read'] }),
      201,
    );
    const clerk = await okJson(
      t.api.post('/api/v1/iam/users', {
        email: 'clerk@example.com',
        password: CLERK_PASSWORD,
        roleIds: [role.id],
      }),
      201,
    );
    const login = await fetch(`${kernel.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tenant: t.slug, email: 'clerk@example.com', password: CLERK_PASSWORD }),
    });
    expect(login.status).toBe(200);
    const { accessToken } = (await login.json()) as any;
    const asClerk = clientFor(`${kernel.url}/api/v1/p/integrations`, accessToken);
    expect((await asClerk.get('/endpoints')).status).toBe(403);
    expect((await asClerk.post('/endpoints', { url: rx.url('/x'), patterns: ['*'] })).status).toBe(403);
    expect((await asClerk.post('/imports/00000000-0000-4000-8000-000000000000/commit', {})).status).toBe(403);
    const manifest = await okJson(clientFor(kernel.url, accessToken).get('/api/v1/ui/manifest'));
    const integ = manifest.plugins.find((p: any) => p.plugin === 'integrations');
    expect(integ?.navigation ?? []).toEqual([]);

    const clerkMe = await okJson(clientFor(kernel.url, accessToken).get('/api/v1/auth/me'));
    expect(clerkMe.userId).toBe(clerk.id);
    const modules = manifest.plugins.map((p: any) => p.module);
    const { page: clerkPage, errors: clerkErrors } = await shellPage(
      browser,
      kernel.url,
      accessToken,
      clerkMe,
      modules,
    );
    for (const tag of ['integrations-webhooks', 'integrations-imports', 'integrations-oauth-apps']) {
      const el = await mountElement(clerkPage, tag);
      await expect.poll(() => el.getByRole('alert').count()).toBe(1);
      expect(await el.getByRole('button').count()).toBe(0);
      expect(await el.locator('form').count()).toBe(0);
    }
    expect(await seriousViolations(clerkPage)).toEqual([]);
    expect(clerkErrors).toEqual([]);

    // On the consent page an app asking for more than the clerk holds cannot be approved.
    const app = await okJson(
      t.api.post('/api/v1/oauth/apps', {
        name: 'Item editor',
        redirectUris: ['https://editor.example.com/cb'],
        scopes: ['warehouses.items.read', 'warehouses.items.write'],
      }),
      201,
    );
    const tab = await (await browser.newContext()).newPage();
    await tab.goto(`${kernel.url}/oauth/consent.css`);
    expect(
      await tab.evaluate(
        async ([tenant, password]) =>
          (
            await fetch('/api/v1/auth/login', {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ tenant, email: 'clerk@example.com', password, refreshIn: 'cookie' }),
            })
          ).status,
        [t.slug, CLERK_PASSWORD],
      ),
    ).toBe(200);
    await tab.goto(
      `${kernel.url}/oauth/authorize?${new URLSearchParams({
        response_type: 'code',
        client_id: app.clientId,
        redirect_uri: 'https://editor.example.com/cb',
        scope: 'warehouses.items.read warehouses.items.write',
        state: 'clerk-state-1',
        code_challenge: createHash('sha256').update('x'.repeat(43)).digest('base64url'),
        code_challenge_method: 'S256',
      })}`,
    );
    await tab.locator('body[data-ready=true]').waitFor();
    expect(await tab.getByRole('button', { name: 'Approve' }).isDisabled()).toBe(true);
    expect(await tab.getByRole('button', { name: 'Deny' }).isEnabled()).toBe(true);
    await expect(tab.locator('[data-scope="warehouses.items.write"]').textContent()).resolves.toContain(
      'you do not hold this permission',
    );
    await expect(tab.locator('[data-scope="warehouses.items.read"]').textContent()).resolves.not.toContain(
      'you do not hold',
    );
    await expect(tab.getByRole('alert').textContent()).resolves.toMatch(/^You cannot approve/);
    expect(await seriousViolations(tab)).toEqual([]);
  });
});
