// The frame's end of the bridge: it posts only to the kernel's origin (where the shell lives) and
// accepts only messages from its parent window at that origin that match the protocol's schema.
import {
  BRIDGE,
  type FrameMessage,
  isShellMessage,
  type Outgoing,
  type ShellMessage,
} from '../bridge/protocol.js';

export class ShellChannel {
  /** The kernel's origin: the frame's own URL's (the document itself has an opaque origin). */
  readonly origin = new URL(document.URL).origin;
  private readonly handlers: ((m: ShellMessage) => void)[] = [];

  constructor() {
    addEventListener('message', (e) => {
      if (e.source !== parent || e.origin !== this.origin) return;
      if (!isShellMessage(e.data)) {
        console.warn('erp bridge: a message from the shell did not match the protocol', e.data);
        return;
      }
      for (const h of this.handlers) h(e.data);
    });
  }

  on(handler: (m: ShellMessage) => void): void {
    this.handlers.push(handler);
  }

  send(m: Outgoing<FrameMessage>): void {
    parent.postMessage({ bridge: BRIDGE, ...m }, this.origin);
  }
}
