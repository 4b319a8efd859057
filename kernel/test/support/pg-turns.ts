// A TCP proxy in front of PostgreSQL that counts round trips per connection by reading the wire
// protocol, for tests that must not regress on how many times a request waits for the database.
// A round trip (a "turn") starts when a client that has nothing in flight sends a message, and ends
// when every Query/Sync it sent has been answered with ReadyForQuery: statements written together
// (pipelined) are one turn, however many of them there are. Connections are told apart by the
// application_name of their startup message (the kernel's request pool is 'erp-kernel').
import net from 'node:net';

interface Conn {
  application: string;
  turns: number;
  /** Query ('Q') and Sync ('S') messages not yet answered by ReadyForQuery ('Z'). */
  outstanding: number;
  open: boolean;
  ready: boolean;
}

/** Splits a byte stream into protocol messages (type byte + int32 length), keeping partial ones. */
function messages(onMessage: (type: number, body: Buffer) => void, startup: () => boolean) {
  let pending: Buffer = Buffer.alloc(0);
  return (chunk: Buffer) => {
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    for (;;) {
      // Startup-phase client messages (StartupMessage, SSLRequest) have no type byte.
      const typed = !startup();
      const head = typed ? 5 : 4;
      if (pending.length < head) return;
      const len = pending.readInt32BE(typed ? 1 : 0);
      const total = (typed ? 1 : 0) + len;
      if (pending.length < total) return;
      onMessage(typed ? pending[0]! : 0, pending.subarray(typed ? 5 : 4, total));
      pending = pending.subarray(total);
    }
  };
}

export class TurnCounter {
  private readonly conns = new Set<Conn>();
  private server?: net.Server;
  url = '';

  constructor(private readonly target: string) {}

  async start(): Promise<string> {
    const t = new URL(this.target);
    this.server = net.createServer((client) => {
      const conn: Conn = { application: '', turns: 0, outstanding: 0, open: false, ready: false };
      this.conns.add(conn);
      let inStartup = true;
      // An SSLRequest is answered by one unframed byte ('N' here: these tests connect without TLS).
      let sslAnswer = false;
      const upstream = net.connect(Number(t.port || 5432), t.hostname);
      const fromClient = messages(
        (type, body) => {
          if (type === 0) {
            const code = body.readInt32BE(0);
            if (code === 80877103) sslAnswer = true;
            if (code === 196608) {
              inStartup = false;
              const pairs = body.subarray(4).toString('utf8').split('\0');
              for (let i = 0; i + 1 < pairs.length; i += 2)
                if (pairs[i] === 'application_name') conn.application = pairs[i + 1]!;
            }
            return;
          }
          if (!conn.ready) return;
          if (conn.outstanding === 0 && !conn.open) {
            conn.turns++;
            conn.open = true;
          }
          if (type === 0x51 /* Q */ || type === 0x53 /* S */) conn.outstanding++;
        },
        () => inStartup,
      );
      const fromServer = messages(
        (type) => {
          if (type !== 0x5a /* Z */) return;
          if (!conn.ready) {
            conn.ready = true;
            return;
          }
          conn.outstanding = Math.max(0, conn.outstanding - 1);
          if (conn.outstanding === 0) conn.open = false;
        },
        () => false,
      );
      client.on('data', (chunk) => {
        fromClient(chunk);
        upstream.write(chunk);
      });
      upstream.on('data', (chunk) => {
        if (sslAnswer && chunk.length) {
          sslAnswer = false;
          fromServer(chunk.subarray(1));
        } else fromServer(chunk);
        client.write(chunk);
      });
      const close = () => {
        client.destroy();
        upstream.destroy();
      };
      client.on('error', close).on('close', close);
      upstream.on('error', close).on('close', close);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const port = (this.server.address() as net.AddressInfo).port;
    const u = new URL(this.target);
    u.hostname = '127.0.0.1';
    u.port = String(port);
    this.url = u.toString();
    return this.url;
  }

  /** Round trips so far on the connections of one application_name. */
  turns(application: string): number {
    let n = 0;
    for (const c of this.conns) if (c.application === application) n += c.turns;
    return n;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}
