// The approval workflow with roles: submitted → approver → finance, each step by its permission,
// nobody deciding on their own time unless the tenant allows it; approved entries locked and
// announced once, corrected only by a reversing entry that goes through the same steps.
import { describe, expect, it } from 'vitest';
import { type Env, newProject, ok, published, setConfig } from '../support/world.js';

export function approvals(env: () => Env) {
  describe('approval workflow', () => {
    it('goes submitted → approver → finance, then locks the entry and announces it once', async () => {
      const e = env();
      const { worker, approver, finance, admin } = e.a;
      const p = await newProject(e, e.a);
      await ok(
        admin.post('/rates', {
          rate: '100',
          currency: 'EUR',
          effectiveFrom: '2026-01-01',
          projectId: p.projectId,
        }),
        201,
      );
      const entry = await ok(
        worker.time.post('/entries', {
          projectId: p.projectId,
          workDate: '2026-03-02',
          hours: '7.5',
          note: 'design',
        }),
        201,
      );
      // The worker has no approving permission at all; the kernel refuses before the plugin runs.
      expect((await worker.time.post(`/entries/${entry.id}/approve`)).status).toBe(403);
      // Not submitted yet: nothing to decide.
      expect((await approver.time.post(`/entries/${entry.id}/approve`)).json.code).toBe(
        'TIME_ENTRY_NOT_AT_STEP',
      );
      const [submitted] = (await ok(worker.time.post('/entries/submit', { entryIds: [entry.id] }))).entries;
      expect(submitted).toMatchObject({ status: 'submitted', step: 'approver' });
      // Finance cannot jump the approver step, and the approver queue shows the entry.
      const early = await finance.time.post(`/entries/${entry.id}/finance-approve`);
      expect(early.status).toBe(409);
      expect(early.json).toMatchObject({ code: 'TIME_ENTRY_NOT_AT_STEP', errors: [{ field: '/params/id' }] });
      const queue = await ok(approver.time.get('/approvals/approver'));
      expect(queue.entries.map((q: { id: string }) => q.id)).toContain(entry.id);
      // Submitted entries do not change.
      expect((await worker.time.patch(`/entries/${entry.id}`, { hours: '8' })).json.code).toBe(
        'TIME_ENTRY_SUBMITTED',
      );
      expect(await ok(approver.time.post(`/entries/${entry.id}/approve`))).toMatchObject({
        status: 'submitted',
        step: 'finance',
      });
      expect(await published(e.a, 'time.entry.approved')).not.toContainEqual(
        expect.objectContaining({ entryId: entry.id }),
      );
      const done = await ok(finance.time.post(`/entries/${entry.id}/finance-approve`));
      expect(done).toMatchObject({
        status: 'approved',
        step: null,
        billRate: '100',
        billAmount: '750.00',
        billCurrency: 'EUR',
      });
      const events = (await published(e.a, 'time.entry.approved')).filter((x) => x.entryId === entry.id);
      expect(events).toEqual([
        {
          entryId: entry.id,
          userId: worker.id,
          projectId: p.projectId,
          activityId: null,
          workDate: '2026-03-02',
          hours: '7.5',
          billable: true,
          reversesEntryId: null,
        },
      ]);
      // Locked: no change, no delete, no second decision.
      const patch = await worker.time.patch(`/entries/${entry.id}`, { hours: '8' });
      expect(patch.status).toBe(409);
      expect(patch.json).toMatchObject({ code: 'TIME_ENTRY_LOCKED', errors: [{ field: '/params/id' }] });
      expect((await worker.time.delete(`/entries/${entry.id}`)).json.code).toBe('TIME_ENTRY_LOCKED');
      expect((await finance.time.post(`/entries/${entry.id}/finance-approve`)).status).toBe(409);

      // Correction: a reversing entry, through the same steps, announced with negative hours.
      const rev = await ok(
        worker.time.post(`/entries/${entry.id}/reverse`, { reason: 'booked to the wrong day' }),
        201,
      );
      expect(rev).toMatchObject({
        hours: '-7.5',
        source: 'reversal',
        status: 'submitted',
        reversesEntryId: entry.id,
      });
      expect((await worker.time.post(`/entries/${entry.id}/reverse`, { reason: 'again' })).json.code).toBe(
        'TIME_ENTRY_ALREADY_REVERSED',
      );
      await ok(approver.time.post(`/entries/${rev.id}/approve`));
      expect(await ok(finance.time.post(`/entries/${rev.id}/finance-approve`))).toMatchObject({
        billAmount: '-750.00',
      });
      const revEvent = (await published(e.a, 'time.entry.approved')).find((x) => x.entryId === rev.id);
      expect(revEvent).toMatchObject({ hours: '-7.5', reversesEntryId: entry.id });
      const audit = await ok(e.a.api.get('/api/v1/audit/entries?limit=200'));
      const actions = JSON.stringify(audit);
      for (const a of [
        'time.entry.created',
        'time.entry.submitted',
        'time.entry.step-approved',
        'time.entry.approved',
        'time.entry.reversal-created',
      ])
        expect(actions).toContain(a);
    });

    it('refuses deciding on ones own entries unless the tenant allows it, and follows the configured steps', async () => {
      const e = env();
      const { approver, worker } = e.a;
      const p = await newProject(e, e.a);
      const own = await ok(
        approver.time.post('/entries', { projectId: p.projectId, workDate: '2026-03-03', hours: '2' }),
        201,
      );
      await ok(approver.time.post('/entries/submit', { entryIds: [own.id] }));
      const self = await approver.time.post(`/entries/${own.id}/approve`);
      expect(self.status).toBe(403);
      expect(self.json).toMatchObject({ code: 'TIME_SELF_APPROVAL', errors: [{ field: '/params/id' }] });
      expect((await ok(approver.time.get(`/entries/${own.id}`))).status).toBe('submitted');
      // One step only, self-approval allowed: the approver's decision is final.
      await setConfig(e.a, { approvalSteps: ['approver'], allowSelfApproval: true });
      expect(await ok(approver.time.post(`/entries/${own.id}/approve`))).toMatchObject({
        status: 'approved',
      });
      // Rejection sends an entry back to its owner, who changes and resubmits it.
      const w = await ok(
        worker.time.post('/entries', { projectId: p.projectId, workDate: '2026-03-03', hours: '3' }),
        201,
      );
      await ok(worker.time.post('/entries/submit', { entryIds: [w.id] }));
      const rejected = await ok(approver.time.post(`/entries/${w.id}/reject`, { reason: 'wrong project' }));
      expect(rejected).toMatchObject({ status: 'rejected', rejectReason: 'wrong project' });
      expect(await ok(worker.time.patch(`/entries/${w.id}`, { hours: '2.5' }))).toMatchObject({
        status: 'draft',
        hours: '2.5',
      });
      // No steps: submitting approves.
      await setConfig(e.a, { approvalSteps: [] });
      const [auto] = (await ok(worker.time.post('/entries/submit', { entryIds: [w.id] }))).entries;
      expect(auto).toMatchObject({ status: 'approved' });
      await setConfig(e.a, {});
    });
  });
}
