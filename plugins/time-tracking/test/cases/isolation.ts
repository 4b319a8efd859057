// Two tenants on one kernel and database: neither sees nor touches the other's time, rates or
// projects, and approved time is announced only in its own tenant.
import { describe, expect, it } from 'vitest';
import { type Env, newProject, ok, published } from '../support/world.js';

export function isolation(env: () => Env) {
  describe('tenant isolation', () => {
    it("keeps each tenant's entries, rates, projects and events to itself", async () => {
      const e = env();
      const { a, b } = e;
      const p = await newProject(e, a);
      const entry = await ok(
        a.worker.time.post('/entries', { projectId: p.projectId, workDate: '2026-10-05', hours: '4' }),
        201,
      );
      const rate = await ok(
        a.admin.post('/rates', {
          rate: '55',
          currency: 'EUR',
          effectiveFrom: '2026-10-01',
          userId: a.worker.id,
        }),
        201,
      );
      // B knows nothing of A's project, entry or rate.
      const booked = await b.worker.time.post('/entries', {
        projectId: p.projectId,
        workDate: '2026-10-05',
        hours: '1',
      });
      expect(booked.json).toMatchObject({ code: 'TIME_PROJECT_UNKNOWN' });
      expect((await b.approver.time.get('/team/entries?from=2026-10-01&to=2026-10-31')).json.entries).toEqual(
        [],
      );
      expect((await ok(b.admin.get('/rates'))).rates.map((r: { id: string }) => r.id)).not.toContain(rate.id);
      expect((await b.approver.time.post(`/entries/${entry.id}/approve`)).status).toBe(404);
      expect((await b.admin.post(`/rates/${rate.id}/end`, { effectiveTo: '2026-10-02' })).status).toBe(404);
      // A's approval is announced in A only.
      await ok(a.worker.time.post('/entries/submit', { entryIds: [entry.id] }));
      await ok(a.approver.time.post(`/entries/${entry.id}/approve`));
      await ok(a.finance.time.post(`/entries/${entry.id}/finance-approve`));
      expect((await published(a, 'time.entry.approved')).map((x) => x.entryId)).toContain(entry.id);
      expect((await published(b, 'time.entry.approved')).map((x) => x.entryId)).not.toContain(entry.id);
    });
  });
}
