// Starting an export (from the API or a schedule): the row, then the request to the target plugin.
import type { Ctx } from '../shared/index.js';

export const PAGE_SIZE = 1_000;

export async function startExport(
  ctx: Ctx,
  target: string,
  format: string,
  filter: Record<string, unknown>,
  scheduleId: string | null,
): Promise<string> {
  const row = await ctx.db.one<{ id: string }>(
    'insert into exports (target, format, filter, schedule_id) values ($1, $2, $3, $4) returning id',
    [target, format, JSON.stringify(filter), scheduleId],
  );
  await ctx.events.publish('export.requested', {
    exportId: row!.id,
    target,
    filter: filter as never,
    pageSize: PAGE_SIZE,
  });
  return row!.id;
}
