// Retry policy shared by event deliveries and jobs: exponential backoff with full jitter, and the
// errors that are the infrastructure's fault (a restarting database, a dropped connection,
// serialization failures), which are retried without counting against a handler's tries.
export interface RetryPolicy {
  baseMs: number;
  maxMs: number;
}

/** Delay before try number `attempt + 1`, after `attempt` failed tries (attempt >= 1). */
export function backoffMs(policy: RetryPolicy, attempt: number): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(30, Math.max(0, attempt - 1)));
  // Half fixed, half random: spreads retries of a burst without ever retrying at once.
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}

const TRANSIENT_CODES = new Set([
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '53300', // too_many_connections
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
]);

export function isTransient(err: unknown): boolean {
  const e = err as { code?: string; message?: string } | undefined;
  const code = e?.code ?? '';
  if (TRANSIENT_CODES.has(code) || code.startsWith('08')) return true;
  return /Connection terminated|connection timeout|Client has encountered a connection error|timeout exceeded when trying to connect/i.test(
    e?.message ?? '',
  );
}

export function errorText(err: unknown): string {
  const e = err as { message?: string } | undefined;
  return String(e?.message ?? err).slice(0, 2000);
}

/**
 * Runs fn again while it fails for a transient reason (the database restarting), with backoff,
 * for at most withinMs. Used to record a failed try: if the database stays away longer, the lease
 * of the delivery or job runs out and it is claimed again anyway.
 */
export async function retryTransient<T>(
  fn: () => Promise<T>,
  policy: RetryPolicy,
  withinMs: number,
): Promise<T> {
  const deadline = Date.now() + withinMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      const wait = Math.min(backoffMs(policy, attempt), 2000);
      if (!isTransient(err) || Date.now() + wait > deadline) throw err;
      await new Promise((r) => setTimeout(r, wait));
    }
  }
}
