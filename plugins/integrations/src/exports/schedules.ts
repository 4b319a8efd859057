// Runs the export schedules that are due (the once-a-minute cron job of each tenant).
import type { Ctx } from '../shared/index.js';
import { startExport } from './start.js';

export async function runDueSchedules(ctx: Ctx): Promise<void> {
  const due = await ctx.db.query<{
    id: string;
    target: string;
    format: string;
    filter: Record<string, unknown>;
  }>(
    `update export_schedules set next_run_at = now() + make_interval(mins => every_minutes)
      where enabled and next_run_at <= now() returning id, target, format, filter`,
  );
  for (const s of due) await startExport(ctx, s.target, s.format, s.filter, s.id);
}
