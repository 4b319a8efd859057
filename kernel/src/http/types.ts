// Fastify type augmentation: the principal on the request and the access rule in route config.
import type { Principal } from '../auth/index.js';
import type { Access } from './route.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    access?: Access;
  }
}
