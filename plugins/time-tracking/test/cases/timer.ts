// The running timer: one per person, stopped into a draft entry; a timer over the tenant's limit
// is reported while it runs and flags its entry.
import { describe, expect, it } from 'vitest';
import { type Env, newProject, ok, setConfig } from '../support/world.js';

export function timer(env: () => Env) {
  describe('timer', () => {
    it('runs one timer per person, refuses a second, and stops into a draft entry', async () => {
      const e = env();
      const { worker, worker2 } = e.a;
      const p = await newProject(e, e.a, { startsOn: null, endsOn: null });
      const halfAnHourAgo = new Date(Date.now() - 1800_000).toISOString();
      const started = await ok(
        worker.time.post('/timer/start', {
          projectId: p.projectId,
          activityId: p.activities[0]!.activityId,
          startedAt: halfAnHourAgo,
        }),
        201,
      );
      expect(started).toMatchObject({ status: 'running', hours: null, source: 'timer', userId: worker.id });
      const second = await worker.time.post('/timer/start', { projectId: p.projectId });
      expect(second.status).toBe(409);
      expect(second.json).toMatchObject({ code: 'TIME_TIMER_RUNNING', errors: [{ field: '/body' }] });
      // Someone else's timer is theirs.
      await ok(worker2.time.post('/timer/start', { projectId: p.projectId, startedAt: halfAnHourAgo }), 201);
      const mine = await ok(worker.time.get('/timer'));
      expect(mine.timer).toMatchObject({ id: started.id, overLimit: false });
      const stopped = await ok(worker.time.post('/timer/stop', {}));
      expect(stopped).toMatchObject({ id: started.id, status: 'draft', flagged: false });
      expect(Number(stopped.hours)).toBeCloseTo(0.5, 1);
      expect((await ok(worker.time.get('/timer'))).timer).toBeNull();
      expect((await worker.time.post('/timer/stop', {})).json.code).toBe('TIME_NO_TIMER');
      await ok(worker2.time.post('/timer/stop', {}));
    });

    it('flags a timer left running past the limit, and refuses one overlapping recorded time', async () => {
      const e = env();
      const { finance: worker, approver } = e.a;
      const p = await newProject(e, e.a, { startsOn: null, endsOn: null });
      await setConfig(e.a, { timerLimitHours: 2 });
      const twelveAgo = new Date(Date.now() - 12 * 3600_000).toISOString();
      const started = await ok(
        worker.time.post('/timer/start', { projectId: p.projectId, startedAt: twelveAgo }),
        201,
      );
      const team = await ok(approver.time.get('/team/timers'));
      expect(team.timers.find((t: { id: string }) => t.id === started.id)).toMatchObject({ overLimit: true });
      const stopped = await ok(worker.time.post('/timer/stop', {}));
      expect(stopped).toMatchObject({ flagged: true, flagReason: 'timer-over-limit' });
      expect(Number(stopped.hours)).toBeCloseTo(12, 1);
      // Starting inside the stopped entry's span overlaps it.
      const inside = await worker.time.post('/timer/start', {
        projectId: p.projectId,
        startedAt: new Date(Date.now() - 3600_000).toISOString(),
      });
      expect(inside.status).toBe(409);
      expect(inside.json).toMatchObject({
        code: 'TIME_ENTRY_OVERLAP',
        errors: [{ field: '/body/startedAt' }],
      });
      expect((await ok(worker.time.get('/timer'))).timer).toBeNull();
      await setConfig(e.a, {});
    });
  });
}
