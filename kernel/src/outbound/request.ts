// Sends one HTTP/1.1 request over a pinned connection and streams the answer: the body is counted
// as it arrives and the connection is destroyed the moment it passes the limit, so at most `limit`
// bytes are ever held. Redirects are not followed: a 3xx comes back to the caller with its Location.
import * as http from 'node:http';
import * as https from 'node:https';
import type { Socket } from 'node:net';
import type { Problem } from '../http/index.js';
import { type Connector, pinnedLookup } from './connect.js';
import { requestInvalid, timedOut, tooLarge, unreachable } from './problems.js';
import type { ResolvedAddress } from './resolve.js';

export interface OutboundInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface OutboundResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface RequestPlan {
  url: URL;
  /** The host to open the socket to: the URL's name, or the bare IP literal. */
  connectHost: string;
  addresses: readonly ResolvedAddress[];
  connect: Connector;
  connectTimeoutMs: number;
  maxBodyBytes: number;
  /** Aborted with the total-timeout problem when the whole call runs out of time. */
  signal: AbortSignal;
}

const flattenHeaders = (headers: http.IncomingHttpHeaders): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
};

/** The caller's headers, minus Host: the Host header always names the URL's host. */
const requestHeaders = (url: URL, init: OutboundInit) => {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(init.headers ?? {})) {
    if (name.toLowerCase() !== 'host') headers[name] = value;
  }
  headers.host = url.host;
  if (init.body !== undefined) headers['content-length'] = String(Buffer.byteLength(init.body));
  return headers;
};

export function sendRequest(plan: RequestPlan, init: OutboundInit): Promise<OutboundResponse> {
  const { url, signal, maxBodyBytes } = plan;
  const secure = url.protocol === 'https:';
  const port = url.port ? Number(url.port) : secure ? 443 : 80;
  return new Promise((resolve, reject) => {
    let settled = false;
    let req: http.ClientRequest | undefined;
    let socket: Socket | undefined;
    const settle = (problem: Problem | null, value?: OutboundResponse) => {
      if (settled) return;
      settled = true;
      clearTimeout(connectTimer);
      signal.removeEventListener('abort', onAbort);
      if (problem) {
        // Closing the socket is what tells the server to stop sending.
        req?.destroy();
        socket?.destroy();
        reject(problem);
      } else resolve(value!);
    };
    const onAbort = () => settle(signal.reason as Problem);
    const connectTimer = setTimeout(
      () => settle(timedOut(url.host, 'connect', plan.connectTimeoutMs)),
      plan.connectTimeoutMs,
    );
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });

    const createConnection = (): Socket => {
      const opened = plan.connect({
        host: plan.connectHost,
        port,
        tls: secure,
        lookup: pinnedLookup(plan.addresses),
      });
      opened.once(secure ? 'secureConnect' : 'connect', () => clearTimeout(connectTimer));
      socket = opened;
      return opened;
    };
    const options: http.RequestOptions = {
      method: init.method ?? 'GET',
      host: plan.connectHost,
      port,
      path: `${url.pathname}${url.search}`,
      headers: requestHeaders(url, init),
      // No agent: every call gets its own socket, opened by createConnection on the pinned address.
      createConnection,
    };
    try {
      req = secure ? https.request(options) : http.request(options);
    } catch (err) {
      // Node refuses a bad method or a header with control characters before anything is sent.
      return settle(requestInvalid(url.host, (err as Error).message));
    }
    req.on('error', (err) => settle(unreachable(url.host, err.message)));
    req.on('response', (res) => {
      // A HEAD answer announces the length of a body it does not send.
      const declared = options.method === 'HEAD' ? 0 : Number(res.headers['content-length']);
      if (Number.isFinite(declared) && declared > maxBodyBytes) {
        settle(tooLarge(url.host, maxBodyBytes));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBodyBytes) settle(tooLarge(url.host, maxBodyBytes));
        else chunks.push(chunk);
      });
      res.on('end', () =>
        settle(null, {
          status: res.statusCode ?? 0,
          headers: flattenHeaders(res.headers),
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
      res.on('error', (err) => settle(unreachable(url.host, err.message)));
      res.on('close', () => settle(unreachable(url.host, 'connection closed before the body was complete')));
    });
    req.end(init.body);
  });
}
