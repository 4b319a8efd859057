// Keeps the UI manifest current. The kernel's event stream (GET /api/v1/ui/events) says when the
// tenant's plugins or roles changed, whichever kernel instance made the change; the tabs of this
// browser also tell each other at once over a BroadcastChannel (a tab that made a change does not
// wait for the round trip, and a tab whose stream is reconnecting still hears it). The stream is
// read with fetch, not EventSource, so the access token travels in a header and never in a URL.
import type { Session } from './session.js';

const CHANNEL = 'erp-shell';

export type LiveMessage = { type: 'manifest-changed'; reason: string } | { type: 'signed-out' };

export class Live {
  private readonly channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(CHANNEL) : null;
  private abort: AbortController | null = null;
  private retry = 1000;

  constructor(
    private readonly session: Session,
    private readonly onMessage: (m: LiveMessage) => void,
  ) {
    if (this.channel) this.channel.onmessage = (e: MessageEvent<LiveMessage>) => this.onMessage(e.data);
  }

  /** Tells the other tabs (this one acts on its own change directly). */
  tell(message: LiveMessage): void {
    this.channel?.postMessage(message);
  }

  start(): void {
    if (this.abort) return;
    this.abort = new AbortController();
    void this.run(this.abort.signal);
  }

  stop(): void {
    this.abort?.abort();
    this.abort = null;
  }

  private async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted && this.session.signedIn) {
      try {
        const res = await this.session.api('/api/v1/ui/events', {
          signal,
          headers: { accept: 'text/event-stream' },
        });
        if (!res.ok || !res.body) throw new Error(`event stream answered ${res.status}`);
        this.retry = 1000;
        await this.read(res.body, signal);
      } catch {
        if (signal.aborted) return;
      }
      // The stream ended (token lifetime, kernel restart, network): reconnect, gently.
      await new Promise((r) => setTimeout(r, this.retry));
      this.retry = Math.min(this.retry * 2, 30_000);
    }
  }

  private async read(body: ReadableStream<Uint8Array>, signal: AbortSignal): Promise<void> {
    const reader = body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    while (!signal.aborted) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let end = buffer.indexOf('\n\n');
      while (end >= 0) {
        this.dispatch(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
        end = buffer.indexOf('\n\n');
      }
    }
  }

  private dispatch(block: string): void {
    let event = 'message';
    let data = '';
    for (const line of block.split('\n')) {
      if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) data += line.slice(5).trim();
    }
    // 'ready' also counts: changes made while the stream was down are picked up on reconnect.
    if (event === 'ui-manifest-changed' || event === 'ready') {
      let reason = event;
      try {
        reason = (JSON.parse(data) as { reason?: string }).reason ?? event;
      } catch {
        /* no data: the reason stays the event name */
      }
      this.onMessage({ type: 'manifest-changed', reason });
    }
  }
}
