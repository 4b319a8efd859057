// The message protocol between the shell and a third-party plugin's sandboxed frame (issue 19).
// Every message in either direction is one of these JSON schemas, checked on arrival by both
// sides with @cfworker/json-schema (it interprets the schema: no eval, so it runs under the
// frame's CSP), after the sender's window and origin were checked. The TypeScript types come from
// the same schemas (json-schema-to-ts), so the protocol is written once.
import { Validator } from '@cfworker/json-schema';
import type { FromSchema } from 'json-schema-to-ts';

/** Marks our messages apart from anything else posted to the window (a browser extension's). */
export const BRIDGE = 'erp-bridge/1';

const id = { type: 'integer', minimum: 0, maximum: 1e9 } as const;
const bridge = { const: BRIDGE } as const;

const theme = {
  type: 'object',
  additionalProperties: false,
  required: ['scheme', 'tokens'],
  properties: {
    scheme: { enum: ['light', 'dark'] },
    tokens: {
      type: 'object',
      maxProperties: 50,
      propertyNames: { pattern: '^--erp-[a-z0-9-]{1,40}$' },
      additionalProperties: { type: 'string', maxLength: 200 },
    },
  },
} as const;

/** What the frame may send the shell. */
export const frameMessage = {
  oneOf: [
    {
      type: 'object',
      additionalProperties: false,
      required: ['bridge', 'type'],
      properties: { bridge, type: { enum: ['ready', 'rendered'] } },
    },
    {
      type: 'object',
      additionalProperties: false,
      required: ['bridge', 'type', 'id', 'method', 'path'],
      properties: {
        bridge,
        type: { const: 'api' },
        id,
        method: { enum: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] },
        // A path on the kernel's API; the server decides what the plugin's token may reach.
        path: { type: 'string', maxLength: 2000, pattern: '^/api/v1/[^\\\\\\s]*$' },
        contentType: { const: 'application/json' },
        body: { type: 'string', maxLength: 1_000_000 },
      },
    },
    {
      type: 'object',
      additionalProperties: false,
      required: ['bridge', 'type', 'path'],
      properties: {
        bridge,
        type: { const: 'navigate' },
        path: { type: 'string', maxLength: 300, pattern: '^/([A-Za-z0-9_-][A-Za-z0-9/_-]*)?$' },
      },
    },
    {
      type: 'object',
      additionalProperties: false,
      required: ['bridge', 'type', 'message', 'kind'],
      properties: {
        bridge,
        type: { const: 'notify' },
        message: { type: 'string', minLength: 1, maxLength: 500 },
        kind: { enum: ['info', 'success', 'error'] },
      },
    },
    {
      type: 'object',
      additionalProperties: false,
      required: ['bridge', 'type', 'height'],
      properties: {
        bridge,
        type: { const: 'resize' },
        height: { type: 'number', minimum: 0, maximum: 100_000 },
      },
    },
    {
      type: 'object',
      additionalProperties: false,
      required: ['bridge', 'type', 'message'],
      properties: { bridge, type: { const: 'error' }, message: { type: 'string', maxLength: 1000 } },
    },
    {
      type: 'object',
      additionalProperties: false,
      required: ['bridge', 'type', 'id'],
      properties: { bridge, type: { const: 'pong' }, id },
    },
  ],
} as const;

/** What the shell sends the frame. */
export const shellMessage = {
  oneOf: [
    {
      type: 'object',
      additionalProperties: false,
      required: ['bridge', 'type', 'tenant', 'user', 'permissions', 'theme'],
      properties: {
        bridge,
        type: { const: 'init' },
        tenant: {
          type: 'object',
          additionalProperties: false,
          required: ['id', 'name'],
          properties: { id: { type: 'string' }, name: { type: 'string' } },
        },
        user: {
          type: 'object',
          additionalProperties: false,
          required: ['id', 'email'],
          properties: { id: { type: 'string' }, email: { type: 'string' } },
        },
        permissions: { type: 'array', maxItems: 500, items: { type: 'string', maxLength: 200 } },
        theme,
      },
    },
    {
      type: 'object',
      additionalProperties: false,
      required: ['bridge', 'type', 'theme'],
      properties: { bridge, type: { const: 'theme' }, theme },
    },
    {
      type: 'object',
      additionalProperties: false,
      required: ['bridge', 'type', 'id', 'status', 'contentType', 'body'],
      properties: {
        bridge,
        type: { const: 'api-result' },
        id,
        status: { type: 'integer', minimum: 100, maximum: 599 },
        contentType: { type: ['string', 'null'], maxLength: 200 },
        body: { type: ['string', 'null'] },
      },
    },
    {
      type: 'object',
      additionalProperties: false,
      required: ['bridge', 'type', 'id', 'message'],
      properties: { bridge, type: { const: 'api-failed' }, id, message: { type: 'string', maxLength: 1000 } },
    },
    {
      type: 'object',
      additionalProperties: false,
      required: ['bridge', 'type', 'id'],
      properties: { bridge, type: { const: 'ping' }, id },
    },
  ],
} as const;

export type FrameMessage = FromSchema<typeof frameMessage>;
export type ShellMessage = FromSchema<typeof shellMessage>;
/** A message without its `bridge` marker (the sender adds it). */
export type Outgoing<M> = M extends unknown ? Omit<M, 'bridge'> : never;

function checker<T>(schema: object): (data: unknown) => data is T {
  const v = new Validator(schema as never, '2020-12', true);
  return (data: unknown): data is T => v.validate(data).valid;
}

export const isFrameMessage = checker<FrameMessage>(frameMessage);
export const isShellMessage = checker<ShellMessage>(shellMessage);

/** Whether a message claims to be ours (then it must also be valid, or it is a violation). */
export const claimsBridge = (data: unknown): boolean =>
  typeof data === 'object' && data !== null && (data as { bridge?: unknown }).bridge === BRIDGE;
