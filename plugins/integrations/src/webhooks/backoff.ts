// Retry delays: cockatiel's exponential backoff with decorrelated jitter (the generator AWS's
// "Exponential Backoff and Jitter" recommends). Deliveries outlive processes, so the delay is not
// slept here: it becomes the delivery's next_attempt_at, and the pump job is scheduled for then.
import { decorrelatedJitterGenerator, ExponentialBackoff } from 'cockatiel';
import type { WebhookSettings } from './settings.js';

/** Milliseconds to wait after the `failed`-th failed attempt (1 = after the first). */
export function retryDelayMs(failed: number, s: WebhookSettings): number {
  const factory = new ExponentialBackoff({
    generator: decorrelatedJitterGenerator,
    initialDelay: s.initialDelayMs,
    maxDelay: s.maxDelayMs,
  });
  // The jitter state is the chain itself: walk it to this attempt (a few steps at most).
  let step = factory.next();
  for (let i = 1; i < failed; i++) step = step.next(undefined);
  return Math.max(1, Math.round(step.duration));
}
