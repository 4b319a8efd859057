// Sending rows to the target plugin: the rows no answer has covered yet (still `valid`) as
// import.batch events of BATCH rows, numbered from `first`, all in the caller's unit of work.
import type { Ctx } from '../shared/index.js';
import type { ImportRow } from './store.js';

export const BATCH = 5_000;

/** Publishes the batches; answers the number after the last one sent. */
export async function publishBatches(ctx: Ctx, imp: ImportRow, first: number): Promise<number> {
  let batch = first;
  let after = 0;
  for (;;) {
    const rows = await ctx.db.query<{ row: number; data: Record<string, unknown> }>(
      `select row_no as row, data from import_rows where import_id = $1 and status = 'valid' and row_no > $2
        order by row_no limit ${BATCH}`,
      [imp.id, after],
    );
    if (!rows.length) return batch;
    await ctx.events.publish('import.batch', {
      importId: imp.id,
      target: imp.target,
      mode: imp.mode ?? 'all',
      batch,
      rows: rows as never,
    });
    after = rows.at(-1)!.row;
    batch++;
  }
}
