// Overtime and time off over HTTP: the tenant's thresholds applied to a person's recorded week;
// time off recorded, announced, refused when it overlaps, and cancelled.
import { describe, expect, it } from 'vitest';
import { type Env, newProject, ok, published, setConfig } from '../support/world.js';

export function overtime(env: () => Env) {
  describe('overtime and time off', () => {
    it("applies the tenant's daily and weekly thresholds to the recorded week", async () => {
      const e = env();
      const { finance: person, approver } = e.a;
      const p = await newProject(e, e.a);
      const week = [
        ['2026-11-02', '10'],
        ['2026-11-03', '9'],
        ['2026-11-04', '9'],
        ['2026-11-05', '9'],
        ['2026-11-06', '9'],
        ['2026-11-07', '3'],
      ];
      for (const [workDate, hours] of week)
        await ok(person.time.post('/entries', { projectId: p.projectId, workDate, hours }), 201);
      const r = await ok(person.time.get('/overtime?from=2026-11-02&to=2026-11-08'));
      expect(r.days.map((d: { overtime: string }) => d.overtime)).toEqual(['2', '1', '1', '1', '1', '3']);
      expect(r.totals).toEqual({ worked: '49', regular: '40', overtime: '9' });
      // A tenant with a 10 h day and a 45 h week.
      await setConfig(e.a, { dailyOvertimeHours: '10', weeklyOvertimeHours: '45' });
      const team = await ok(
        approver.time.get(`/team/overtime?from=2026-11-02&to=2026-11-08&userId=${person.id}`),
      );
      expect(team.totals).toEqual({ worked: '49', regular: '45', overtime: '4' });
      expect(
        (await ok(person.time.get('/overtime?from=2026-11-02&to=2026-11-08&approvedOnly=true'))).totals
          .worked,
      ).toBe('0');
      expect((await person.time.get('/overtime?from=2026-11-08&to=2026-11-02')).json.errors[0].field).toBe(
        '/query/to',
      );
      await setConfig(e.a, {});
    });

    it('records time off, announces it, refuses an overlap and cancels', async () => {
      const e = env();
      const { worker2: person } = e.a;
      const off = await ok(
        person.time.post('/time-off', { kind: 'vacation', startsOn: '2026-12-21', endsOn: '2026-12-24' }),
        201,
      );
      const clash = await person.time.post('/time-off', {
        kind: 'sick',
        startsOn: '2026-12-24',
        endsOn: '2026-12-24',
        hoursPerDay: '4',
      });
      expect(clash.status).toBe(409);
      expect(clash.json).toMatchObject({
        code: 'TIME_TIME_OFF_OVERLAP',
        errors: [{ field: '/body/startsOn' }],
      });
      await ok(person.time.post(`/time-off/${off.id}/cancel`));
      const events = (await published(e.a, 'time.off.changed')).filter((x) => x.timeOffId === off.id);
      expect(events.map((x) => x.cancelled)).toEqual([false, true]);
      expect(events[0]).toEqual({
        timeOffId: off.id,
        userId: person.id,
        kind: 'vacation',
        startsOn: '2026-12-21',
        endsOn: '2026-12-24',
        hoursPerDay: null,
        cancelled: false,
      });
      expect((await person.time.post(`/time-off/${off.id}/cancel`)).json.code).toBe(
        'TIME_TIME_OFF_CANCELLED',
      );
    });
  });
}
