// biome-ignore-all lint/suspicious/noExplicitAny: tests read arbitrary JSON and element state
// A new tenant's whole project path in the real shell (ui-shell built and served by the kernel),
// three people each in a browser context of their own: the administrator installs project-costing,
// time-tracking and resources from the shell's plugins page, sets up a project in "Project setup"
// (a negative contract value and a duplicate code first: the field's error in words, nothing
// created), adds an activity with its planned cost, reports progress, starts the project and gives
// the worker a cost rate; the worker books time to that activity in "My timesheet" (by hand and with
// the timer) and submits it; the manager approves it in "Time approvals"; the project dashboard then
// shows the actual cost (hours × rate) and the earned-value figures computed from those inputs.
import { join } from 'node:path';
import {
  clientFor,
  hasChromium,
  launch,
  type PluginKernel,
  startPluginKernel,
  type TestClient,
} from '@erp/plugin-testkit';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from './support/axe.js';
import { hasShell } from './support/build-shell.js';
import { ARTIFACTS, pluginDir } from './support/paths.js';

const ADMIN_PASSWORD = 'Plugin-test-Passw0rd!'; // the test kit's administrator password
const PASSWORD = 'Project-setup-Passw0rd!x9';

// The inputs; every figure the test expects is computed from them.
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const TODAY = day(0);
const PROJECT = { code: 'WEB', name: 'Web shop', startsOn: day(-10), endsOn: day(40), contract: '12000' };
const ACTIVITY = { code: 'BUILD', name: 'Build', startsOn: day(-10), endsOn: day(10), planned: '4000' };
const PERCENT = '40';
const RATE = '60';
const MANUAL_HOURS = '3.5';
const MANUAL_DATE = day(-1);
/** The dashboard's status date: the activity's end, so PV is its whole planned cost. */
const STATUS_DATE = ACTIVITY.endsOn;

// Decimal arithmetic on strings (BigInt in units of 10⁻²⁰), as the API's figures are decimals.
const SCALE = 20;
const toUnits = (s: string) => {
  const neg = s.startsWith('-');
  const [w, f = ''] = s.replace('-', '').split('.');
  const v = BigInt(w!) * 10n ** BigInt(SCALE) + BigInt((f + '0'.repeat(SCALE)).slice(0, SCALE));
  return neg ? -v : v;
};
const fromUnits = (u: bigint, places: number) => {
  // half-up (away from zero) at `places`, as the API rounds money at the edge
  const neg = u < 0n;
  let a = neg ? -u : u;
  const drop = 10n ** BigInt(SCALE - places);
  a = (a + drop / 2n) / drop;
  const text = a.toString().padStart(places + 1, '0');
  const out = places ? `${text.slice(0, -places)}.${text.slice(-places)}` : text;
  return neg && a !== 0n ? `-${out}` : out;
};
const mul = (a: string, b: string) => fromUnits((toUnits(a) * toUnits(b)) / 10n ** BigInt(SCALE), SCALE);
const add = (a: string, b: string) => fromUnits(toUnits(a) + toUnits(b), SCALE);
const sub = (a: string, b: string) => fromUnits(toUnits(a) - toUnits(b), SCALE);
const money = (a: string) => fromUnits(toUnits(a), 2);
/** a / b to 20 places, truncated, as the engine divides. */
const div = (a: string, b: string) => {
  const q = (toUnits(a) * 10n ** BigInt(SCALE)) / toUnits(b);
  const neg = q < 0n;
  const s = (neg ? -q : q).toString().padStart(SCALE + 1, '0');
  return `${neg ? '-' : ''}${s.slice(0, -SCALE)}.${s.slice(-SCALE)}`;
};
/** A ratio as the dashboard shows it: at most four decimals, truncated, "…" when there were more. */
const ratio = (a: string, b: string) => {
  const [w, f = ''] = div(a, b)
    .replace(/\.?0+$/, '')
    .split('.');
  return f.length > 4 ? `${w}.${f.slice(0, 4)}…` : f ? `${w}.${f}` : w!;
};

const okJson = async (p: Promise<{ status: number; json: any }>, status = 200) => {
  const r = await p;
  expect(r.status, JSON.stringify(r.json)).toBe(status);
  return r.json;
};

describe.skipIf(!hasChromium || !hasShell)(
  'a new tenant sets up a project and books time in the shell',
  () => {
    let kernel: PluginKernel;
    let browser: Browser;
    let admin: Page;
    let worker: Page;
    let manager: Page;
    let admin$: TestClient;
    const people: Record<'worker' | 'manager', { email: string; id: string; client: TestClient }> = {} as any;
    const errors: string[] = [];

    beforeAll(async () => {
      [kernel, browser] = await Promise.all([
        startPluginKernel({
          pluginDirs: (['project-costing', 'time-tracking', 'resources'] as const).map(pluginDir),
          tenants: 1,
          install: [],
        }),
        launch(),
      ]);
      admin$ = kernel.tenants[0]!.api;
      admin = await signIn(`admin@${kernel.tenants[0]!.slug}.test`, ADMIN_PASSWORD);
    });
    afterAll(async () => {
      await browser?.close();
      await kernel?.close();
    });

    async function signIn(email: string, password: string): Promise<Page> {
      const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${kernel.url}/`);
      await page.getByLabel('Tenant').fill(kernel.tenants[0]!.slug);
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill(password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByTestId('user').filter({ hasText: email }).waitFor();
      return page;
    }

    const nav = (page: Page) => page.getByRole('navigation', { name: 'Main' });
    async function open(page: Page, label: string, tag?: string, heading = label): Promise<Locator> {
      await nav(page).getByRole('link', { name: label, exact: true }).click();
      await expect.poll(() => page.getByRole('heading', { level: 1, name: heading }).count()).toBe(1);
      return page.locator(tag ?? 'main');
    }
    async function check(page: Page, name: string) {
      await page.screenshot({ path: join(ARTIFACTS, `project-setup-${name}.png`), fullPage: true });
      expect(await seriousViolations(page)).toEqual([]);
    }
    /** Fills a form's fields by their labels (selects by option label). */
    async function fill(form: Locator, values: Record<string, string>) {
      for (const [label, value] of Object.entries(values)) {
        const control = form.getByLabel(label, { exact: true });
        if ((await control.evaluate((e) => e.localName)) === 'select')
          await control.selectOption({ label: value });
        else await control.fill(value);
      }
    }

    it('the administrator installs the three plugins from the shell', async () => {
      await open(admin, 'Installed plugins', undefined, 'Plugins');
      for (const [id, name, entry] of [
        ['project-costing', 'Project costing', 'Project setup'],
        ['time-tracking', 'Time tracking', 'My timesheet'],
        ['resources', 'Resources', 'Resource calendar'],
      ] as const) {
        await admin
          .locator(`tr[data-plugin=${id}]`)
          .getByRole('button', { name: `Install ${name}` })
          .click();
        await admin.getByTestId('confirm').click();
        await nav(admin).getByRole('link', { name: entry, exact: true }).waitFor();
      }
      // The people (set up through the kernel's API: users are not this suite's subject) and one
      // approval step for the tenant.
      for (const [who, permissions] of [
        ['worker', ['time.entries.read-own', 'time.entries.write-own']],
        [
          'manager',
          [
            'time.entries.approve',
            'time.finance.approve',
            'time.entries.read-all',
            'projects.projects.read',
            'iam.users.read',
          ],
        ],
      ] as const) {
        const role = await okJson(admin$.post('/api/v1/iam/roles', { name: `${who}s`, permissions }), 201);
        const email = `${who}@${kernel.tenants[0]!.slug}.test`;
        const user = await okJson(
          admin$.post('/api/v1/iam/users', { email, password: PASSWORD, roleIds: [role.id] }),
          201,
        );
        const login = await fetch(`${kernel.url}/api/v1/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ tenant: kernel.tenants[0]!.slug, email, password: PASSWORD }),
        });
        const token = ((await login.json()) as { accessToken: string }).accessToken;
        people[who] = {
          email,
          id: user.id,
          client: clientFor(`${kernel.url}/api/v1/p/time-tracking`, token),
        };
      }
      // Both sign in now (each in a context of their own), while nothing is theirs yet.
      [worker, manager] = await Promise.all([
        signIn(people.worker.email, PASSWORD),
        signIn(people.manager.email, PASSWORD),
      ]);
    });

    it('sets up a project in the browser: bad input first, then the project, its activity, progress and a cost rate', async () => {
      const setup = await open(admin, 'Project setup', 'project-costing-setup');
      await expect.poll(() => setup.locator('[part=projects]').textContent()).toBe('No projects yet.');
      const form = setup.locator('project-costing-new-project');
      const create = () => form.getByRole('button', { name: 'Create project' }).click();
      const projectsInApi = async () =>
        (await okJson(kernel.tenants[0]!.plugin('project-costing').get('/projects'))).projects;
      await fill(form, {
        Code: PROJECT.code,
        Name: PROJECT.name,
        'Starts on': PROJECT.startsOn,
        'Ends on': PROJECT.endsOn,
        'Contract value': `-${PROJECT.contract}`,
      });
      await create();
      const contract = form.getByLabel('Contract value', { exact: true });
      await expect.poll(() => contract.getAttribute('aria-invalid')).toBe('true');
      expect(await form.locator('#contractValue-error').textContent()).toMatch(
        /^Contract value must be a decimal amount of 0 or more/,
      );
      expect(await projectsInApi()).toEqual([]);
      await check(admin, '01-field-error');

      await contract.fill(PROJECT.contract);
      await create();
      await expect
        .poll(() => form.locator('[part=done]').textContent())
        .toBe(`Project ${PROJECT.code} created.`);
      const projects = setup.locator('[part=projects] tbody tr');
      await expect.poll(() => projects.count()).toBe(1);
      expect(await projects.first().locator('td').allTextContents()).toEqual([
        PROJECT.code,
        PROJECT.name,
        '',
        'time-and-materials',
        'EUR',
        PROJECT.startsOn,
        PROJECT.endsOn,
        PROJECT.contract,
        'planned',
      ]);
      // The same code again: refused at the code, nothing created.
      await fill(form, {
        Code: PROJECT.code,
        Name: 'Again',
        'Starts on': PROJECT.startsOn,
        'Ends on': PROJECT.endsOn,
      });
      await create();
      await expect
        .poll(() => form.getByLabel('Code', { exact: true }).getAttribute('aria-invalid'))
        .toBe('true');
      expect(await form.locator('#code-error').textContent()).toBe(`a project ${PROJECT.code} exists`);
      expect((await projectsInApi()).map((p: any) => p.name)).toEqual([PROJECT.name]);

      const activity = setup.locator('project-costing-new-activity');
      await fill(activity, {
        'Activity code': ACTIVITY.code,
        'Activity name': ACTIVITY.name,
        'Activity starts on': ACTIVITY.startsOn,
        'Activity ends on': ACTIVITY.endsOn,
        'Planned cost': ACTIVITY.planned,
      });
      await activity.getByRole('button', { name: 'Add activity' }).click();
      const activities = setup.locator('[part=activities] tbody tr');
      await expect.poll(() => activities.count()).toBe(1);
      const progress = setup.locator('project-costing-progress');
      await fill(progress, {
        Activity: `${ACTIVITY.code} ${ACTIVITY.name}`,
        'As of': TODAY,
        'Percent complete': PERCENT,
      });
      await progress.getByRole('button', { name: 'Report progress' }).click();
      await expect
        .poll(() => activities.first().locator('td').allTextContents())
        .toEqual([
          ACTIVITY.code,
          ACTIVITY.name,
          ACTIVITY.startsOn,
          ACTIVITY.endsOn,
          ACTIVITY.planned,
          `${PERCENT} (${TODAY})`,
        ]);
      await setup.getByRole('button', { name: 'Start the project' }).click();
      await expect.poll(() => setup.locator('[part=project-status]').textContent()).toMatch(/: active,/);

      const rate = setup.locator('project-costing-new-cost-rate');
      await fill(rate, {
        Person: people.worker.email,
        'Cost per hour': RATE,
        'Effective from': PROJECT.startsOn,
      });
      await rate.getByRole('button', { name: 'Add cost rate' }).click();
      await expect
        .poll(() => setup.locator('[part=rates] tbody tr td').allTextContents())
        .toEqual([people.worker.email, RATE, 'EUR', PROJECT.startsOn, '']);
      await check(admin, '02-set-up');
    });

    let before: string[];
    const dashboardRow = async (page: Page) => {
      const dash = await open(page, 'Project dashboard', 'project-costing-dashboard');
      await dash.getByLabel('Status date', { exact: true }).fill(STATUS_DATE);
      const row = dash.locator('[part=activities] tbody tr').first();
      await row.waitFor();
      return { dash, row };
    };

    it('the worker books time to the activity by hand and with the timer, and submits it', async () => {
      // Before any time: planned and earned value, no actual cost.
      const { row } = await dashboardRow(admin);
      const bac = money(ACTIVITY.planned);
      const ev = money(mul(ACTIVITY.planned, div(PERCENT, '100')));
      // Polled: the row first drawn is for today, until the element has reloaded for the status date.
      await expect
        .poll(async () => (await row.locator('td').allTextContents()).slice(0, 8))
        .toEqual([`${ACTIVITY.code} ${ACTIVITY.name}`, bac, bac, ev, '0.00', ev, money(sub(ev, bac)), '—']);
      before = await row.locator('td').allTextContents();

      // The project reached time-tracking through project.upserted (the bus), activity included.
      await expect
        .poll(
          async () =>
            (await okJson(people.worker.client.get('/projects'))).projects[0]?.activities?.length ?? 0,
        )
        .toBe(1);
      const sheet = await open(worker, 'My timesheet', 'time-tracking-timesheet');
      await sheet
        .getByLabel('Project', { exact: true })
        .selectOption({ label: `${PROJECT.code} ${PROJECT.name}` });
      await sheet
        .getByLabel('Activity', { exact: true })
        .selectOption({ label: `${ACTIVITY.code} ${ACTIVITY.name}` });
      await sheet.getByLabel('Date', { exact: true }).fill(MANUAL_DATE);
      await sheet.getByLabel('Hours', { exact: true }).fill(MANUAL_HOURS);
      await sheet.getByRole('button', { name: 'Record time' }).click();
      await expect.poll(() => sheet.getByRole('button', { name: /^Submit 1 entry/ }).count()).toBe(1);
      await sheet.getByRole('button', { name: 'Start timer' }).click();
      await expect.poll(() => sheet.locator('[part=timer]').textContent()).toMatch(/Timer running on WEB/);
      await worker.waitForTimeout(1500); // long enough to count (hours have four decimals: 0.36 s)
      await sheet.getByRole('button', { name: 'Stop timer' }).click();
      await sheet.getByRole('button', { name: /^Submit 2 entries/ }).click();
      await expect
        .poll(() => sheet.getByRole('button', { name: /^Submit 0 entries/ }).isDisabled())
        .toBe(true);
      await check(worker, '03-timesheet');
      const mine = (await okJson(people.worker.client.get('/entries'))).entries;
      const activityId = (await okJson(people.worker.client.get('/projects'))).projects[0].activities[0].id;
      expect(mine.map((e: any) => [e.status, e.activityId])).toEqual([
        ['submitted', activityId],
        ['submitted', activityId],
      ]);
    });

    it('the manager approves; the dashboard shows hours × rate as the actual cost and the EVM follows', async () => {
      const queue = await open(manager, 'Time approvals', 'time-tracking-approval-queue');
      await expect.poll(() => queue.locator('[part=status]').textContent()).toBe('2 waiting');
      // The approver names people by email (the kernel's user list), not by id.
      expect(await queue.locator('tbody tr td').nth(1).textContent()).toBe(people.worker.email);
      for (const n of [1, 0]) {
        await queue
          .getByRole('button', { name: /^Approve / })
          .first()
          .click();
        await expect.poll(() => queue.locator('[part=status]').textContent()).toBe(`${n} waiting`);
      }
      await check(manager, '04-approvals');
      // The tenant's default workflow has a finance step after the approver: its own queue.
      const finance = await open(manager, 'Finance approval', 'time-tracking-finance-queue');
      await expect.poll(() => finance.locator('[part=status]').textContent()).toBe('2 waiting');
      for (const n of [1, 0]) {
        await finance
          .getByRole('button', { name: /^Approve / })
          .first()
          .click();
        await expect.poll(() => finance.locator('[part=status]').textContent()).toBe(`${n} waiting`);
      }

      // Expected from the inputs: the approved hours (the timer's as the API recorded them) × the rate.
      const entries = (await okJson(kernel.tenants[0]!.plugin('time-tracking').get('/team/entries'))).entries;
      expect(entries.map((e: any) => e.status)).toEqual(['approved', 'approved']);
      const hours = entries.map((e: any) => e.hours as string).reduce(add, '0');
      expect(entries.some((e: any) => e.hours === MANUAL_HOURS)).toBe(true);
      const bac = ACTIVITY.planned;
      const ev = mul(ACTIVITY.planned, div(PERCENT, '100'));
      const ac = mul(hours, RATE);
      const { dash, row } = await dashboardRow(manager);
      const expected = [
        `${ACTIVITY.code} ${ACTIVITY.name}`,
        money(bac),
        money(bac),
        money(ev),
        money(ac),
        money(sub(ev, ac)),
        money(sub(ev, bac)),
        ratio(ev, ac),
        ratio(ev, bac),
        money(div(mul(bac, ac), ev)),
      ];
      // Actuals arrive through time.entry.approved on the bus: reload until they are booked (and
      // the row is the status date's).
      await expect
        .poll(async () => {
          await dash.evaluate((e: any) => e.load());
          return row.locator('td').allTextContents();
        })
        .toEqual(expected);
      const after = await row.locator('td').allTextContents();
      expect(after[4]).not.toBe(before[4]); // the EVM changed: AC, CV, CPI and EAC
      expect(await dash.locator('[part=cpi]').textContent()).toBe(ratio(ev, ac));
      expect(await dash.locator('[part=cv]').textContent()).toBe(money(sub(ev, ac)));
      expect(await dash.locator('[part=summary]').textContent()).toContain(
        `${money(ac)} EUR spent of ${money(bac)}`,
      );
      await check(manager, '05-dashboard');
      expect(errors).toEqual([]);
    });
  },
);
