// The little HTTP the registry layer needs on top of the express app verdaccio hands its plugins.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { MarketplaceError } from '../errors.js';

/** What verdaccio's express app and its auth middleware put on a request. */
export interface RegistryRequest extends IncomingMessage {
  remote_user?: { name?: string | null };
  params: Record<string, string | undefined>;
  query: Record<string, unknown>;
  body?: unknown;
  /** body-parser's "already parsed" flag: verdaccio's own JSON parser then leaves the body alone. */
  _body?: boolean;
}

export type Next = (error?: unknown) => void;
export type Handler = (req: RegistryRequest, res: ServerResponse, next: Next) => void;

export interface ExpressApp {
  get(path: string, handler: Handler): void;
  put(path: string, handler: Handler): void;
  post(path: string, handler: Handler): void;
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  type = 'application/json',
): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('content-type', `${type}; charset=utf-8`);
  res.setHeader('content-length', Buffer.byteLength(text));
  res.end(text);
}

export function sendError(res: ServerResponse, error: unknown): void {
  const problem =
    error instanceof MarketplaceError
      ? error
      : new MarketplaceError('registry_internal', 'the registry layer failed', 500);
  sendJson(res, problem.status, problem.toProblem(), 'application/problem+json');
}

/** Runs an async handler, answering problem+json for any failure. */
export function handle(
  fn: (req: RegistryRequest, res: ServerResponse, next: Next) => Promise<void>,
): Handler {
  return (req, res, next) => {
    fn(req, res, next).catch((error: unknown) => sendError(res, error));
  };
}

export async function readJsonBody(req: RegistryRequest, limitBytes: number): Promise<unknown> {
  if (req._body) return req.body;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limitBytes)
      throw new MarketplaceError('body_too_large', `request body: larger than ${limitBytes} bytes`, 413);
    chunks.push(chunk as Buffer);
  }
  let body: unknown;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new MarketplaceError('body_invalid', 'request body: not JSON');
  }
  req.body = body;
  req._body = true;
  return body;
}

export function userOf(req: RegistryRequest): string | undefined {
  const name = req.remote_user?.name;
  return typeof name === 'string' && name !== '' ? name : undefined;
}
