// Applying a batch of rows to time-tracking.entries: each row is checked the way a hand-made entry
// is (the project bookable on that day, hours or start/end consistent, no overlap), then inserted
// as a draft that goes through the tenant's approval steps like any other. In all-or-nothing mode
// a batch with a refused row inserts nothing (the checks run before any insert).
import {
  type EventEnvelope,
  type ImportBatchPayload,
  type Json,
  type PluginContext,
  PluginProblem,
} from '@erp/sdk';
import { checkShape, insertEntry } from '../entries/index.js';
import { bookable } from '../projects/index.js';

export const TARGET = 'time-tracking.entries';

interface Row {
  userId: string;
  projectId: string;
  activityId?: string;
  workDate: string;
  hours?: string;
  startedAt?: string;
  endedAt?: string;
  billable?: boolean;
  note?: string;
}

/** The protocol's batch, its rows' data checked by the kernel against this target's row schema. */
type Batch = Omit<ImportBatchPayload, 'rows'> & { rows: { row: number; data: Row }[] };

type Checked = { row: number; data: Row; shape: Awaited<ReturnType<typeof checkShape>> };

/** The field a check named (`/row/hours` → hours) and its message; other errors are not swallowed. */
function refusal(row: number, err: unknown): { row: number; field: string; message: string } {
  if (!(err instanceof PluginProblem)) throw err;
  const e = err.errors?.[0];
  return { row, field: (e?.field ?? '/row').split('/').pop() ?? 'row', message: e?.message ?? err.message };
}

export async function onImportBatch(ctx: PluginContext, event: EventEnvelope): Promise<void> {
  const b = event.payload as unknown as Batch;
  if (b.target !== TARGET) return; // another plugin's target
  const failed: { row: number; field: string; message: string }[] = [];
  const ok: Checked[] = [];
  for (const { row, data } of b.rows) {
    try {
      const where = {
        projectId: data.projectId,
        activityId: data.activityId ?? null,
        workDate: data.workDate,
      };
      await bookable(ctx, where, {
        project: '/row/projectId',
        activity: '/row/activityId',
        workDate: '/row/workDate',
      });
      const shape = await checkShape(
        ctx,
        data.userId,
        {
          workDate: data.workDate,
          hours: data.hours ?? null,
          startedAt: data.startedAt ?? null,
          endedAt: data.endedAt ?? null,
        },
        '/row',
        null,
      );
      ok.push({ row, data, shape });
    } catch (err) {
      failed.push(refusal(row, err));
    }
  }
  const applied: { row: number; id: string }[] = [];
  if (!(b.mode === 'all' && failed.length))
    for (const { row, data, shape } of ok) {
      const id = await insertEntry(ctx, data.userId, {
        projectId: data.projectId,
        activityId: data.activityId ?? null,
        workDate: data.workDate,
        ...shape,
        billable: data.billable ?? true,
        note: data.note ?? null,
        source: 'import',
      });
      applied.push({ row, id });
    }
  await ctx.events.publish('import.applied', {
    importId: b.importId,
    target: b.target,
    batch: b.batch,
    applied,
    failed,
  } as unknown as Json);
}

/** Removes what an import created while every entry is still a draft; otherwise nothing. */
export async function onImportRollback(ctx: PluginContext, event: EventEnvelope): Promise<void> {
  const r = event.payload as unknown as { importId: string; target: string; ids: string[] };
  if (r.target !== TARGET) return;
  const used = await ctx.db.query<{ id: string; status: string }>(
    `select id, status from entries where id = any($1::uuid[]) and status <> 'draft'`,
    [r.ids],
  );
  const blocked = used.map((u) => ({ id: u.id, reason: `the entry is ${u.status}` }));
  let removed = 0;
  if (!blocked.length)
    removed = (await ctx.db.query(`delete from entries where id = any($1::uuid[]) returning 1`, [r.ids]))
      .length;
  await ctx.events.publish('import.rolled-back', {
    importId: r.importId,
    target: r.target,
    removed,
    blocked,
  });
}
