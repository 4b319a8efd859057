// Bad input gets RFC 9457 problem+json with a stable code naming the field, and nothing changes:
// percent complete outside 0–100, an activity outside the project's dates, a change order on a
// closed project, an unknown currency, a missing exchange rate, a rate without an effective date.
// Also change orders revising the budget and the baseline, with their history.
import { describe, expect, it } from 'vitest';
import { actuals, code, type Env, ok, refused, type Tenant } from '../support/world.js';

/** A June 2025 project in EUR, with `extra` over it. */
const bare = (extra: Record<string, unknown> = {}) => ({
  code: code('G'),
  name: 'Guarded',
  billing: 'fixed-price',
  currency: 'EUR',
  startsOn: '2025-06-02',
  endsOn: '2025-06-27',
  ...extra,
});

async function newProject(t: Tenant, extra: Record<string, unknown> = {}) {
  return ok(
    t.pc.post('/projects', {
      ...bare({ billing: 'time-and-materials', contractValue: '5000' }),
      activities: [
        { code: 'A1', name: 'One', startsOn: '2025-06-02', endsOn: '2025-06-13', plannedCost: '2000' },
      ],
      budget: [{ category: 'labour', period: '2025-06', amount: '2000' }],
      ...extra,
    }),
    201,
  );
}

export function guards(env: () => Env) {
  describe('bad input', () => {
    it('percent complete outside 0–100 is refused naming the field; no progress is kept', async () => {
      const { a } = env();
      const p = await newProject(a);
      const act = p.activities[0].id;
      await refused(
        a.pc.post(`/activities/${act}/progress`, { asOf: '2025-06-05', percentComplete: '101' }),
        422,
        'PROJECT_PERCENT_OUT_OF_RANGE',
        '/body/percentComplete',
      );
      await refused(
        a.pc.post(`/activities/${act}/progress`, { asOf: '2025-06-05', percentComplete: '-1' }),
        422,
        'PROJECT_PERCENT_OUT_OF_RANGE',
        '/body/percentComplete',
      );
      expect((await ok(a.pc.get(`/projects/${p.id}`))).activities[0].progress).toEqual([]);
      await ok(a.pc.post(`/activities/${act}/progress`, { asOf: '2025-06-05', percentComplete: '100' }), 201);
    });

    it('an activity outside the project’s dates is refused, on create, add and change', async () => {
      const { a } = env();
      await refused(
        a.pc.post('/projects', {
          ...bare({ code: code('G'), name: 'x', currency: 'EUR' }),
          activities: [
            { code: 'A', name: 'a', startsOn: '2025-06-02', endsOn: '2025-07-01', plannedCost: '1' },
          ],
        }),
        422,
        'PROJECT_ACTIVITY_OUTSIDE_PROJECT',
        '/body/activities/0/endsOn',
      );
      const p = await newProject(a);
      await refused(
        a.pc.post(`/projects/${p.id}/activities`, {
          code: 'EARLY',
          name: 'e',
          startsOn: '2025-05-30',
          endsOn: '2025-06-03',
          plannedCost: '1',
        }),
        422,
        'PROJECT_ACTIVITY_OUTSIDE_PROJECT',
        '/body/startsOn',
      );
      await refused(
        a.pc.patch(`/activities/${p.activities[0].id}`, { endsOn: '2025-06-30' }),
        422,
        'PROJECT_ACTIVITY_OUTSIDE_PROJECT',
        '/body/endsOn',
      );
      await refused(
        a.pc.patch(`/projects/${p.id}`, { endsOn: '2025-06-10' }),
        422,
        'PROJECT_ACTIVITY_OUTSIDE_PROJECT',
        '/body/endsOn',
      );
      const after = await ok(a.pc.get(`/projects/${p.id}`));
      expect(after.endsOn).toBe('2025-06-27');
      expect(after.activities.map((x: { code: string; endsOn: string }) => [x.code, x.endsOn])).toEqual([
        ['A1', '2025-06-13'],
      ]);
    });

    it('an expense recorded without a category is booked uncategorised until its category is set', async () => {
      const { a, b } = env();
      const p = await newProject(a);
      const e = await ok(
        a.pc.post(`/projects/${p.id}/expenses`, {
          incurredOn: '2025-06-03',
          amount: '12.50',
          currency: 'EUR',
          description: 'taxi from the airport',
        }),
        201,
      );
      expect(e.category).toBe('uncategorised');
      const path = `/expenses/${e.sourceKey.replace('expense:', '')}/category`;
      await refused(a.pc.put(path, { category: '' }), 400, 'ERP_VALIDATION', '/body/category');
      await refused(b.pc.put(path, { category: 'travel' }), 404, 'PROJECT_EXPENSE_NOT_FOUND', '/params/id');
      expect((await actuals(a, p.id)).actuals.map((x: { category: string }) => x.category)).toEqual([
        'uncategorised',
      ]);
      expect((await ok(a.pc.put(path, { category: 'travel' }))).category).toBe('travel');
      await ok(a.pc.patch(`/projects/${p.id}`, { status: 'active' }));
      await ok(a.pc.patch(`/projects/${p.id}`, { status: 'closed' }));
      await refused(a.pc.put(path, { category: 'meals' }), 409, 'PROJECT_CLOSED', '/params/id');
      expect((await actuals(a, p.id)).actuals.map((x: { category: string }) => x.category)).toEqual([
        'travel',
      ]);
    });

    it('unknown currency and a missing exchange rate are refused naming the currency; nothing is booked', async () => {
      const { a } = env();
      await refused(
        a.pc.post('/projects', {
          ...bare({ code: code('G'), name: 'x', currency: 'XYZ' }),
        }),
        422,
        'PROJECT_UNKNOWN_CURRENCY',
        '/body/currency',
      );
      const p = await newProject(a);
      await refused(
        a.pc.post(`/projects/${p.id}/expenses`, {
          incurredOn: '2025-06-03',
          category: 'travel',
          amount: '10',
          currency: 'XYZ',
        }),
        422,
        'PROJECT_UNKNOWN_CURRENCY',
        '/body/currency',
      );
      // No CHF rate in this tenant.
      await refused(
        a.pc.post(`/projects/${p.id}/expenses`, {
          incurredOn: '2025-06-03',
          category: 'travel',
          amount: '10',
          currency: 'CHF',
        }),
        422,
        'PROJECT_RATE_MISSING',
        '/body/currency',
      );
      expect((await actuals(a, p.id)).actuals).toEqual([]);
      await refused(
        a.pc.post('/exchange-rates', { currency: 'CHF', on: '2025-01-01', rate: '0.000' }),
        422,
        'PROJECT_INVALID_RATE',
        '/body/rate',
      );
      await refused(
        a.pc.post('/exchange-rates', { currency: 'EUR', on: '2025-01-01', rate: '2' }),
        422,
        'PROJECT_BASE_CURRENCY_RATE',
        '/body/currency',
      );
      expect(
        (await ok(a.pc.get('/exchange-rates'))).rates.filter(
          (r: { currency: string }) => r.currency === 'CHF',
        ),
      ).toEqual([]);
      await refused(
        a.pc.post('/cost-rates', { role: 'x', rate: '10', currency: 'EUR' }),
        400,
        'ERP_VALIDATION',
        '/body/effectiveFrom',
      );
      await refused(
        a.pc.post('/cost-rates', {
          role: 'x',
          rate: '10',
          currency: 'EUR',
          effectiveFrom: '2025-01-01',
          effectiveTo: '2024-01-01',
        }),
        422,
        'PROJECT_DATES_REVERSED',
        '/body/effectiveTo',
      );
      expect(
        (await ok(a.pc.get('/cost-rates'))).costRates.filter((r: { role: string }) => r.role === 'x'),
      ).toEqual([]);
    });

    it('change orders revise the budget and the baseline with history; none on a closed project', async () => {
      const { a } = env();
      const p = await newProject(a, { status: 'active' });
      const act = p.activities[0].id;
      // The baseline of an active project moves only through change orders.
      await refused(
        a.pc.patch(`/activities/${act}`, { plannedCost: '9' }),
        409,
        'PROJECT_BASELINE_LOCKED',
        '/body/plannedCost',
      );
      const co1 = await ok(
        a.pc.post(`/projects/${p.id}/change-orders`, {
          reason: 'Extra interface',
          effectiveOn: '2025-06-10',
          lines: [
            { category: 'labour', period: '2025-06', delta: '500' },
            { category: 'labour', period: '2025-07', delta: '250' },
          ],
          activities: [{ activityId: act, plannedCostDelta: '750' }],
          contractDelta: '1000',
        }),
        201,
      );
      expect(co1.changeOrder).toMatchObject({
        number: 1,
        budgetAfter: '2750.00',
        contractValueAfter: '6000.00',
      });
      await refused(
        a.pc.post(`/projects/${p.id}/change-orders`, {
          reason: 'Too much',
          effectiveOn: '2025-06-11',
          lines: [{ category: 'labour', period: '2025-07', delta: '-251' }],
        }),
        422,
        'PROJECT_BUDGET_BELOW_ZERO',
        '/body/lines/0/delta',
      );
      await ok(
        a.pc.post(`/projects/${p.id}/change-orders`, {
          reason: 'Descoped',
          effectiveOn: '2025-06-12',
          lines: [{ category: 'labour', period: '2025-07', delta: '-250' }],
        }),
        201,
      );
      const budget = await ok(a.pc.get(`/projects/${p.id}/budget`));
      expect(budget.originalTotal).toBe('2000.00');
      expect(budget.total).toBe('2500.00');
      expect(budget.contractValue).toBe('6000.00');
      expect(
        budget.changeOrders.map((c: { number: number; budgetAfter: string }) => [c.number, c.budgetAfter]),
      ).toEqual([
        [1, '2750.00'],
        [2, '2500.00'],
      ]);
      expect((await ok(a.pc.get(`/projects/${p.id}/evm?asOf=2025-06-13`))).project.bac).toBe('2750.00');
      // The original budget cannot be replaced once revised.
      await refused(
        a.pc.put(`/projects/${p.id}/budget`, { lines: [] }),
        409,
        'PROJECT_BUDGET_LOCKED',
        '/body/lines',
      );

      await refused(
        a.pc.patch(`/projects/${p.id}`, { status: 'planned' }),
        409,
        'PROJECT_STATUS_BACKWARDS',
        '/body/status',
      );
      await ok(a.pc.patch(`/projects/${p.id}`, { status: 'closed' }));
      await refused(
        a.pc.post(`/projects/${p.id}/change-orders`, {
          reason: 'Late',
          effectiveOn: '2025-06-20',
          lines: [{ category: 'labour', period: '2025-06', delta: '1' }],
        }),
        409,
        'PROJECT_CLOSED',
        '/params/id',
      );
      await refused(
        a.pc.post(`/projects/${p.id}/expenses`, {
          incurredOn: '2025-06-03',
          category: 'travel',
          amount: '10',
          currency: 'EUR',
        }),
        409,
        'PROJECT_CLOSED',
        '/params/id',
      );
      await refused(
        a.pc.post(`/activities/${act}/progress`, { asOf: '2025-06-05', percentComplete: '50' }),
        409,
        'PROJECT_CLOSED',
        '/params/id',
      );
      const after = await ok(a.pc.get(`/projects/${p.id}/budget`));
      expect(after.changeOrders).toHaveLength(2);
      expect(after.total).toBe('2500.00');
    });

    it('every route checks its permission: a key that may only read cannot write', async () => {
      const { a, kit } = env();
      const key = await ok(
        a.api.post('/api/v1/iam/api-keys', { name: 'reader', permissions: ['projects.projects.read'] }),
        201,
      );
      const base = await kit.listen();
      const call = (method: string, path: string, body?: unknown) =>
        fetch(`${base}/api/v1/p/project-costing${path}`, {
          method,
          headers: { authorization: `Bearer ${key.token}`, 'content-type': 'application/json' },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
      expect((await call('GET', '/projects')).status).toBe(200);
      const body = bare();
      const denied = await call('POST', '/projects', body);
      expect(denied.status).toBe(403);
      expect(denied.headers.get('content-type')).toContain('application/problem+json');
      const codes = (await ok(a.pc.get('/projects'))).projects.map((p: { code: string }) => p.code);
      expect(codes).not.toContain(body.code);
      expect(
        (await call('POST', '/exchange-rates', { currency: 'SEK', on: '2025-01-01', rate: '0.09' })).status,
      ).toBe(403);
      // Nothing was written: this tenant has no SEK rate.
      expect(
        (await ok(a.pc.get('/exchange-rates'))).rates.filter(
          (r: { currency: string }) => r.currency === 'SEK',
        ),
      ).toEqual([]);
    });

    it('unknown ids are 404 naming the parameter; each tenant sees only its own', async () => {
      const { a, b } = env();
      const p = await newProject(a);
      await refused(b.pc.get(`/projects/${p.id}/evm`), 404, 'PROJECT_NOT_FOUND', '/params/id');
      await refused(
        b.pc.post(`/activities/${p.activities[0].id}/progress`, { asOf: '2025-06-05', percentComplete: '5' }),
        404,
        'PROJECT_ACTIVITY_NOT_FOUND',
        '/params/id',
      );
      // Same code in another tenant is fine.
      await ok(
        b.pc.post('/projects', {
          ...bare({ code: p.code, name: 'B’s', currency: 'EUR' }),
        }),
        201,
      );
      await refused(
        a.pc.post('/projects', {
          ...bare({ code: p.code, name: 'again', currency: 'EUR' }),
        }),
        409,
        'PROJECT_CODE_TAKEN',
        '/body/code',
      );
    });
  });
}
