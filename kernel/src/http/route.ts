// How the kernel declares an HTTP route: one object with its access rule, its JSON schemas (which
// validate, type the handler and document the route in OpenAPI) and a handler that receives the
// request's unit of work. A route without an access rule cannot be mounted.
import type { AwilixContainer } from 'awilix';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FromSchema, JSONSchema } from 'json-schema-to-ts';
import type { Principal } from '../principal/index.js';
import type { Sql } from '../tenancy/index.js';

/** public: no credential; authenticated: any valid principal; otherwise the permission it needs. */
export type Access = 'public' | 'authenticated' | { permission: string };

type In<S> = [S] extends [JSONSchema] ? FromSchema<S> : undefined;

export interface TenantContext<B, P, Q> {
  body: B;
  params: P;
  query: Q;
  principal: Principal;
  /** The request's unit of work: one transaction scoped to the principal's tenant. */
  sql: Sql;
  scope: AwilixContainer;
  request: FastifyRequest;
  reply: FastifyReply;
}

export interface PublicContext<B, P, Q> {
  body: B;
  params: P;
  query: Q;
  scope: AwilixContainer;
  request: FastifyRequest;
  reply: FastifyReply;
}

interface RouteBase<B, P, Q> {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  summary: string;
  tags: string[];
  body?: B;
  params?: P;
  query?: Q;
  /** Schema of the success response, used to serialise it (unknown fields are dropped). */
  response?: JSONSchema;
  /** Success status; 204 sends no body. */
  status?: 200 | 201 | 202 | 204;
}

export interface PublicRoute<B, P, Q> extends RouteBase<B, P, Q> {
  access: 'public';
  handler(ctx: PublicContext<In<B>, In<P>, In<Q>>): Promise<unknown>;
}

export interface GuardedRoute<B, P, Q> extends RouteBase<B, P, Q> {
  access: 'authenticated' | { permission: string };
  handler(ctx: TenantContext<In<B>, In<P>, In<Q>>): Promise<unknown>;
}

export type RouteSpec<B = unknown, P = unknown, Q = unknown> = PublicRoute<B, P, Q> | GuardedRoute<B, P, Q>;

/** A route with its types erased, as the mounting code sees it (no schema inference here). */
export interface AnyRoute extends RouteBase<JSONSchema, JSONSchema, JSONSchema> {
  access: Access;
  // biome-ignore lint/suspicious/noExplicitAny: the handler's context type was checked at defineRoute
  handler(ctx: any): Promise<unknown>;
}

type Schema = JSONSchema | undefined;

export function defineRoute<
  const B extends Schema = undefined,
  const P extends Schema = undefined,
  const Q extends Schema = undefined,
>(spec: GuardedRoute<B, P, Q>): AnyRoute;
export function defineRoute<
  const B extends Schema = undefined,
  const P extends Schema = undefined,
  const Q extends Schema = undefined,
>(spec: PublicRoute<B, P, Q>): AnyRoute;
export function defineRoute(spec: unknown): AnyRoute {
  return spec as AnyRoute;
}

export function accessLabel(access: Access): string {
  return typeof access === 'string' ? access : access.permission;
}
