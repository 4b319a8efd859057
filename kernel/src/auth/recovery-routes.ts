// Account recovery by the user: password reset through a one-time link mailed to them (public).
// An administrator's reset of another user's password or second factor is an IAM action on a
// user and lives with the others (kernel/src/iam/credential-routes.ts: one dominance rule).
import type { FastifyRequest } from 'fastify';
import { defineRoute } from '../http/index.js';
import type { PasswordResets } from './password-reset.js';

interface RecoveryCradle {
  passwordResets: PasswordResets;
}

const email = { type: 'string', format: 'email', maxLength: 254 } as const;

const resetRequestBody = {
  type: 'object',
  additionalProperties: false,
  required: ['tenant', 'email'],
  properties: {
    tenant: { type: 'string', minLength: 2, maxLength: 63, pattern: '^[a-z0-9][a-z0-9-]*$' },
    email,
  },
} as const;

const resetConfirmBody = {
  type: 'object',
  additionalProperties: false,
  required: ['token', 'newPassword'],
  properties: {
    token: { type: 'string', minLength: 10, maxLength: 200 },
    newPassword: { type: 'string', minLength: 1, maxLength: 256 },
  },
} as const;

const accepted = {
  type: 'object',
  required: ['detail'],
  properties: { detail: { type: 'string' } },
} as const;

const meta = (request: FastifyRequest) => ({ ip: request.ip, requestId: String(request.id) });

export const recoveryRoutes = [
  defineRoute({
    method: 'POST',
    url: '/api/v1/auth/password-reset',
    access: 'public',
    summary: 'Ask for a password-reset link by mail (always 202, whether or not the account exists)',
    tags: ['auth'],
    body: resetRequestBody,
    response: accepted,
    status: 202,
    handler: async ({ body, scope, request }) => {
      await (scope.cradle as RecoveryCradle).passwordResets.request(body, meta(request));
      return { detail: 'If the account exists, a reset link is on its way.' };
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/auth/password-reset/confirm',
    access: 'public',
    summary: 'Set a new password with the token of a reset link; every session of the user ends',
    tags: ['auth'],
    body: resetConfirmBody,
    status: 204,
    handler: async ({ body, scope, request }) =>
      (scope.cradle as RecoveryCradle).passwordResets.confirm(body, meta(request)),
  }),
];
