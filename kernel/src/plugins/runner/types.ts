// The runner seam: every call into plugin code (route, subscription, job, lifecycle hook) is an
// Invocation the host builds and hands to a PluginRunner. The in-process runner is the first
// implementation; the sandbox adds the second behind the same interface.

import type { EventEnvelope, InstalledPlugin, Json } from '@erp/sdk';
import type { FastifyBaseLogger } from 'fastify';
import type { Principal } from '../../auth/index.js';
import type { OutboundCaller, OutboundFetch } from '../../outbound/index.js';
import type { Sql } from '../../tenancy/index.js';
import type { CatalogEntry } from '../catalog.js';
import type { Installation } from '../installations.js';
import type { LoadedPlugin } from '../loader.js';
import type { PluginAuditSink, PluginEventSink, PluginJobSink } from '../sinks.js';

/** What the plugin context needs from the kernel's bus, jobs and audit log. */
export interface ContextDeps {
  events: PluginEventSink;
  jobs: PluginJobSink;
  audit: PluginAuditSink;
  /** The safe outbound client behind ctx.http.fetch, with the tenant's allowance (kernel/src/outbound). */
  outbound: { fetchFor(sql: Sql, caller?: OutboundCaller): Promise<OutboundFetch> };
  /** The tenant's enabled plugins and what their manifests offer (ctx.plugins). */
  plugins: { installed(sql: Sql): Promise<InstalledPlugin[]> };
}

interface InvocationBase {
  /** The entry point's name: route key ("POST /items"), subscription, job or hook name. */
  entry: string;
  /** The tenant's unit of work the call runs in. */
  sql: Sql;
  /** Who acts: the caller of a route or lifecycle step; null for subscriptions and jobs. */
  principal: Principal | null;
  installation: Pick<Installation, 'config'>;
  log: FastifyBaseLogger;
  requestId?: string;
  ip?: string;
}

export interface RouteInput {
  body: unknown;
  params: Record<string, unknown>;
  query: Record<string, unknown>;
}

export type Invocation = InvocationBase &
  (
    | { kind: 'route'; input: RouteInput }
    | { kind: 'subscription'; input: EventEnvelope }
    | { kind: 'job'; input: Json }
    | { kind: 'hook'; entry: 'install' | 'upgrade'; input: { from: string; to: string } | null }
  );

export type InvocationKind = Invocation['kind'];

/** Counted while a call runs, by both runners (the context counts capability use; the sandbox adds CPU). */
export interface CallMeter {
  dbStatements: number;
  /** CPU time in the isolate (sandbox only: in-process code shares the kernel's thread). */
  cpuMs?: number;
  dbMs?: number;
  dbRows?: number;
  events?: number;
  httpRequests?: number;
  httpBytes?: number;
}

export interface PluginRunner {
  /** Loads one plugin version's code and checks it against its manifest. */
  load(entry: CatalogEntry): Promise<LoadedPlugin>;
  /** Calls one entry point; resolves with what the handler returned. */
  invoke(plugin: LoadedPlugin, invocation: Invocation, meter: CallMeter): Promise<unknown>;
  /** Releases what load() holds for the version (an isolate, a module cache entry). */
  dispose(plugin: LoadedPlugin): Promise<void>;
}
