// biome-ignore-all lint/suspicious/noExplicitAny: tests read arbitrary JSON and element state
// time-tracking's timesheet and approval queue and resources' calendar in headless Chromium on a
// real kernel: projects arrive as project.upserted events (from time-tracking's project-costing
// stand-in), time is recorded through the form and the timer, submitted, approved in the queue, and
// the calendar shows the over-allocation the API computes. axe-core finds nothing serious.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { hasChromium, launch, type PluginKernel, startPluginKernel } from '@erp/plugin-testkit';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from './support/axe.js';
import { mountElement, shellPage } from './support/page.js';
import { ARTIFACTS, moduleUrl, pluginDir } from './support/paths.js';

const STAND_IN = join(pluginDir('time-tracking'), 'test', 'fixtures', 'project-costing');

const okJson = async (p: Promise<{ status: number; json: any }>, status = 200) => {
  const r = await p;
  expect(r.status, JSON.stringify(r.json)).toBe(status);
  return r.json;
};

describe.skipIf(!hasChromium)(
  'time and resource elements in Chromium (skipped: /usr/bin/chromium missing)',
  () => {
    let kernel: PluginKernel;
    let browser: Browser;
    let page: Page;
    let errors: string[];
    let me: any;

    beforeAll(async () => {
      [kernel, browser] = await Promise.all([
        startPluginKernel({
          pluginDirs: [pluginDir('time-tracking'), pluginDir('resources'), STAND_IN],
          tenants: 1,
          install: [
            '@erp-test/project-costing-stand-in',
            '@erp-plugin/time-tracking',
            '@erp-plugin/resources',
          ],
        }),
        launch(),
      ]);
      const t = kernel.tenants[0]!;
      me = await okJson(t.api.get('/api/v1/auth/me'));
      // One approval step, and the administrator may approve their own time (they are the only user).
      await okJson(
        t.api.put('/api/v1/plugins/installations/time-tracking/config', {
          config: { approvalSteps: ['approver'], allowSelfApproval: true },
        }),
      );
      const projectId = randomUUID();
      await okJson(
        t.plugin('project-costing').post('/projects', {
          projectId,
          code: 'WEB',
          name: 'Web shop',
          client: 'Acme',
          status: 'active',
          currency: 'EUR',
          startsOn: '2026-01-01',
          endsOn: null,
          activities: [],
        }),
        202,
      );
      const time = t.plugin('time-tracking');
      const res = t.plugin('resources');
      const deadline = Date.now() + 10_000;
      while (
        !(await time.get('/projects')).json.projects.length ||
        !(await res.get('/projects')).json.projects.length
      ) {
        if (Date.now() > deadline) throw new Error('project.upserted not delivered');
        await new Promise((r) => setTimeout(r, 100));
      }
      await okJson(time.post('/entries', { projectId, workDate: '2026-03-02', hours: '7.5' }), 201);
      await okJson(time.post('/entries', { projectId, workDate: '2026-03-03', hours: '9' }), 201);
      await okJson(
        res.put(`/people/${me.userId}`, { name: 'Ada Admin', calendar: ['8', '8', '8', '8', '8', '0', '0'] }),
      );
      await okJson(
        res.post('/allocations', {
          userId: me.userId,
          projectId,
          startsOn: '2026-03-02',
          endsOn: '2026-03-06',
          hoursPerDay: '6',
        }),
        201,
      );
      await okJson(
        res.post('/allocations', {
          userId: me.userId,
          projectId,
          startsOn: '2026-03-05',
          endsOn: '2026-03-06',
          percent: '50',
        }),
        201,
      );
      const manifest = await okJson(t.api.get('/api/v1/ui/manifest'));
      const modules = manifest.plugins.map((p: any) => p.module).filter(Boolean);
      expect(modules.sort()).toEqual([moduleUrl('resources'), moduleUrl('time-tracking')]);
      ({ page, errors } = await shellPage(browser, kernel.url, t.token, me, modules));
    });
    afterAll(async () => {
      await browser?.close();
      await kernel?.close();
    });

    const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });

    it('records time through the timesheet and approves it in the queue', async () => {
      const sheet = await mountElement(page, 'time-tracking-timesheet', { week: '2026-03-04' });
      const totals = sheet.locator('[part=totals] td');
      await expect
        .poll(() => totals.allTextContents())
        .toEqual(['7.5', '9', '0', '0', '0', '0', '0', '16.5']);
      expect(await totals.nth(1).getAttribute('class')).toBe('over'); // more than 8 h that day
      // A bad value: the server's words next to the field, nothing recorded.
      await sheet.getByLabel('Date', { exact: true }).fill('2026-03-04');
      await sheet.getByLabel('Hours', { exact: true }).fill('lots');
      await sheet.getByRole('button', { name: 'Record time' }).click();
      const hours = sheet.getByLabel('Hours', { exact: true });
      await expect.poll(() => hours.getAttribute('aria-invalid')).toBe('true');
      expect(await sheet.locator('#hours-error').textContent()).toBe(
        'Hours must be hours as a decimal, e.g. 7.5',
      );
      await hours.fill('2.25');
      await sheet.getByRole('button', { name: 'Record time' }).click();
      await expect
        .poll(() => totals.allTextContents())
        .toEqual(['7.5', '9', '2.25', '0', '0', '0', '0', '18.75']);
      // The timer: start, shown running, stopped (after it has run long enough to count).
      await sheet.getByRole('button', { name: 'Start timer' }).click();
      await expect.poll(() => sheet.locator('[part=timer]').textContent()).toMatch(/Timer running on WEB/);
      await page.waitForTimeout(800);
      await sheet.getByRole('button', { name: 'Stop timer' }).click();
      await expect.poll(() => sheet.getByRole('button', { name: 'Start timer' }).count()).toBe(1);
      expect(await seriousViolations(page)).toEqual([]);
      await shot('time-01-timesheet');
      await sheet.getByRole('button', { name: /^Submit 3 entries/ }).click();
      await expect
        .poll(() => sheet.getByRole('button', { name: /^Submit 0 entries/ }).isDisabled())
        .toBe(true);

      const queue = await mountElement(page, 'time-tracking-approval-queue');
      await expect.poll(() => queue.locator('[part=status]').textContent()).toBe('3 waiting');
      await queue.getByRole('button', { name: 'Approve 2026-03-03 9 h' }).click();
      await expect.poll(() => queue.locator('[part=status]').textContent()).toBe('2 waiting');
      const approved = await okJson(
        kernel.tenants[0]!.plugin('time-tracking').get('/entries?status=approved'),
      );
      expect(approved.entries.map((e: any) => [e.workDate, e.hours])).toEqual([['2026-03-03', '9']]);
      expect(await seriousViolations(page)).toEqual([]);
      await shot('time-02-approval-queue');
    });

    it('shows over-allocation on the resource calendar', async () => {
      const cal = await mountElement(page, 'resources-calendar', { from: '2026-03-02', to: '2026-03-08' });
      await expect
        .poll(() => cal.locator('[part=status]').textContent())
        .toBe('1 people, 2 over-allocated day(s)');
      const over = cal.locator('td.over');
      expect(await over.evaluateAll((tds) => tds.map((td) => (td as HTMLElement).dataset.date))).toEqual([
        '2026-03-05',
        '2026-03-06',
      ]);
      expect(await over.first().textContent()).toMatch(/10\/8\s*!\s*over-allocated by 2 h/);
      expect(await seriousViolations(page)).toEqual([]);
      await shot('resources-01-calendar');
      expect(errors).toEqual([]);
    });
  },
);
