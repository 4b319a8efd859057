// biome-ignore-all lint/suspicious/noExplicitAny: tests read arbitrary JSON from the API
// Resources over HTTP with the real time-tracking plugin and the project-costing stand-in on one
// kernel, two tenants: projects, time off and approved time arrive as events; calendars,
// allocations and the reports are this plugin's.
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import {
  createPluginTestKit,
  type PluginTestKit,
  type TenantSession,
  type TestResponse,
} from '@erp/plugin-testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const TIME = fileURLToPath(new URL('../../time-tracking', import.meta.url));
const STAND_IN = fileURLToPath(new URL('../../time-tracking/test/fixtures/project-costing', import.meta.url));
const WEEK = ['8', '8', '8', '8', '8', '0', '0'];

async function ok<T = any>(p: Promise<TestResponse>, status = 200): Promise<T> {
  const res = await p;
  expect(res.status, JSON.stringify(res.json)).toBe(status);
  return res.json as T;
}

interface T extends TenantSession {
  me: string;
  time: (method: 'get' | 'post' | 'put', path: string, body?: unknown) => Promise<TestResponse>;
}

let kit: PluginTestKit;
let a: T;
let b: T;

async function prepare(s: TenantSession): Promise<T> {
  for (const plugin of ['@erp-plugin/time-tracking', '@erp-test/project-costing-stand-in'])
    await ok(s.api.post('/api/v1/plugins/installations', { plugin }), 201);
  // Time approved on submission, so the administrator alone can produce approved time.
  await ok(
    s.api.put('/api/v1/plugins/installations/time-tracking/config', { config: { approvalSteps: [] } }),
  );
  const me = (await ok(s.api.get('/api/v1/auth/me'))).userId;
  const time = (method: 'get' | 'post' | 'put', path: string, body?: unknown) =>
    s.api[method](`/api/v1/p/time-tracking${path}`, body);
  return { ...s, me, time };
}

async function project(t: T, over: object = {}) {
  const projectId = randomUUID();
  await ok(
    t.api.post('/api/v1/p/project-costing/projects', {
      projectId,
      code: `P-${projectId.slice(0, 4)}`,
      name: 'Project',
      client: null,
      status: 'active',
      currency: 'EUR',
      startsOn: '2026-01-01',
      endsOn: '2026-12-31',
      activities: [],
      ...over,
    }),
    202,
  );
  await kit.waitFor(async () =>
    (await t.client.get('/projects')).json.projects.some((p: any) => p.id === projectId),
  );
  return projectId;
}

beforeAll(async () => {
  kit = await createPluginTestKit({
    pluginDir: new URL('..', import.meta.url),
    pluginPath: [TIME, STAND_IN],
  });
  a = await prepare(kit);
  b = await prepare(await kit.addTenant());
});
afterAll(async () => kit?.close());

describe('resources over HTTP', () => {
  it('plans capacity less time off, detects over-allocation and measures utilization from approved time', async () => {
    await ok(a.client.put(`/people/${a.me}`, { name: 'Ada', calendar: WEEK, targetPercent: '75' }));
    await ok(a.client.put(`/people/${a.me}/skills/typescript`, { level: 4 }));
    const p1 = await project(a);
    const p2 = await project(a);
    // Friday 6 March off (time-tracking's time off, arriving as an event).
    await ok(
      a.time('post', '/time-off', { kind: 'vacation', startsOn: '2026-03-06', endsOn: '2026-03-06' }),
      201,
    );
    await kit.waitFor(
      async () =>
        (await a.client.get('/calendar?from=2026-03-06&to=2026-03-06')).json.people[0].days[0].capacity ===
        '0',
    );
    const first = await ok(
      a.client.post('/allocations', {
        userId: a.me,
        projectId: p1,
        startsOn: '2026-03-02',
        endsOn: '2026-03-06',
        hoursPerDay: '6',
      }),
      201,
    );
    expect(first.overAllocatedDays).toEqual([{ date: '2026-03-06', excess: '6' }]); // booked while on vacation
    const second = await ok(
      a.client.post('/allocations', {
        userId: a.me,
        projectId: p2,
        startsOn: '2026-03-04',
        endsOn: '2026-03-05',
        percent: '50',
      }),
      201,
    );
    expect(second.overAllocatedDays.map((d: any) => d.date)).toEqual(['2026-03-04', '2026-03-05']);
    // Approved time: 8 h billable on Monday, 4 h non-billable on Tuesday.
    for (const [workDate, hours, billable] of [
      ['2026-03-02', '8', true],
      ['2026-03-03', '4', false],
    ] as const) {
      const e = await ok(a.time('post', '/entries', { projectId: p1, workDate, hours, billable }), 201);
      await ok(a.time('post', '/entries/submit', { entryIds: [e.id] }));
    }
    const period = 'from=2026-03-02&to=2026-03-08';
    await kit.waitFor(async () => {
      const u = (await a.client.get(`/utilization?${period}`)).json;
      return u.people?.[0]?.worked === '12' && u.people[0].capacity === '32';
    });
    const cal = await ok(a.client.get(`/calendar?${period}`));
    expect(cal.people[0].days.map((d: any) => [d.capacity, d.allocated, d.over])).toEqual([
      ['8', '6', false],
      ['8', '6', false],
      ['8', '10', true],
      ['8', '10', true],
      ['0', '6', true], // booked while on vacation
      ['0', '0', false],
      ['0', '0', false],
    ]);
    const over = await ok(a.client.get(`/over-allocations?${period}`));
    expect(over.overAllocations.map((d: any) => [d.date, d.excess])).toEqual([
      ['2026-03-04', '2'],
      ['2026-03-05', '2'],
      ['2026-03-06', '6'],
    ]);
    const [u] = (await ok(a.client.get(`/utilization?${period}`))).people;
    expect(u).toMatchObject({
      capacity: '32',
      worked: '12',
      billable: '8',
      utilization: '0.375',
      billableUtilization: '0.25',
      target: '0.75',
      variance: '-0.375',
      benchHours: '4',
      benchDays: 0,
    });
    expect(
      (await ok(a.client.get('/people?skill=TypeScript&minLevel=3'))).people.map((p: any) => p.userId),
    ).toEqual([a.me]);
    expect((await ok(a.client.get('/people?skill=typescript&minLevel=5'))).people).toEqual([]);
  });

  it('refuses bad allocations naming the field, and keeps tenants apart', async () => {
    const p = await project(a, { endsOn: '2026-06-30' });
    const before = (await ok(a.client.get('/allocations'))).allocations.length;
    const base = { userId: a.me, projectId: p, startsOn: '2026-04-01', endsOn: '2026-04-30' };
    const cases: Array<[object, number, string]> = [
      [{ ...base }, 422, '/body/hoursPerDay'],
      [{ ...base, hoursPerDay: '4', percent: '50' }, 422, '/body/hoursPerDay'],
      [{ ...base, hoursPerDay: '-4' }, 400, '/body/hoursPerDay'],
      [{ ...base, percent: '0' }, 422, '/body/percent'],
      [{ ...base, endsOn: '2026-03-01', hoursPerDay: '4' }, 422, '/body/endsOn'],
      [{ ...base, endsOn: '2026-07-31', hoursPerDay: '4' }, 422, '/body/endsOn'],
      [{ ...base, userId: randomUUID(), hoursPerDay: '4' }, 422, '/body/userId'],
      [{ ...base, projectId: randomUUID(), hoursPerDay: '4' }, 422, '/body/projectId'],
    ];
    for (const [body, status, field] of cases) {
      const res = await a.client.post('/allocations', body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.json.errors.map((x: any) => x.field)).toContain(field);
    }
    expect((await ok(a.client.get('/allocations'))).allocations.length).toBe(before);
    // Tenant B sees none of A's people, allocations or projects.
    expect((await ok(b.client.get('/people'))).people).toEqual([]);
    expect((await ok(b.client.get('/allocations'))).allocations).toEqual([]);
    await ok(b.client.put(`/people/${b.me}`, { calendar: WEEK }));
    const cross = await b.client.post('/allocations', { ...base, userId: b.me, hoursPerDay: '4' });
    expect(cross.json.code).toBe('RESOURCES_PROJECT_UNKNOWN');
    expect((await ok(b.client.get('/utilization?from=2026-03-02&to=2026-03-08'))).people[0]).toMatchObject({
      worked: '0',
    });
  });
});
