// The plugin host end to end: per-tenant install without restart, two tenants on two versions of
// one plugin at once, upgrade, rollback without data loss, disable, uninstall with preview and
// purge, dependency ranges, and the per-tenant OpenAPI and UI manifests.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant, startTestKernel, type TestKernel, type TestTenant } from './support/harness.js';
import { pluginFolder, withVersionRoute, writePluginVersion } from './support/plugins.js';

const folder = pluginFolder();
writePluginVersion(folder.root, { id: 'notes', version: '1.0.0', code: withVersionRoute('notes', '1.0.0') });
writePluginVersion(folder.root, {
  id: 'notes',
  version: '1.1.0',
  code: withVersionRoute('notes', '1.1.0'),
  files: {
    'migrations/0002_pinned.sql': 'alter table items add column pinned boolean not null default false;\n',
  },
});
writePluginVersion(folder.root, {
  id: 'needs-notes',
  version: '1.0.0',
  pkg: (p) => {
    (p.erp as Record<string, unknown>).dependencies = { '@test/notes': '^1.1.0' };
  },
});

describe('plugin lifecycle', () => {
  let k: TestKernel;
  let a: TestTenant;
  let b: TestTenant;
  const call = (t: TestTenant, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) =>
    k.app.inject({ method, url, headers: { authorization: t.auth }, ...(payload ? { payload } : {}) });

  beforeAll(async () => {
    k = await startTestKernel({ ERP_PLUGIN_PATH: folder.root, ERP_BUS_POLL_MS: '100', LOG_LEVEL: 'error' });
    a = await createTenant(k);
    b = await createTenant(k);
  });
  afterAll(async () => {
    await k?.close();
    folder.cleanup();
  });

  it('lists the catalogue', async () => {
    const res = await call(a, 'GET', '/api/v1/plugins');
    expect(res.statusCode).toBe(200);
    const notes = res.json().available.find((p: { id: string }) => p.id === 'notes');
    expect(notes.versions).toEqual(['1.0.0', '1.1.0']);
  });

  it('runs two versions for two tenants at the same time', async () => {
    expect(
      (await call(a, 'POST', '/api/v1/plugins/installations', { plugin: 'notes', version: '1.0.0' }))
        .statusCode,
    ).toBe(201);
    expect(
      (await call(b, 'POST', '/api/v1/plugins/installations', { plugin: '@test/notes', version: '1.1.0' }))
        .statusCode,
    ).toBe(201);
    expect((await call(a, 'GET', '/api/v1/p/notes/version')).json()).toEqual({ version: '1.0.0' });
    expect((await call(b, 'GET', '/api/v1/p/notes/version')).json()).toEqual({ version: '1.1.0' });
    const ui = (await call(a, 'GET', '/api/v1/ui/manifest')).json();
    expect(ui.plugins[0]).toMatchObject({
      plugin: 'notes',
      displayName: 'Test notes',
      version: '1.0.0',
      module: '/plugins/notes/1.0.0/notes-items.js',
    });
    const asset = await k.app.inject({ method: 'GET', url: ui.plugins[0].module });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toContain('immutable');
    const docA = (await call(a, 'GET', '/api/v1/openapi.json')).json();
    expect(docA.paths['/api/v1/p/notes/items'].post).toBeDefined();
  });

  it('keeps tenants\u2019 data apart inside one plugin schema', async () => {
    expect((await call(a, 'POST', '/api/v1/p/notes/items', { name: 'A1' })).statusCode).toBe(201);
    expect((await call(b, 'POST', '/api/v1/p/notes/items', { name: 'B1' })).statusCode).toBe(201);
    const listA = (await call(a, 'GET', '/api/v1/p/notes/items')).json();
    expect(listA.items.map((i: { name: string }) => i.name)).toEqual(['A1']);
  });

  it('validates plugin input and names the field', async () => {
    const res = await call(a, 'POST', '/api/v1/p/notes/items', { name: 'x', extra: 1 });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'ERP_VALIDATION', errors: [{ field: '/body/extra' }] });
  });

  it('upgrades and rolls back without losing data written under the newer version', async () => {
    const up = await call(a, 'POST', '/api/v1/plugins/installations/notes/upgrade', { version: '1.1.0' });
    expect(up.statusCode).toBe(200);
    expect((await call(a, 'GET', '/api/v1/p/notes/version')).json()).toEqual({ version: '1.1.0' });
    expect((await call(a, 'POST', '/api/v1/p/notes/items', { name: 'A2' })).statusCode).toBe(201);
    const back = await call(a, 'POST', '/api/v1/plugins/installations/notes/rollback');
    expect(back.statusCode).toBe(200);
    expect(back.json()).toMatchObject({ version: '1.0.0', previousVersion: '1.1.0' });
    expect((await call(a, 'GET', '/api/v1/p/notes/version')).json()).toEqual({ version: '1.0.0' });
    const names = (await call(a, 'GET', '/api/v1/p/notes/items'))
      .json()
      .items.map((i: { name: string }) => i.name);
    expect(names).toEqual(['A1', 'A2']);
  });

  it('refuses unmet dependency ranges naming both sides', async () => {
    const res = await call(a, 'POST', '/api/v1/plugins/installations', { plugin: 'needs-notes' });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'ERP_PLUGIN_DEPENDENCY_CONFLICT' });
    expect(res.json().detail).toContain('@test/notes ^1.1.0');
    expect(res.json().detail).toContain('@test/notes@1.0.0');
    const ok = await call(b, 'POST', '/api/v1/plugins/installations', { plugin: 'needs-notes' });
    expect(ok.statusCode).toBe(201);
    const blocked = await call(b, 'POST', '/api/v1/plugins/installations/notes/rollback');
    expect(blocked.statusCode).toBe(409);
    expect(blocked.json().code).toBe('ERP_PLUGIN_NO_PREVIOUS');
    const disable = await call(b, 'POST', '/api/v1/plugins/installations/notes/disable');
    expect(disable.json()).toMatchObject({ code: 'ERP_PLUGIN_HAS_DEPENDENTS' });
  });

  it('disables (404 for its routes) and enables again', async () => {
    expect((await call(a, 'POST', '/api/v1/plugins/installations/notes/disable')).statusCode).toBe(200);
    const off = await call(a, 'GET', '/api/v1/p/notes/items');
    expect(off.statusCode).toBe(404);
    expect(off.json().code).toBe('ERP_PLUGIN_NOT_INSTALLED');
    expect((await call(a, 'POST', '/api/v1/plugins/installations/notes/enable')).statusCode).toBe(200);
    expect((await call(a, 'GET', '/api/v1/p/notes/items')).statusCode).toBe(200);
  });

  it('previews, keeps data on uninstall unless purge is asked, and purges only the tenant\u2019s rows', async () => {
    const preview = (await call(a, 'GET', '/api/v1/plugins/installations/notes/uninstall-preview')).json();
    expect(preview.tables).toContainEqual({ table: 'items', rows: 2 });
    const kept = await call(a, 'DELETE', '/api/v1/plugins/installations/notes');
    expect(kept.statusCode).toBe(200);
    expect(kept.json().purged).toEqual([]);
    expect((await call(a, 'GET', '/api/v1/p/notes/items')).statusCode).toBe(404);
    expect(
      (await call(a, 'POST', '/api/v1/plugins/installations', { plugin: 'notes', version: '1.1.0' }))
        .statusCode,
    ).toBe(201);
    expect((await call(a, 'GET', '/api/v1/p/notes/items')).json().items).toHaveLength(2);
    const purged = await call(a, 'DELETE', '/api/v1/plugins/installations/notes?purge=true');
    expect(purged.json().purged).toContainEqual({ table: 'items', rows: 2 });
    const bItems = (await call(b, 'GET', '/api/v1/p/notes/items')).json().items;
    expect(bItems.map((i: { name: string }) => i.name)).toEqual(['B1']);
  });

  it('records every step in the history', async () => {
    const { rows } = await k.superuser.query(
      'select action, from_version, to_version from erp.plugin_history where tenant_id = $1 and plugin_id = $2 order by at',
      [a.tenantId, 'notes'],
    );
    expect(rows.map((r) => r.action)).toEqual([
      'install',
      'upgrade',
      'rollback',
      'disable',
      'enable',
      'uninstall',
      'install',
      'uninstall',
    ]);
  });
});
