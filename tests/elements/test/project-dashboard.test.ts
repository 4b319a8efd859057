// biome-ignore-all lint/suspicious/noExplicitAny: tests read arbitrary JSON and element state
// The project-costing dashboard in headless Chromium against a real kernel on real PostgreSQL
// (embedded, or DATABASE_URL): a project with two activities, progress and expenses entered through
// the API; the element, loaded from the module URL the UI manifest gives and given an ErpUiContext
// with a real token, draws the S-curve (PV, EV, AC from the API's s-curve, Chart.js) and shows the
// indices and per-activity figures the API computed; axe-core finds no serious violation.
import { join } from 'node:path';
import { hasChromium, launch, type PluginKernel, startPluginKernel } from '@erp/plugin-testkit';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from './support/axe.js';
import { mountElement, shellPage } from './support/page.js';
import { ARTIFACTS, moduleUrl, pluginDir } from './support/paths.js';

const okJson = async (p: Promise<{ status: number; json: any }>, status = 200) => {
  const r = await p;
  expect(r.status, JSON.stringify(r.json)).toBe(status);
  return r.json;
};

describe.skipIf(!hasChromium)('project dashboard in Chromium (skipped: /usr/bin/chromium missing)', () => {
  let kernel: PluginKernel;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let project: any;

  beforeAll(async () => {
    [kernel, browser] = await Promise.all([
      startPluginKernel({
        pluginDirs: [pluginDir('project-costing')],
        tenants: 1,
        install: ['@erp-plugin/project-costing'],
      }),
      launch(),
    ]);
    const t = kernel.tenants[0]!;
    const pc = t.plugin('project-costing');
    project = await okJson(
      pc.post('/projects', {
        code: 'P-100',
        name: 'Line upgrade',
        status: 'active',
        billing: 'fixed-price',
        currency: 'EUR',
        contractValue: '30000',
        startsOn: '2025-03-03',
        endsOn: '2025-03-28',
        activities: [
          {
            code: 'DESIGN',
            name: 'Design',
            startsOn: '2025-03-03',
            endsOn: '2025-03-14',
            plannedCost: '10000',
          },
          {
            code: 'BUILD',
            name: 'Build',
            startsOn: '2025-03-10',
            endsOn: '2025-03-28',
            plannedCost: '15000',
          },
        ],
      }),
      201,
    );
    const [design, build] = project.activities;
    await okJson(
      pc.post(`/activities/${design.id}/progress`, { asOf: '2025-03-14', percentComplete: '80' }),
      201,
    );
    await okJson(
      pc.post(`/activities/${build.id}/progress`, { asOf: '2025-03-13', percentComplete: '20' }),
      201,
    );
    for (const [activityId, on, amount] of [
      [design.id, '2025-03-06', '6000'],
      [build.id, '2025-03-12', '4000'],
    ])
      await okJson(
        pc.post(`/projects/${project.id}/expenses`, {
          incurredOn: on,
          category: 'labour',
          amount,
          currency: 'EUR',
          activityId,
        }),
        201,
      );
    const me = await okJson(t.api.get('/api/v1/auth/me'));
    const manifest = await okJson(t.api.get('/api/v1/ui/manifest'));
    const modules = manifest.plugins.map((p: any) => p.module);
    expect(modules).toEqual([moduleUrl('project-costing')]);
    ({ page, errors } = await shellPage(browser, kernel.url, t.token, me, modules));
  });
  afterAll(async () => {
    await browser?.close();
    await kernel?.close();
  });

  it('draws the S-curve and the indices from the API', async () => {
    const pc = kernel.tenants[0]!.plugin('project-costing');
    const evm = await okJson(pc.get(`/projects/${project.id}/evm?asOf=2025-03-14`));
    const curve = await okJson(pc.get(`/projects/${project.id}/s-curve?asOf=2025-03-14`));
    // The API's figures (worked out in plugins/project-costing's own tests): CPI 1.1, SPI 0.7333…
    expect(evm.project).toMatchObject({ pv: '15000.00', ev: '11000.00', ac: '10000.00', cpi: '1.1' });

    const el = await mountElement(page, 'project-costing-dashboard', { 'as-of': '2025-03-14' });
    await expect.poll(() => el.getAttribute('data-state')).toBe('ready');
    await expect(el.locator('[part=cpi]').textContent()).resolves.toBe('1.1');
    await expect(el.locator('[part=spi]').textContent()).resolves.toBe('0.7333…');
    await expect(el.locator('[part=eac-cpi]').textContent()).resolves.toBe(evm.project.eac.atCpi.eac);
    await expect(el.locator('[part=eac-cpi-spi]').textContent()).resolves.toBe(evm.project.eac.atCpiSpi.eac);
    await expect(el.locator('[part=tcpi-bac]').textContent()).resolves.toBe('0.9333…');

    const drawn = await el.evaluate((e: any) => e.drawn);
    expect(drawn.labels).toEqual(curve.points.map((p: any) => p.date));
    expect(drawn.datasets.map((d: any) => d.label)).toEqual([
      'Planned value (PV)',
      'Earned value (EV)',
      'Actual cost (AC)',
      'Forecast (EAC = BAC / CPI)',
    ]);
    const num = (v: string | null) => (v === null ? null : Number(v));
    expect(drawn.datasets[0].data).toEqual(curve.points.map((p: any) => num(p.pv)));
    expect(drawn.datasets[1].data).toEqual(curve.points.map((p: any) => num(p.ev)));
    expect(drawn.datasets[2].data).toEqual(curve.points.map((p: any) => num(p.ac)));
    expect(drawn.datasets[0].data.at(-1)).toBe(25000);
    // The forecast joins AC at the status date to EAC at the forecast finish (the last label).
    expect(curve.forecast).toEqual({ finish: '2025-04-09', eac: evm.project.eac.atCpi.eac });
    const forecast = drawn.datasets[3].data;
    expect(forecast.filter((v: number | null) => v !== null)).toEqual([
      10000,
      Number(evm.project.eac.atCpi.eac),
    ]);
    expect(forecast[drawn.labels.indexOf('2025-03-14')]).toBe(10000);
    expect(drawn.labels.at(-1)).toBe('2025-04-09');
    expect(drawn.axes).toEqual(['Date', 'Cumulative cost (EUR)']);

    const rows = await el
      .locator('tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
    expect(rows.map((r) => r.slice(0, 5))).toEqual([
      ['DESIGN Design', '10000.00', '10000.00', '8000.00', '6000.00'],
      ['BUILD Build', '15000.00', '5000.00', '3000.00', '4000.00'],
    ]);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS, 'project-dashboard.png'), fullPage: true });
    expect(errors).toEqual([]);
  });
});
