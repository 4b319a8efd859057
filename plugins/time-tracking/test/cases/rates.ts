// Bill rates over HTTP: a rate needs an effective date; the most specific one in force on the work
// date is fixed on the entry at final approval.
import { describe, expect, it } from 'vitest';
import { type Env, newProject, ok, setConfig } from '../support/world.js';

export function rates(env: () => Env) {
  describe('bill rates', () => {
    it('refuses a rate without an effective date, and a duplicate start, changing nothing', async () => {
      const { admin } = env().a;
      const before = (await ok(admin.get('/rates'))).rates.length;
      const missing = await admin.post('/rates', { rate: '90', currency: 'EUR', role: 'junior' });
      expect(missing.status).toBe(400);
      expect(missing.json.errors).toContainEqual(expect.objectContaining({ field: '/body/effectiveFrom' }));
      await ok(
        admin.post('/rates', { rate: '90', currency: 'EUR', role: 'junior', effectiveFrom: '2026-02-01' }),
        201,
      );
      const dup = await admin.post('/rates', {
        rate: '95',
        currency: 'EUR',
        role: 'junior',
        effectiveFrom: '2026-02-01',
      });
      expect(dup.status).toBe(409);
      expect(dup.json).toMatchObject({
        code: 'TIME_RATE_DUPLICATE',
        errors: [{ field: '/body/effectiveFrom' }],
      });
      expect((await ok(admin.get('/rates'))).rates.length).toBe(before + 1);
      // Only holders of time.rates.write add rates.
      expect(
        (
          await env().a.worker.time.post('/rates', {
            rate: '1',
            currency: 'EUR',
            effectiveFrom: '2026-01-01',
          })
        ).status,
      ).toBe(403);
    });

    it('fixes the most specific rate in force on the work date at approval', async () => {
      const e = env();
      const { admin, worker2, approver } = e.a;
      const p = await newProject(e, e.a, { client: 'Globex' });
      await ok(admin.put(`/people/${worker2.id}`, { role: 'consultant' }));
      const add = (body: object) => ok(admin.post('/rates', { currency: 'EUR', ...body }), 201);
      await add({ client: 'Globex', rate: '70', effectiveFrom: '2026-01-01' });
      await add({ role: 'consultant', rate: '110', effectiveFrom: '2026-01-01' });
      const raise = await add({
        role: 'consultant',
        projectId: p.projectId,
        rate: '115.50',
        effectiveFrom: '2026-05-01',
      });
      const resolve = (workDate: string) =>
        ok(admin.get(`/rates/resolve?userId=${worker2.id}&projectId=${p.projectId}&workDate=${workDate}`));
      expect(await resolve('2026-04-30')).toMatchObject({
        role: 'consultant',
        rate: { rate: '110' },
        matchedOn: ['role'],
      });
      expect(await resolve('2026-05-01')).toMatchObject({
        rate: { id: raise.id, rate: '115.5' },
        matchedOn: ['role', 'project'],
      });
      await ok(admin.post(`/rates/${raise.id}/end`, { effectiveTo: '2026-05-31' }));
      expect((await resolve('2026-06-01')).rate.rate).toBe('110');

      await setConfig(e.a, { approvalSteps: ['approver'] });
      const april = await ok(
        worker2.time.post('/entries', { projectId: p.projectId, workDate: '2026-04-30', hours: '1.25' }),
        201,
      );
      const may = await ok(
        worker2.time.post('/entries', { projectId: p.projectId, workDate: '2026-05-04', hours: '0.3333' }),
        201,
      );
      const free = await ok(
        worker2.time.post('/entries', {
          projectId: p.projectId,
          workDate: '2026-05-05',
          hours: '1',
          billable: false,
        }),
        201,
      );
      await ok(worker2.time.post('/entries/submit', { entryIds: [april.id, may.id, free.id] }));
      expect(await ok(approver.time.post(`/entries/${april.id}/approve`))).toMatchObject({
        billRate: '110',
        billAmount: '137.50',
      });
      // 0.3333 × 115.50 = 38.49615 → 38.50 (half-up at the edge)
      expect(await ok(approver.time.post(`/entries/${may.id}/approve`))).toMatchObject({
        billRate: '115.5',
        billAmount: '38.50',
      });
      expect(await ok(approver.time.post(`/entries/${free.id}/approve`))).toMatchObject({
        billRate: null,
        billAmount: null,
      });
      await setConfig(e.a, {});
    });
  });
}
