// Bad input gets problem+json naming the field, and changes nothing.
import { describe, expect, it } from 'vitest';
import { type Env, newProject, ok } from '../support/world.js';

export function badInput(env: () => Env) {
  describe('bad input', () => {
    it('refuses negative, zero, overlapping and out-of-range time, naming the field', async () => {
      const e = env();
      const { worker } = e.a;
      const p = await newProject(e, e.a);
      const closed = await newProject(e, e.a, { status: 'closed' });
      const base = { projectId: p.projectId, workDate: '2026-03-10' };
      await ok(
        worker.time.post('/entries', {
          ...base,
          startedAt: '2026-03-10T09:00:00Z',
          endedAt: '2026-03-10T11:00:00Z',
        }),
        201,
      );
      const before = (await ok(worker.time.get('/entries'))).entries.length;
      const cases: Array<[object, number, string, string?]> = [
        [{ ...base, hours: '-2' }, 400, '/body/hours'],
        [{ ...base, hours: '0' }, 422, '/body/hours', 'TIME_HOURS_ZERO'],
        [{ ...base }, 422, '/body/hours', 'TIME_HOURS_REQUIRED'],
        [
          { ...base, startedAt: '2026-03-10T12:00:00Z', endedAt: '2026-03-10T11:00:00Z' },
          422,
          '/body/endedAt',
          'TIME_NEGATIVE_TIME',
        ],
        [
          { ...base, startedAt: '2026-03-10T10:30:00Z', endedAt: '2026-03-10T12:00:00Z' },
          409,
          '/body/startedAt',
          'TIME_ENTRY_OVERLAP',
        ],
        [{ ...base, startedAt: '2026-03-10T10:30:00Z' }, 422, '/body/endedAt', 'TIME_END_REQUIRED'],
        [{ ...base, hours: '23' }, 422, '/body/hours', 'TIME_DAY_OVER_24H'],
        [
          { ...base, workDate: '2027-01-04', hours: '1' },
          422,
          '/body/workDate',
          'TIME_OUTSIDE_PROJECT_DATES',
        ],
        [{ ...base, projectId: closed.projectId, hours: '1' }, 422, '/body/projectId', 'TIME_PROJECT_CLOSED'],
        [
          { ...base, projectId: '00000000-0000-4000-8000-000000000000', hours: '1' },
          422,
          '/body/projectId',
          'TIME_PROJECT_UNKNOWN',
        ],
        [
          { ...base, activityId: '00000000-0000-4000-8000-000000000000', hours: '1' },
          422,
          '/body/activityId',
          'TIME_ACTIVITY_UNKNOWN',
        ],
      ];
      for (const [body, status, field, code] of cases) {
        const res = await worker.time.post('/entries', body);
        expect(res.status, JSON.stringify(body)).toBe(status);
        expect(res.headers['content-type']).toContain('application/problem+json');
        if (code) expect(res.json.code).toBe(code);
        expect(res.json.errors.map((x: { field: string }) => x.field)).toContain(field);
      }
      expect((await ok(worker.time.get('/entries'))).entries.length).toBe(before);
    });

    it("refuses changing someone else's entry and routes without the permission", async () => {
      const e = env();
      const { worker, worker2 } = e.a;
      const p = await newProject(e, e.a);
      const mine = await ok(
        worker.time.post('/entries', { projectId: p.projectId, workDate: '2026-03-11', hours: '1' }),
        201,
      );
      const other = await worker2.time.patch(`/entries/${mine.id}`, { hours: '5' });
      expect(other.status).toBe(403);
      expect(other.json).toMatchObject({ code: 'TIME_ENTRY_NOT_OWN' });
      expect((await worker2.time.get(`/entries/${mine.id}`)).status).toBe(404);
      expect((await worker.time.get('/team/entries')).status).toBe(403);
      expect((await worker.time.post('/import', { csv: 'a\n1' })).status).toBe(403);
      expect((await ok(worker.time.get(`/entries/${mine.id}`))).hours).toBe('1');
    });
  });
}
