// The catch-all subscription: every event of the tenant's installed plugins arrives here once
// (the kernel's inbox makes redelivery harmless, and the unique (endpoint, event) key too), and
// becomes one delivery per endpoint whose patterns want its type: due for an enabled endpoint,
// held for a disabled one (held.ts). Sending happens in the pump job, after this transaction commits.
import type { EventEnvelope } from '@erp/sdk';
import type { Ctx } from '../shared/index.js';
import { holdRoom } from './held.js';
import { wants } from './patterns.js';
import { schedulePump } from './schedule.js';
import { settingsOf } from './settings.js';

interface EndpointRow {
  id: string;
  patterns: string[];
  ordered: boolean;
  enabled: boolean;
}

/** Standard Webhooks' payload shape: type, timestamp, data. */
export function webhookBody(event: Pick<EventEnvelope, 'type' | 'occurredAt' | 'payload'>): string {
  return JSON.stringify({ type: event.type, timestamp: event.occurredAt, data: event.payload });
}

export async function fanOut(ctx: Ctx, event: EventEnvelope): Promise<void> {
  const endpoints = await ctx.db.query<EndpointRow>('select id, patterns, ordered, enabled from endpoints');
  const targets = endpoints.filter((e) => wants(e.patterns, event.type));
  if (!targets.length) return;
  const body = webhookBody(event);
  const settle = settingsOf(ctx).orderSettleMs;
  for (const e of targets) {
    if (!e.enabled && !(await holdRoom(ctx, e.id))) continue;
    const [row] = await ctx.db.query(
      `insert into deliveries (endpoint_id, message_id, event_id, event_type, event_seq, body, held)
       values ($1, $2, $3, $4, $5, $6, $7) on conflict (tenant_id, endpoint_id, event_id) do nothing
       returning id`,
      [e.id, `msg_${event.id}`, event.id, event.type, event.sequence ?? '0', body, !e.enabled],
    );
    if (row && e.enabled) await schedulePump(ctx, e.id, e.ordered ? settle : 0);
  }
}
