// Publishing: validate the payload against its declared schema, then write the outbox row in the
// caller's transaction. Nothing leaves the database until that transaction commits; a rollback
// takes the event with it. After commit the instance's own relay is woken in-process; a NOTIFY
// (which serialises committing transactions on a global lock) is sent only by instances that do
// not relay themselves (ERP_BACKGROUND=false), and the relays' polling covers anything else.
import type { Sql } from '../tenancy/index.js';
import { currentTraceparent } from '../tracing/index.js';
import { CHANNELS } from '../workers/index.js';
import { EventError } from './errors.js';
import type { EventRegistry } from './registry.js';
import type { PublishedEvent } from './types.js';

/** pg_notify payloads are limited to 8000 bytes. */
const BROADCAST_LIMIT = 7000;

export async function writeOutbox(
  sql: Sql,
  registry: EventRegistry,
  type: string,
  payload: unknown,
  opts: { broadcastViaNotify: boolean; notifyRelay: boolean; wakeLocal?: () => void },
): Promise<PublishedEvent> {
  if (!sql || typeof sql.query !== 'function' || typeof sql.tenantId !== 'string') {
    throw new EventError('ERP_EVENT_NO_TRANSACTION', 'publish needs the unit of work (a tenant transaction)');
  }
  const t = registry.validate(type, payload);
  const json = JSON.stringify(payload);
  const broadcast = t.broadcast && opts.broadcastViaNotify;
  if (broadcast && json.length > BROADCAST_LIMIT) {
    throw new EventError(
      'ERP_EVENT_PAYLOAD_INVALID',
      `payload of broadcast event ${type} exceeds ${BROADCAST_LIMIT} bytes`,
    );
  }
  const row = await sql.one<{ id: string; seq: string }>(
    `with e as (
       insert into erp.event_outbox (tenant_id, subject, payload, trace_context) values ($1, $2, $3::jsonb, $4)
       returning tenant_id, id, seq, subject, payload, created_at)
     select e.id, e.seq, ${opts.notifyRelay ? `pg_notify('${CHANNELS.outbox}', '')` : 'null'},
       ${
         broadcast
           ? `pg_notify('${CHANNELS.broadcast}', json_build_object('id', e.id, 'sequence', e.seq::text,
               'type', e.subject, 'tenantId', e.tenant_id, 'payload', e.payload, 'publishedAt', e.created_at)::text)`
           : 'null'
       }
     from e`,
    // The producer's trace travels with the row: the subscriber's span becomes its child.
    [sql.tenantId, type, json, currentTraceparent()],
  );
  if (opts.wakeLocal) sql.afterCommit(opts.wakeLocal);
  return { id: row!.id, sequence: row!.seq, type };
}
