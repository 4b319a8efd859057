// End to end over HTTP, two tenants: a USD project in a EUR tenant; approved time (time-tracking's
// event) at person and role cost rates in EUR and USD, a reversing entry, time waiting for a rate
// until the person's role is set; an expense in GBP; stock issued to the project through warehouses
// and costed by costing (costing.issue.costed). Actuals, earned value, S-curve, profitability and
// budget follow through the events; the second tenant sees none of it. Every figure is worked out
// by hand in the comments.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { actuals, approveTime, code, type Env, ok } from '../support/world.js';

export function endToEnd(env: () => Env) {
  describe('actuals and earned value through events', () => {
    it('time, expenses and stock → actuals → EVM, per tenant', async () => {
      const { a, b, kit } = env();
      const u1 = randomUUID();
      const u2 = randomUUID();
      // Rates: 1 USD = 0.8 EUR, 1 GBP = 1.2 EUR (the tenant's base currency is EUR).
      await ok(a.pc.post('/exchange-rates', { currency: 'USD', on: '2025-01-01', rate: '0.8' }), 201);
      await ok(a.pc.post('/exchange-rates', { currency: 'GBP', on: '2025-01-01', rate: '1.2' }), 201);
      // Engineers cost 40 EUR/h; u1 costs 100 USD/h of their own from 10 March.
      await ok(
        a.pc.post('/cost-rates', {
          role: 'engineer',
          rate: '40',
          currency: 'EUR',
          effectiveFrom: '2025-01-01',
        }),
        201,
      );
      await ok(
        a.pc.post('/cost-rates', { userId: u1, rate: '100', currency: 'USD', effectiveFrom: '2025-03-10' }),
        201,
      );
      await ok(a.pc.put(`/people/${u1}`, { role: 'engineer' }));

      // 3–28 March 2025: 20 working days. DESIGN 3–14 March (10 days), BUILD 10–28 March (15 days).
      const project = await ok(
        a.pc.post('/projects', {
          code: code('P'),
          name: 'Warehouse automation',
          client: 'ACME',
          status: 'active',
          billing: 'fixed-price',
          currency: 'USD',
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
          budget: [
            { category: 'labour', period: '2025-03', amount: '20000' },
            { category: 'travel', period: '2025-03', amount: '1000' },
            { category: 'material', period: '2025-03', amount: '4000' },
          ],
        }),
        201,
      );
      const design = project.activities.find((x: { code: string }) => x.code === 'DESIGN').id;
      const build = project.activities.find((x: { code: string }) => x.code === 'BUILD').id;

      // project.upserted reached time-tracking's projection (its own table), with both activities.
      await kit.waitFor(async () => {
        const r = await a.time.get('/projects');
        return r.json.projects.some(
          (p: { payload: { projectId: string } }) => p.payload.projectId === project.id,
        );
      });
      const projected = (await ok(a.time.get('/projects'))).projects.find(
        (p: { payload: { projectId: string } }) => p.payload.projectId === project.id,
      ).payload;
      expect(projected).toMatchObject({
        code: project.code,
        status: 'active',
        currency: 'USD',
        client: 'ACME',
      });
      expect(projected.activities.map((x: { code: string }) => x.code).sort()).toEqual(['BUILD', 'DESIGN']);
      expect((await ok(b.time.get('/projects'))).projects).toEqual([]);

      // Time: 80 h on DESIGN on 5 March at the role's 40 EUR = 3,200 EUR = 4,000 USD;
      // 60 h on BUILD on 11 March at u1's own 100 USD = 6,000 USD; a reversing −10 h = −1,000 USD;
      // u2 (no rate, no role yet) 4 h on DESIGN on 12 March: waits for a rate.
      await approveTime(a, {
        userId: u1,
        projectId: project.id,
        activityId: design,
        workDate: '2025-03-05',
        hours: '80',
      });
      const e2 = await approveTime(a, {
        userId: u1,
        projectId: project.id,
        activityId: build,
        workDate: '2025-03-11',
        hours: '60',
      });
      await approveTime(a, {
        userId: u1,
        projectId: project.id,
        activityId: build,
        workDate: '2025-03-11',
        hours: '-10',
        reversesEntryId: e2,
      });
      await approveTime(a, {
        userId: u2,
        projectId: project.id,
        activityId: design,
        workDate: '2025-03-12',
        hours: '4',
      });
      // Tenant B approving time for A's project books nothing anywhere.
      await approveTime(b, {
        userId: u1,
        projectId: project.id,
        activityId: null,
        workDate: '2025-03-11',
        hours: '7',
      });
      await kit.waitFor(async () => {
        const r = await actuals(a, project.id);
        return r.actuals.length === 3 && r.unratedTime.length === 1;
      });
      expect((await actuals(a, project.id)).unratedTime[0]).toMatchObject({ userId: u2, hours: '4' });
      // Setting u2's role costs the waiting entry: 4 h × 40 EUR = 160 EUR = 200 USD.
      expect((await ok(a.pc.put(`/people/${u2}`, { role: 'engineer' }))).costedEntries).toBe(1);

      // An expense of 500 GBP on DESIGN on 12 March = 600 EUR = 750 USD.
      const expense = await ok(
        a.pc.post(`/projects/${project.id}/expenses`, {
          incurredOn: '2025-03-12',
          category: 'travel',
          amount: '500',
          currency: 'GBP',
          activityId: design,
          description: 'Site visit',
        }),
        201,
      );
      expect(expense).toMatchObject({
        amount: '750',
        sourceAmount: '500',
        sourceCurrency: 'GBP',
        kind: 'expense',
      });

      // Stock: 10 bolts received at 8 EUR, 5 issued to the project on 13 March: 40 EUR = 50 USD.
      const wh = await ok(a.wh.post('/warehouses', { code: code('W'), name: 'Main' }), 201);
      const loc = await ok(
        a.wh.post('/locations', { warehouseId: wh.id, code: 'STOCK', name: 'Stock' }),
        201,
      );
      const sku = code('BOLT');
      const item = await ok(a.wh.post('/items', { sku, name: 'Bolt', uom: 'EA', qtyScale: 0 }), 201);
      await ok(
        a.wh.post('/receipts', {
          effectiveAt: '2025-03-01T09:00:00Z',
          supplier: 'ACME',
          lines: [{ itemId: item.id, locationId: loc.id, qty: '10', unitCost: '8' }],
        }),
        201,
      );
      const issueDoc = await ok(
        a.wh.post('/issues', {
          effectiveAt: '2025-03-13T09:00:00Z',
          customer: 'site',
          projectId: project.id,
          lines: [{ itemId: item.id, locationId: loc.id, qty: '5' }],
        }),
        201,
      );
      // An issue without a project is no project cost.
      await ok(
        a.wh.post('/issues', {
          effectiveAt: '2025-03-13T10:00:00Z',
          customer: 'shop',
          lines: [{ itemId: item.id, locationId: loc.id, qty: '1' }],
        }),
        201,
      );
      await kit.waitFor(
        async () =>
          (await actuals(a, project.id)).actuals.some((x: { kind: string }) => x.kind === 'material'),
        30_000,
      );

      const booked = await actuals(a, project.id);
      const byKind = (k: string) =>
        booked.actuals
          .filter((x: { kind: string }) => x.kind === k)
          .map((x: { amount: string }) => Number(x.amount));
      expect(byKind('labour').sort((x: number, y: number) => x - y)).toEqual([-1000, 200, 4000, 6000]);
      expect(byKind('expense')).toEqual([750]);
      expect(byKind('material')).toEqual([50]);
      expect(booked.unratedTime).toEqual([]);

      // Progress: DESIGN 80 % on 14 March, BUILD 20 % on 13 March.
      await ok(
        a.pc.post(`/activities/${design}/progress`, { asOf: '2025-03-14', percentComplete: '80' }),
        201,
      );
      await ok(
        a.pc.post(`/activities/${build}/progress`, { asOf: '2025-03-13', percentComplete: '20' }),
        201,
      );

      // At the end of 14 March: PV = 10,000 + 15,000 × 5/15 = 15,000; EV = 8,000 + 3,000 = 11,000;
      // AC = 4,000 + 6,000 − 1,000 + 200 + 750 + 50 = 10,000. BAC 25,000.
      const evm = await ok(a.pc.get(`/projects/${project.id}/evm?asOf=2025-03-14`));
      expect(evm.project).toMatchObject({
        bac: '25000.00',
        pv: '15000.00',
        ev: '11000.00',
        ac: '10000.00',
        cv: '1000.00',
        sv: '-4000.00',
        cpi: '1.1',
        spi: '0.73333333333333333333',
        tcpiBac: '0.93333333333333333333',
        percentComplete: '44',
      });
      // EAC = 25,000 / 1.1 = 22,727.27…; AC + BAC − EV = 24,000; AC + 14,000 / (1.1 × 0.7333…) = 27,355.371…
      expect(evm.project.eac.atCpi).toMatchObject({
        eac: '22727.27',
        etc: '12727.27',
        vac: '2272.73',
        tcpi: '1.1',
      });
      expect(evm.project.eac.atBudget).toMatchObject({
        eac: '24000.00',
        etc: '14000.00',
        vac: '1000.00',
        tcpi: '1',
      });
      expect(evm.project.eac.atCpiSpi).toMatchObject({ eac: '27355.37', etc: '17355.37', vac: '-2355.37' });
      // Per activity: DESIGN AC = 4,000 + 200 + 750; BUILD AC = 6,000 − 1,000 (the stock is the project's).
      const act = (c: string) => evm.activities.find((x: { code: string }) => x.code === c);
      expect(act('DESIGN')).toMatchObject({ pv: '10000.00', ev: '8000.00', ac: '4950.00' });
      expect(act('BUILD')).toMatchObject({ pv: '5000.00', ev: '3000.00', ac: '5000.00', cpi: '0.6' });
      // 20 working days / SPI 0.7333… = 27.3 → 28 working days from 3 March: 9 April, 8 days late.
      expect(evm.forecast).toEqual({
        plannedFinish: '2025-03-28',
        forecastFinish: '2025-04-09',
        slipWorkingDays: 8,
      });
      // Before the first cost, nothing is earned or spent.
      const early = await ok(a.pc.get(`/projects/${project.id}/evm?asOf=2025-03-02`));
      expect(early.project).toMatchObject({ pv: '0.00', ev: '0.00', ac: '0.00', cpi: null, spi: null });

      // The S-curve: PV from 0 to 25,000; EV and AC up to the status date only.
      const curve = await ok(a.pc.get(`/projects/${project.id}/s-curve?asOf=2025-03-14`));
      expect(curve.points.find((p: { date: string }) => p.date === '2025-03-28')).toMatchObject({
        pv: '25000.00',
        ev: null,
        ac: null,
      });
      // The forecast: EAC 22,727.27 at the forecast finish, which gets the curve's last point.
      expect(curve.forecast).toEqual({ finish: '2025-04-09', eac: '22727.27' });
      expect(curve.points.at(-1)).toMatchObject({ date: '2025-04-09', pv: '25000.00', ev: null });
      expect(curve.points.find((p: { date: string }) => p.date === '2025-03-14')).toMatchObject({
        pv: '15000.00',
        ev: '11000.00',
        ac: '10000.00',
      });

      // Profitability (fixed price 30,000; milestone 12,000 billed on 14 March):
      // revenue by percentage of completion 30,000 × 11,000/25,000 = 13,200; margin 3,200;
      // forecast margin 30,000 − 22,727.27 = 7,272.73.
      const ms = await ok(
        a.pc.post(`/projects/${project.id}/milestones`, {
          name: 'Design sign-off',
          dueOn: '2025-03-14',
          amount: '12000',
        }),
        201,
      );
      await ok(a.pc.post(`/milestones/${ms.id}/bill`, { billedOn: '2025-03-14' }));
      const profit = await ok(a.pc.get(`/projects/${project.id}/profitability?asOf=2025-03-14`));
      expect(profit).toMatchObject({
        contractValue: '30000.00',
        billed: '12000.00',
        revenue: '13200.00',
        cost: '10000.00',
        margin: '3200.00',
        forecastCost: '22727.27',
        forecastMargin: '7272.73',
        costByKind: { labour: '9200.00', expense: '750.00', material: '50.00' },
      });

      // Budget against actuals by category and period.
      const budget = await ok(a.pc.get(`/projects/${project.id}/budget`));
      expect(budget.lines).toEqual([
        {
          category: 'labour',
          period: '2025-03',
          budget: '20000.00',
          actual: '9200.00',
          remaining: '10800.00',
        },
        { category: 'material', period: '2025-03', budget: '4000.00', actual: '50.00', remaining: '3950.00' },
        { category: 'travel', period: '2025-03', budget: '1000.00', actual: '750.00', remaining: '250.00' },
      ]);

      // Cancelling the issue in warehouses: costing re-costs it to nothing (costing.issue.recosted,
      // delta −40 EUR = −50 USD), kept as its own actual beside the original; AC falls to 9,950.
      await ok(a.wh.post(`/documents/${issueDoc.id}/cancel`, { reason: 'returned unused' }), 201);
      await kit.waitFor(
        async () =>
          (await actuals(a, project.id)).actuals.filter((x: { kind: string }) => x.kind === 'material')
            .length === 2,
        30_000,
      );
      const material = (await actuals(a, project.id)).actuals.filter(
        (x: { kind: string }) => x.kind === 'material',
      );
      expect(material.map((x: { amount: string }) => x.amount)).toEqual(['50', '-50']);
      expect((await ok(a.pc.get(`/projects/${project.id}/evm?asOf=2025-03-14`))).project).toMatchObject({
        ac: '9950.00',
      });

      // Tenant B sees none of it.
      await ok(b.pc.get(`/projects/${project.id}`), 404);
      expect((await ok(b.pc.get('/projects'))).projects).toEqual([]);
      expect((await ok(b.pc.get('/cost-rates'))).costRates).toEqual([]);
    });
  });
}
