// Fastify type augmentation: the principal on the request, the access rule in route config and
// the list of mounted routes.
import type { FastifySchema } from 'fastify';
import type { Principal } from '../principal/index.js';
import type { Access } from './route.js';

/** A route as fastify mounted it (HEAD twins of GET routes included). */
export interface RegisteredRoute {
  method: string;
  url: string;
  access: Access | undefined;
  schema: FastifySchema;
}

declare module 'fastify' {
  interface FastifyInstance {
    readonly registeredRoutes: readonly RegisteredRoute[];
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    access?: Access;
  }
}
