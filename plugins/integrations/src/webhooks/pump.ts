// The pump job of one endpoint: sends what is due, then schedules itself for the next due
// delivery. The endpoint row is locked (SKIP LOCKED) for the run, so one pump per endpoint works
// at a time across instances. Ordered endpoints send strictly one delivery after another in event
// publication order (a failing one holds back the rest until it is delivered or dead); unordered
// ones send a batch at a time in parallel. A cron sweep re-wakes pumps a lost wake-up left idle.
import type { Ctx } from '../shared/index.js';
import { attemptDelivery, type DueDelivery } from './attempt.js';
import { noteFailures } from './disable.js';
import { schedulePump } from './schedule.js';
import { settingsOf, type WebhookSettings } from './settings.js';

/** A pump stops picking new work after this long and hands over to its next run. */
const RUN_BUDGET_MS = 15_000;
const PARALLEL = 8;

interface EndpointRow {
  id: string;
  url: string;
  ordered: boolean;
  enabled: boolean;
}

const DUE_COLUMNS = `d.id::text as id, d.endpoint_id as "endpointId", d.message_id as "messageId", d.body,
  d.attempts, d.round, greatest(0, extract(epoch from (d.next_attempt_at - now())) * 1000)::float8 as "waitMs",
  extract(epoch from (now() - d.created_at)) * 1000 as "ageMs"`;

interface Candidate extends Omit<DueDelivery, 'url'> {
  waitMs: number;
  ageMs: number;
}

export async function pumpEndpoint(ctx: Ctx, endpointId: string): Promise<void> {
  const endpoint = await ctx.db.one<EndpointRow>(
    'select id, url, ordered, enabled from endpoints where id = $1 for update skip locked',
    [endpointId],
  );
  if (!endpoint?.enabled) return;
  const s = settingsOf(ctx);
  const started = Date.now();
  while (Date.now() - started < RUN_BUDGET_MS) {
    const next = endpoint.ordered ? await pumpOrdered(ctx, endpoint, s) : await pumpBatch(ctx, endpoint, s);
    if (next === 'disabled') return;
    if (typeof next === 'number') {
      await schedulePump(ctx, endpoint.id, next);
      return;
    }
    if (next === 'idle') return;
  }
  await schedulePump(ctx, endpoint.id, 0);
}

type Step = 'more' | 'idle' | 'disabled' | number;

async function pumpOrdered(ctx: Ctx, e: EndpointRow, s: WebhookSettings): Promise<Step> {
  const head = await ctx.db.one<Candidate>(
    `select ${DUE_COLUMNS} from deliveries d where endpoint_id = $1 and status = 'pending' and not held
      order by event_seq, id limit 1`,
    [e.id],
  );
  if (!head) return 'idle';
  const wait = Math.max(head.waitMs, s.orderSettleMs - head.ageMs);
  if (wait > 0) return Math.ceil(wait);
  const outcome = await attemptDelivery(ctx, { ...head, url: e.url }, s);
  if (await noteFailures(ctx, e, outcome.ok ? 0 : 1, s)) return 'disabled';
  return 'more';
}

async function pumpBatch(ctx: Ctx, e: EndpointRow, s: WebhookSettings): Promise<Step> {
  const due = await ctx.db.query<Candidate>(
    `select ${DUE_COLUMNS} from deliveries d where endpoint_id = $1 and status = 'pending' and not held
        and next_attempt_at <= now() order by event_seq, id limit ${PARALLEL}`,
    [e.id],
  );
  if (!due.length) {
    const later = await ctx.db.one<{ waitMs: number }>(
      `select greatest(0, extract(epoch from (min(next_attempt_at) - now())) * 1000)::float8 as "waitMs"
         from deliveries where endpoint_id = $1 and status = 'pending' and not held`,
      [e.id],
    );
    return later?.waitMs == null ? 'idle' : Math.ceil(later.waitMs) + 1;
  }
  const outcomes = await Promise.all(due.map((d) => attemptDelivery(ctx, { ...d, url: e.url }, s)));
  const failed = outcomes.filter((o) => !o.ok).length;
  if (await noteFailures(ctx, e, failed, s)) return 'disabled';
  return 'more';
}
