// What crosses the sandbox boundary: copied JSON values one way, host callbacks the other. The
// kernel supplies the host side (HostCalls) per invocation; nothing here knows tenants or SQL.

export type SandboxKind = 'route' | 'subscription' | 'job' | 'hook';

/** Limits for one plugin version's isolates; CPU per call is separate per kind of entry point. */
export interface SandboxLimits {
  /** V8 heap per isolate; an isolate that exceeds it is disposed (and recreated on the next call). */
  memoryMb: number;
  /** CPU time one call may use, per kind. Exceeding it disposes the isolate. */
  cpuMs: Record<SandboxKind, number>;
  /** Wall time one call may take (awaiting the host included) before it is abandoned. */
  wallMs: number;
  /** Largest JSON a handler may return. */
  maxResultBytes: number;
  /** Host calls one invocation may have in flight at once (a flood gets refusals, not memory). */
  maxHostCallsInFlight: number;
  /** Isolates kept per plugin version (one per tenant; the least recently used one goes). */
  isolatesPerVersion: number;
}

export const DEFAULT_LIMITS: SandboxLimits = {
  memoryMb: 64,
  cpuMs: { route: 2_000, subscription: 5_000, job: 30_000, hook: 30_000 },
  wallMs: 30_000,
  maxResultBytes: 8 * 1024 * 1024,
  maxHostCallsInFlight: 64,
  isolatesPerVersion: 64,
};

/** The host's side of one invocation: capability calls (async) and log lines (fire and forget). */
export interface HostCalls {
  /** Serves `op` (db.query, db.one, events.publish, jobs.enqueue, audit.record, http.fetch). */
  call(op: string, args: unknown[]): Promise<unknown>;
  log(level: 'debug' | 'info' | 'warn' | 'error', message: string, data: unknown): void;
}

/** The plain data of ctx (everything but the capabilities), copied in. */
export interface ContextData {
  user: { id: string | null; kind: string };
  tenant: { id: string };
  config: unknown;
}

export interface SandboxCall {
  kind: SandboxKind;
  entry: string;
  input: unknown;
  context: ContextData;
}

/** A plugin's definition as data: its schemas and entry points, without its handlers. */
export interface PluginShape {
  routes: Record<
    string,
    {
      permission: string;
      summary?: string;
      body?: unknown;
      params?: unknown;
      query?: unknown;
      response?: unknown;
      status?: number;
    }
  >;
  events: Record<string, unknown>;
  subscriptions: Record<string, { event: string }>;
  jobs: Record<string, { cron?: string }>;
  hooks: { install: boolean; upgrade: boolean };
  configSchema?: unknown;
}

export interface CallResult {
  value: unknown;
  /** CPU time the isolate spent while the call ran. */
  cpuMs: number;
}
