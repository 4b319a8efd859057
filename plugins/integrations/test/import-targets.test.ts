// biome-ignore-all lint/suspicious/noExplicitAny: tests read arbitrary JSON from the API
// Import targets come from the plugins a tenant runs (each declares them in its manifest's
// erp.imports): installing time-tracking adds time-tracking.entries, whose rows become draft time
// entries through the real plugin. An import whose target plugin is gone is refused naming the
// plugin, keeps its state, and goes through once the plugin is back.
import type { TestClient } from '@erp/plugin-testkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { csv, settle, upload } from './support/upload.js';
import { ok, type World, world } from './support/world.js';

let kernel: World;
let hooks: TestClient;
let api: TestClient;
let userId: string;
let projectId: string;

const targetNames = async () =>
  ((await ok(hooks.get('/import-targets'))).targets as any[]).map((t) => t.name).sort();

beforeAll(async () => {
  kernel = world(6);
  const t = kernel.tenants[0]!;
  hooks = t.plugin('integrations');
  api = t.api;
  userId = (await ok(api.get('/api/v1/auth/me'))).userId;
});

describe('import targets from installed plugins', () => {
  it('lists only the targets of installed plugins; time-tracking adds its entries', async () => {
    expect(await targetNames()).toEqual([
      'warehouses.items',
      'warehouses.locations',
      'warehouses.opening-stock',
    ]);
    // Unknown before the install, and the answer names the plugin it would need.
    const early = await hooks.post('/imports', {
      target: 'time-tracking.entries',
      filename: 'e.csv',
      format: 'csv',
      sha256: 'a'.repeat(64),
      size: 10,
      chunks: 1,
    });
    expect(early.status).toBe(422);
    expect((early.json as any).code).toBe('INTEGRATIONS_TARGET_PLUGIN_MISSING');
    expect((early.json as any).detail).toMatch(/plugin time-tracking/);

    for (const plugin of ['@erp-plugin/project-costing', '@erp-plugin/time-tracking'])
      await ok(api.post('/api/v1/plugins/installations', { plugin }), 201);
    expect(await targetNames()).toContain('time-tracking.entries');
    const target = (await ok(hooks.get('/import-targets'))).targets.find(
      (x: any) => x.name === 'time-tracking.entries',
    );
    expect(target.plugin).toBe('time-tracking');
    expect(target.fields.slice(0, 3)).toEqual(['userId', 'projectId', 'activityId']);

    const project = await ok(
      t().plugin('project-costing').post('/projects', {
        code: 'IMP-1',
        name: 'Imported time',
        status: 'active',
        billing: 'time-and-materials',
        currency: 'EUR',
        startsOn: '2025-03-03',
        endsOn: '2025-03-28',
      }),
      201,
    );
    projectId = project.id;
    // time-tracking learns the project from project-costing's event.
    await settleProject();
  });

  it('imports time entries as drafts through time-tracking, naming a bad cell and a refused row', async () => {
    const file = csv([
      ['userId', 'projectId', 'workDate', 'hours', 'note'],
      [userId, projectId, '2025-03-04', '7.5', 'design'],
      [userId, projectId, '2025-03-05', 'lots', 'bad hours'],
      [userId, projectId, '2025-04-30', '2', 'after the project ends'],
    ]);
    const imp = await upload(hooks, 'time-tracking.entries', file, 'csv');
    expect(imp.status).toBe('validated');
    const invalid = (await ok(hooks.get(`/imports/${imp.id}/rows?status=invalid`))).rows;
    expect(invalid.map((r: any) => [r.row, r.errors[0].column])).toEqual([[3, 'hours']]);
    await ok(hooks.post(`/imports/${imp.id}/commit`, { mode: 'per-row' }), 202);
    const done = await settle(hooks, imp.id, ['committed', 'failed']);
    expect([done.status, done.appliedRows, done.failedRows]).toEqual(['committed', 1, 1]);
    const failed = (await ok(hooks.get(`/imports/${imp.id}/rows?status=failed`))).rows;
    expect(failed[0].row).toBe(4);
    expect(failed[0].errors[0].field).toBe('workDate');
    const mine = await ok(t().plugin('time-tracking').get('/entries?from=2025-03-01&to=2025-03-31'));
    const entries = mine.entries ?? mine.items ?? mine;
    expect(entries.map((e: any) => [e.workDate, e.hours, e.status, e.note])).toEqual([
      ['2025-03-04', '7.5', 'draft', 'design'],
    ]);
    // Drafts nobody uses: the import rolls back through time-tracking.
    await ok(hooks.post(`/imports/${imp.id}/rollback`, {}), 202);
    expect((await settle(hooks, imp.id, ['rolled-back', 'committed'])).status).toBe('rolled-back');
  });

  it('refuses a commit while the target plugin is disabled, naming it, and commits once it is back', async () => {
    const file = csv([
      ['userId', 'projectId', 'workDate', 'hours'],
      [userId, projectId, '2025-03-10', '4'],
    ]);
    const imp = await upload(hooks, 'time-tracking.entries', file, 'csv');
    expect(imp.status).toBe('validated');
    await ok(api.post('/api/v1/plugins/installations/time-tracking/disable', {}));
    try {
      expect(await targetNames()).not.toContain('time-tracking.entries');
      const refused = await hooks.post(`/imports/${imp.id}/commit`, { mode: 'all' });
      expect(refused.status).toBe(409);
      expect((refused.json as any).code).toBe('INTEGRATIONS_TARGET_PLUGIN_MISSING');
      expect((refused.json as any).detail).toMatch(/plugin time-tracking/);
      // Nothing changed: still validated, ready for a retry.
      expect((await ok(hooks.get(`/imports/${imp.id}`))).status).toBe('validated');
    } finally {
      await ok(api.post('/api/v1/plugins/installations/time-tracking/enable', {}));
    }
    await ok(hooks.post(`/imports/${imp.id}/commit`, { mode: 'all' }), 202);
    const done = await settle(hooks, imp.id, ['committed', 'failed']);
    expect([done.status, done.appliedRows]).toEqual(['committed', 1]);
  });
});

function t() {
  return kernel.tenants[0]!;
}

async function settleProject() {
  const tt = t().plugin('time-tracking');
  for (let i = 0; i < 200; i++) {
    const list = await ok(tt.get('/projects'));
    if (JSON.stringify(list).includes(projectId)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('time-tracking did not learn the project');
}
