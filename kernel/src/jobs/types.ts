// What job authors register and receive. The plugin host wraps these into ctx.jobs.enqueue and the
// plugin's `jobs`; kernel code uses them directly.
import type { Sql } from '../tenancy/index.js';

export interface JobContext<P = unknown> {
  id: string;
  tenantId: string;
  /** `<plugin>.<name>` */
  job: string;
  payload: P;
  /** 1 on the first try. */
  attempt: number;
  /** For a cron run, the period it runs for (ISO time); null otherwise. */
  period: string | null;
}

/**
 * Runs in its own transaction in the job's tenant. The job is marked done in that same
 * transaction, so its effects and its completion commit together, once.
 */
export type JobRunner = (sql: Sql, job: JobContext) => Promise<void>;

export interface JobSpec {
  plugin: string;
  /** Lowercase letters, digits and dashes. */
  name: string;
  run: JobRunner;
  /** JSON schema of the payload, checked at enqueue. */
  schema?: Record<string, unknown>;
  /** Tries before the job is marked failed (default ERP_JOBS_MAX_ATTEMPTS). */
  maxAttempts?: number;
  /** Cron pattern (5 fields, or 6 with seconds): one run per period across all instances. */
  cron?: string;
  /** IANA time zone the cron pattern is read in (default UTC). */
  timezone?: string;
  /** The tenants a cron period runs for (default: every active tenant). */
  tenants?: () => Promise<string[]>;
}

export interface EnqueueOptions {
  /** Not before this time (default now). */
  runAt?: Date;
  delaySeconds?: number;
  maxAttempts?: number;
}

export interface JobSettings {
  background: boolean;
  pollMs: number;
  concurrency: number;
  maxAttempts: number;
  leaseSeconds: number;
  retry: { baseMs: number; maxMs: number };
  /** How late a missed cron period may still fire (after all instances were down). */
  cronGraceMs: number;
}
