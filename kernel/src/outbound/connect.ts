// Opens the socket for one outbound request to an address that resolve.ts already checked. The host
// name stays the one in the URL (TLS SNI and certificate check use it; the Host header is set from
// the URL), but the socket's DNS lookup is replaced by one that only answers the checked addresses.
import type { LookupAddress, LookupOptions } from 'node:dns';
import * as net from 'node:net';
import * as tls from 'node:tls';
import type { ResolvedAddress } from './resolve.js';

export interface ConnectOptions {
  /** The URL's host name, or the IP literal itself. */
  host: string;
  port: number;
  tls: boolean;
  /** Answers only the checked addresses: the name is never looked up again. */
  lookup: net.LookupFunction;
}

/** Opens the socket; injectable so tests can observe that a refused call never connects. */
export type Connector = (options: ConnectOptions) => net.Socket;

export const systemConnector: Connector = ({ host, port, tls: secure, lookup }) =>
  secure
    ? tls.connect({
        host,
        port,
        lookup,
        // SNI carries names only (RFC 6066); an IP literal is checked against the certificate's IP SANs.
        ...(net.isIP(host) ? {} : { servername: host }),
        ALPNProtocols: ['http/1.1'],
      })
    : net.connect({ host, port, lookup });

export function pinnedLookup(addresses: readonly ResolvedAddress[]): net.LookupFunction {
  return ((
    _hostname: string,
    options: LookupOptions,
    callback: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
  ) => {
    const wanted = options.family === 4 || options.family === 6 ? options.family : 0;
    const usable = addresses.filter((a) => !wanted || a.family === wanted);
    if (options.all) {
      callback(
        null,
        usable.map((a) => ({ address: a.address, family: a.family })),
      );
      return;
    }
    const first = usable[0];
    if (!first) {
      const err: NodeJS.ErrnoException = new Error(`no checked IPv${wanted} address`);
      err.code = 'ENOTFOUND';
      callback(err, '', 0);
      return;
    }
    callback(null, first.address, first.family);
  }) as net.LookupFunction;
}
