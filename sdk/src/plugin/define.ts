// definePlugin() and its parts. A plugin is data plus handlers: the host reads the schemas to
// validate, type and document, and checks at load that everything stays inside the manifest.
import type { FromSchema, JSONSchema } from 'json-schema-to-ts';
import type { Json, PluginContext } from './context.js';

type Schema = JSONSchema | undefined;
export type Infer<S> = [S] extends [JSONSchema] ? FromSchema<S> : undefined;

/** Marks a JSON schema literal (write it `as const`): one schema for validation, types and OpenAPI. */
export function schema<const S extends JSONSchema>(s: S): S {
  return s;
}

export interface RouteInput<B, P, Q> {
  body: B;
  params: P;
  query: Q;
}

export interface PluginRoute<
  B extends Schema = Schema,
  P extends Schema = Schema,
  Q extends Schema = Schema,
> {
  /** Permission the caller needs; must be declared in the manifest's erp.permissions. */
  permission: string;
  summary?: string;
  body?: B;
  params?: P;
  query?: Q;
  response?: JSONSchema;
  status?: 200 | 201 | 202 | 204;
  handler(ctx: PluginContext, input: RouteInput<Infer<B>, Infer<P>, Infer<Q>>): Promise<unknown>;
}

/** Declares one route with its handler typed from its schemas. */
export function route<
  const B extends Schema = undefined,
  const P extends Schema = undefined,
  const Q extends Schema = undefined,
>(r: PluginRoute<B, P, Q>): PluginRoute {
  return r as unknown as PluginRoute;
}

export interface EventEnvelope<T = Json> {
  id: string;
  /** Qualified name: <plugin id>.<event>, e.g. warehouses.stock.received. */
  type: string;
  tenantId: string;
  occurredAt: string;
  /** The event's place in publication order (decimal string; compare as integers). */
  sequence?: string;
  payload: T;
}

export interface PluginSubscription {
  /** Qualified event name, <publisher plugin id>.<event> (kernel events: kernel.<event>). */
  event: string;
  handler(ctx: PluginContext, event: EventEnvelope): Promise<void>;
}

export interface PluginJob {
  /** Five-field cron expression for a schedule that fires once per period across instances. */
  cron?: string;
  handler(ctx: PluginContext, payload: Json): Promise<void>;
}

export interface PluginHooks {
  /** Runs in the install's unit of work; throwing aborts the install. */
  install?(ctx: PluginContext): Promise<void>;
  upgrade?(ctx: PluginContext, info: { from: string; to: string }): Promise<void>;
}

export interface PluginDefinition {
  /** Schemas of the events this plugin publishes, by unqualified name (stock.received). */
  events?: Record<string, JSONSchema>;
  routes?: Record<string, PluginRoute>;
  subscriptions?: Record<string, PluginSubscription>;
  jobs?: Record<string, PluginJob>;
  hooks?: PluginHooks;
  /** Schema of the tenant's settings for this plugin (ctx.config). */
  configSchema?: JSONSchema;
}

export const PLUGIN_BRAND = Symbol.for('erp.plugin');

export type DefinedPlugin = PluginDefinition & { readonly [PLUGIN_BRAND]: true };

export function definePlugin(def: PluginDefinition): DefinedPlugin {
  return Object.freeze({ ...def, [PLUGIN_BRAND]: true as const });
}

export function isDefinedPlugin(value: unknown): value is DefinedPlugin {
  return (
    typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[PLUGIN_BRAND] === true
  );
}
