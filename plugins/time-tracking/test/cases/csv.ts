// CSV round trip: what one tenant exports imports into another as the same entries; a file with
// bad rows is refused as a whole, every bad row named, and nothing is written.

import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { type Env, newProject, ok } from '../support/world.js';

const DATA = [
  'userId',
  'projectId',
  'activityId',
  'workDate',
  'startedAt',
  'endedAt',
  'hours',
  'billable',
  'note',
];

export function csv(env: () => Env) {
  describe('CSV import and export', () => {
    it('round-trips entries through export and import', async () => {
      const e = env();
      const { a, b } = e;
      const p = await newProject(e, a, {});
      const act = p.activities[0]!.activityId;
      await newProject(e, b, { projectId: p.projectId, activityId: act }); // the same project reaches both tenants
      await ok(
        a.worker2.time.post('/entries', {
          projectId: p.projectId,
          activityId: act,
          workDate: '2026-08-03',
          hours: '6.25',
          note: 'Design, "phase 1"\nreview',
        }),
        201,
      );
      await ok(
        a.worker2.time.post('/entries', {
          projectId: p.projectId,
          workDate: '2026-08-04',
          startedAt: '2026-08-04T08:00:00Z',
          endedAt: '2026-08-04T09:30:00Z',
          billable: false,
        }),
        201,
      );
      const exported = await ok(a.approver.time.get(`/export?projectId=${p.projectId}`));
      expect(exported.rows).toBe(2);
      // Tenant B's people are other users: the file is mapped to B's worker before import.
      const rows = parse(exported.csv, { columns: true }) as Record<string, string>[];
      const mapped = exported.csv.replaceAll(a.worker2.id, b.worker2.id);
      const imported = await ok(b.admin.post('/import', { csv: mapped }), 201);
      expect(imported.imported).toBe(2);
      const back = await ok(b.admin.get(`/export?projectId=${p.projectId}`));
      const again = parse(back.csv, { columns: true }) as Record<string, string>[];
      const pick = (r: Record<string, string>, user: string) =>
        DATA.map((k) => (k === 'userId' ? r[k] === user : r[k]));
      expect(again.map((r) => pick(r, b.worker2.id))).toEqual(rows.map((r) => pick(r, a.worker2.id)));
      expect(again.map((r) => r.status)).toEqual(['draft', 'draft']);
      expect(again[0]!.note).toBe('Design, "phase 1"\nreview');
    });

    it('refuses a file with bad rows as a whole, naming each bad row and column', async () => {
      const e = env();
      const { a } = e;
      const p = await newProject(e, a);
      const head = 'userId,projectId,workDate,hours,billable\n';
      const good = `${a.worker.id},${p.projectId},2026-09-01,2,true\n`;
      const before = (await ok(a.approver.time.get('/team/entries?from=2026-09-01&to=2026-09-30'))).entries
        .length;
      const bad = await a.admin.post('/import', {
        csv: `${head}${good}${a.worker.id},${p.projectId},2026-09-02,-3,true\n${a.worker.id},${p.projectId},not-a-date,1,maybe\n`,
      });
      expect(bad.status).toBe(422);
      expect(bad.json.code).toBe('TIME_CSV_BAD_ROWS');
      expect(bad.json.errors.map((x: { field: string }) => x.field)).toEqual([
        '/body/csv/2/hours',
        '/body/csv/3/workDate',
        '/body/csv/3/billable',
      ]);
      // Rows that only the database can judge: the first such row is named.
      const unknown = await a.admin.post('/import', {
        csv: `${head}${good}${a.worker.id},00000000-0000-4000-8000-000000000000,2026-09-03,1,true\n`,
      });
      expect(unknown.status).toBe(422);
      expect(unknown.json).toMatchObject({
        code: 'TIME_PROJECT_UNKNOWN',
        errors: [{ field: '/body/csv/2/projectId' }],
      });
      const overlap = await a.admin.post('/import', {
        csv: `userId,projectId,workDate,startedAt,endedAt\n${a.worker.id},${p.projectId},2026-09-04,2026-09-04T08:00:00Z,2026-09-04T10:00:00Z\n${a.worker.id},${p.projectId},2026-09-04,2026-09-04T09:00:00Z,2026-09-04T11:00:00Z\n`,
      });
      expect(overlap.json).toMatchObject({
        code: 'TIME_ENTRY_OVERLAP',
        errors: [{ field: '/body/csv/2/startedAt' }],
      });
      expect((await a.admin.post('/import', { csv: 'userId,projectId\n"unterminated' })).json.code).toBe(
        'TIME_CSV_UNREADABLE',
      );
      expect(
        (await ok(a.approver.time.get('/team/entries?from=2026-09-01&to=2026-09-30'))).entries.length,
      ).toBe(before);
    });
  });
}
