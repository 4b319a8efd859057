// End to end over HTTP with the REAL plugins (no stand-ins): warehouses, costing, time-tracking and
// project-costing in one kernel for two tenants. A project made in project-costing reaches
// time-tracking's projection; time recorded there by the signed-in administrator goes through the
// real approval workflow (approver, then finance, self-approval allowed by the tenant's config) and
// is costed at project-costing's cost rate; stock issued to the project is costed by costing; an
// expense is recorded; a reversing entry takes its hours back out. Every figure is worked out in the
// comments; the other tenant sees none of it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  actuals,
  type Body,
  code,
  type Env,
  issue,
  ok,
  startEnv,
  stocked,
  type Tenant,
} from './support/world.js';

let env: Env;
let kit: Env['kit'];
let a: Tenant;
let b: Tenant;
beforeAll(async () => {
  env = await startEnv('real');
  ({ kit, a, b } = env);
});
afterAll(async () => env?.kit.close());

const ac = async (projectId: string): Promise<string> =>
  (await ok(a.pc.get(`/projects/${projectId}/evm?asOf=2025-03-14`))).project.ac;
const sumOf = (rows: Array<{ amount: string }>) => rows.reduce((s, x) => s + Number(x.amount), 0);

/** Records, submits and approves (approver, then finance) one of the signed-in user's entries. */
async function approvedEntry(t: Tenant, entry: object): Promise<Body> {
  const e = await ok(t.time.post('/entries', entry), 201);
  const [submitted] = (await ok(t.time.post('/entries/submit', { entryIds: [e.id] }))).entries;
  expect(submitted).toMatchObject({ status: 'submitted', step: 'approver' });
  return approve(t, e.id);
}

async function approve(t: Tenant, entryId: string): Promise<Body> {
  expect(await ok(t.time.post(`/entries/${entryId}/approve`))).toMatchObject({ step: 'finance' });
  const done = await ok(t.time.post(`/entries/${entryId}/finance-approve`));
  expect(done).toMatchObject({ status: 'approved', step: null });
  return done;
}

describe('project-costing with the real time-tracking, warehouses and costing', () => {
  it('time approved, stock issued and expenses → actuals and EVM through events, per tenant', async () => {
    const me = await ok(a.api.get('/api/v1/auth/me'));
    const userId: string = me.userId;
    expect(userId).toMatch(/^[0-9a-f-]{36}$/);

    // 1. A EUR project (the tenant's base currency) with two activities, 3–28 March 2025.
    const project = await ok(
      a.pc.post('/projects', {
        code: code('P'),
        name: 'Fit-out',
        client: 'ACME',
        status: 'active',
        billing: 'fixed-price',
        currency: 'EUR',
        contractValue: '8000',
        startsOn: '2025-03-03',
        endsOn: '2025-03-28',
        activities: [
          {
            code: 'DESIGN',
            name: 'Design',
            startsOn: '2025-03-03',
            endsOn: '2025-03-14',
            plannedCost: '2000',
          },
          { code: 'BUILD', name: 'Build', startsOn: '2025-03-10', endsOn: '2025-03-28', plannedCost: '3000' },
        ],
      }),
      201,
    );
    const activity = (c: string): string => project.activities.find((x: { code: string }) => x.code === c).id;
    const design = activity('DESIGN');
    const build = activity('BUILD');

    // project-costing.project.upserted reaches time-tracking's own projection, activities included.
    const projected = async () =>
      (await ok(a.time.get('/projects'))).projects.find((p: { id: string }) => p.id === project.id);
    await kit.waitFor(async () => (await projected()) !== undefined);
    const p = await projected();
    expect(p).toMatchObject({ code: project.code, client: 'ACME', status: 'active', startsOn: '2025-03-03' });
    expect(p.activities.map((x: { id: string; code: string }) => [x.code, x.id])).toEqual([
      ['BUILD', build],
      ['DESIGN', design],
    ]);

    // 2. The signed-in administrator costs 60 EUR/h; the tenant lets them approve their own time
    // through both default steps (approver, then finance).
    await ok(
      a.pc.post('/cost-rates', { userId, rate: '60', currency: 'EUR', effectiveFrom: '2025-01-01' }),
      201,
    );
    await ok(
      a.api.put('/api/v1/plugins/installations/time-tracking/config', {
        config: { allowSelfApproval: true },
      }),
    );
    // 7.5 h on DESIGN on 5 March = 450 EUR; 4 h on BUILD on 11 March = 240 EUR.
    const e1 = await approvedEntry(a, {
      projectId: project.id,
      activityId: design,
      workDate: '2025-03-05',
      hours: '7.5',
    });
    const e2 = await approvedEntry(a, {
      projectId: project.id,
      activityId: build,
      workDate: '2025-03-11',
      hours: '4',
    });
    const labour = async () =>
      (await actuals(a, project.id)).actuals.filter((x: { kind: string }) => x.kind === 'labour');
    await kit.waitFor(async () => (await labour()).length === 2, 20_000);
    expect(
      (await labour()).map((x: Body) => [
        x.sourceKey,
        x.activityId,
        x.userId,
        Number(x.hours),
        Number(x.amount),
      ]),
    ).toEqual([
      [`time:${e1.id}`, design, userId, 7.5, 450],
      [`time:${e2.id}`, build, userId, 4, 240],
    ]);

    // 3. Stock: 10 received at 12.50 EUR, 4 issued to the project on 12 March = 50 EUR (costing's
    // costing.issue.costed); 1 issued to no project costs the project nothing.
    const panels = await stocked(a, '10', '12.50', '2025-03-01T09:00:00Z');
    await issue(a, panels, '4', '2025-03-12T09:00:00Z', project.id);
    await issue(a, panels, '1', '2025-03-12T10:00:00Z');
    const material = async () =>
      (await actuals(a, project.id)).actuals.filter((x: { kind: string }) => x.kind === 'material');
    await kit.waitFor(async () => (await material()).length > 0, 30_000);
    expect((await material()).map((x: Body) => [x.incurredOn, Number(x.amount), x.sourceCurrency])).toEqual([
      ['2025-03-12', 50, 'EUR'],
    ]);

    // 4. An expense of 125.50 EUR (travel, on DESIGN) on 12 March.
    await ok(
      a.pc.post(`/projects/${project.id}/expenses`, {
        incurredOn: '2025-03-12',
        category: 'travel',
        amount: '125.50',
        currency: 'EUR',
        activityId: design,
      }),
      201,
    );
    const booked = await actuals(a, project.id);
    expect(booked.actuals.map((x: { kind: string }) => x.kind).sort()).toEqual([
      'expense',
      'labour',
      'labour',
      'material',
    ]);
    expect(booked.unratedTime).toEqual([]);
    expect(booked.waitingCosts).toEqual([]);
    // AC = 450 + 240 (time) + 50 (stock) + 125.50 (expense) = 865.50, also the sum of the actuals.
    expect(sumOf(booked.actuals)).toBeCloseTo(865.5, 6);
    const evm = await ok(a.pc.get(`/projects/${project.id}/evm?asOf=2025-03-14`));
    expect(evm.project).toMatchObject({ bac: '5000.00', ac: '865.50' });
    // Per activity: DESIGN 450 + 125.50 = 575.50; BUILD 240; the stock is the project's only.
    const perActivity = (c: string) => evm.activities.find((x: { code: string }) => x.code === c).ac;
    expect([perActivity('DESIGN'), perActivity('BUILD')]).toEqual(['575.50', '240.00']);

    // 5. The BUILD entry is reversed (−4 h, through the same two steps): −240 EUR, AC 625.50.
    const rev = await ok(
      a.time.post(`/entries/${e2.id}/reverse`, { reason: 'booked to the wrong project' }),
      201,
    );
    expect(rev).toMatchObject({ hours: '-4', reversesEntryId: e2.id, status: 'submitted' });
    await approve(a, rev.id);
    await kit.waitFor(async () => (await labour()).length === 3, 20_000);
    expect((await labour()).find((x: Body) => x.sourceKey === `time:${rev.id}`)).toMatchObject({
      activityId: build,
    });
    expect(Number((await labour()).find((x: Body) => x.sourceKey === `time:${rev.id}`).amount)).toBe(-240);
    expect(await ac(project.id)).toBe('625.50');
    const after = await ok(a.pc.get(`/projects/${project.id}/evm?asOf=2025-03-14`));
    expect(after.activities.find((x: { code: string }) => x.code === 'BUILD').ac).toBe('0.00');

    // 6. Tenant B sees none of it, and cannot book time to A's project.
    expect((await ok(b.pc.get('/projects'))).projects).toEqual([]);
    await ok(b.pc.get(`/projects/${project.id}`), 404);
    await ok(b.pc.get(`/projects/${project.id}/actuals`), 404);
    await ok(b.pc.get(`/projects/${project.id}/evm?asOf=2025-03-14`), 404);
    expect((await ok(b.pc.get('/cost-rates'))).costRates).toEqual([]);
    expect((await ok(b.time.get('/projects'))).projects).toEqual([]);
    expect((await ok(b.time.get('/entries'))).entries).toEqual([]);
    const foreign = await b.time.post('/entries', {
      projectId: project.id,
      workDate: '2025-03-05',
      hours: '1',
    });
    expect(foreign.status, JSON.stringify(foreign.json)).toBe(422);
    expect(foreign.json.errors.map((e: { field: string }) => e.field)).toContain('/body/projectId');
    // …and A's figures are unchanged by anything B did.
    expect(await ac(project.id)).toBe('625.50');
  });
});
