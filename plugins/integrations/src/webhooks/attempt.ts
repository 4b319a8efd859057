// One attempt of one delivery: sign with every live secret, POST through the kernel's outbound
// client (ctx.http.fetch: private, loopback and link-local addresses refused unless the tenant's
// outbound policy allows them, DNS answers pinned, redirects not followed, connect and total
// timeouts), log it, then settle the delivery: delivered, due again after a backoff, or dead.
import type { Ctx } from '../shared/index.js';
import { retryDelayMs } from './backoff.js';
import type { WebhookSettings } from './settings.js';
import { signedHeaders } from './signing.js';

export interface DueDelivery {
  id: string;
  endpointId: string;
  url: string;
  messageId: string;
  body: string;
  attempts: number;
  round: number;
}

export interface AttemptOutcome {
  ok: boolean;
  /** The delivery is finished for this round (delivered or dead). */
  settled: boolean;
}

/** Refusals that another try cannot cure: the address or URL itself is not allowed. */
const FINAL_CODES = new Set(['ERP_HTTP_ADDRESS_REFUSED', 'ERP_HTTP_URL_INVALID', 'ERP_HTTP_HOST_UNDECLARED']);
const EXCERPT = 500;

export async function attemptDelivery(ctx: Ctx, d: DueDelivery, s: WebhookSettings): Promise<AttemptOutcome> {
  const secrets = await ctx.db.query<{ secret: string }>(
    `select secret from endpoint_secrets where endpoint_id = $1 and (expires_at is null or expires_at > now())
      order by created_at desc`,
    [d.endpointId],
  );
  const timestamp = Math.floor(Date.now() / 1000);
  const headers = {
    'content-type': 'application/json',
    'user-agent': 'erp-integrations-webhooks/0.1',
    ...signedHeaders(
      secrets.map((r) => r.secret),
      d.messageId,
      timestamp,
      d.body,
    ),
  };
  const attempt = d.attempts + 1;
  const started = performance.now();
  let status: number | null = null;
  let excerpt: string | null = null;
  let error: string | null = null;
  let final = false;
  try {
    if (!s.allowHttp && !d.url.startsWith('https:')) {
      final = true;
      throw Object.assign(new Error('plain http endpoints are not allowed by the tenant settings'), {
        code: 'INTEGRATIONS_HTTP_NOT_ALLOWED',
      });
    }
    const res = await ctx.http.fetch(d.url, { method: 'POST', headers, body: d.body });
    status = res.status;
    excerpt = res.body.slice(0, EXCERPT);
    if (status < 200 || status > 299) error = `HTTP ${status}`;
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code && FINAL_CODES.has(code)) final = true;
    error = `${code ?? 'ERROR'}: ${(err as Error).message}`;
  }
  const latency = Math.round(performance.now() - started);
  // The log keeps the request as sent, minus nothing secret: signatures are not secrets.
  await ctx.db.query(
    `insert into delivery_attempts (delivery_id, round, attempt, request_headers, status, latency_ms,
       response_excerpt, error) values ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [d.id, d.round, attempt, headers, status, latency, excerpt, error],
  );
  if (!error) {
    await ctx.db.query(
      `update deliveries set status = 'delivered', attempts = $2, last_error = null, updated_at = now()
        where id = $1`,
      [d.id, attempt],
    );
    await ctx.db.query('update endpoints set failure_streak = 0 where id = $1', [d.endpointId]);
    return { ok: true, settled: true };
  }
  const dead = final || attempt >= s.maxAttempts;
  await ctx.db.query(
    `update deliveries set attempts = $2, last_error = $3, updated_at = now(),
            status = case when $4 then 'dead' else 'pending' end,
            next_attempt_at = now() + make_interval(secs => $5::double precision / 1000)
      where id = $1`,
    [d.id, attempt, error, dead, dead ? 0 : retryDelayMs(attempt, s)],
  );
  return { ok: false, settled: dead };
}
