// <erp-plugin-frame>: the shell's end of the bridge and the error boundary of one third-party
// plugin element (issue 19). It renders the element's sandboxed frame (`allow-scripts allow-forms`:
// an opaque origin, no top navigation, no pop-ups, no modals, no downloads), answers only messages whose source is
// that frame's window and whose shape is the protocol's, performs the frame's API calls with a
// scoped token of that plugin (minted and renewed here with the user's session, never handed to
// the frame), and replaces the frame with an error in its own region when the element throws
// before rendering, stops answering pings (hangs), floods messages or leaves its document.
import type { ErpUiContext } from '@erp/sdk/ui';
import { css, html, LitElement, type PropertyValues } from 'lit';
import { base } from '../ui/styles.js';
import { MessageBudget } from './limiter.js';
import {
  BRIDGE,
  claimsBridge,
  type FrameMessage,
  isFrameMessage,
  type Outgoing,
  type ShellMessage,
} from './protocol.js';
import { ScopedToken } from './scoped-token.js';

export interface FrameEntry {
  plugin: string;
  version: string;
  element: string;
  label: string;
}

const START_MS = 15_000; // from creating the frame to its first render
const PING_MS = 1_000;
const HANG_MS = 4_000; // no pong for this long: the frame's thread is stuck
const MAX_IN_FLIGHT = 16;

export class PluginFrame extends LitElement {
  static override properties = {
    entry: { attribute: false },
    ctx: { attribute: false },
    failure: { state: true },
    warning: { state: true },
    height: { state: true },
  };
  static override styles = [
    base,
    css`
      .frame-host iframe {
        display: block;
        width: 100%;
        height: 100%;
        border: 0;
      }
    `,
  ];
  declare entry: FrameEntry | null;
  declare ctx: ErpUiContext | null;
  /** Fatal: the frame is gone and this says why. */
  declare failure: string;
  /** An error the element reported after it rendered (the frame stays). */
  declare warning: string;
  declare height: number;
  /** Milliseconds from creating the frame to the element's first render (the budget the suite reports). */
  firstRenderMs: number | null = null;

  private frame: HTMLIFrameElement | null = null;
  private token: ScopedToken | null = null;
  private budget = new MessageBudget();
  private inFlight = 0;
  private started = 0;
  private rendered = false;
  private loads = 0;
  private lastPong = 0;
  private pingId = 0;
  private timers: ReturnType<typeof setInterval>[] = [];
  private readonly onMessage = (e: MessageEvent) => this.received(e);

  constructor() {
    super();
    this.entry = null;
    this.ctx = null;
    this.failure = '';
    this.warning = '';
    this.height = 320;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    addEventListener('message', this.onMessage);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    removeEventListener('message', this.onMessage);
    this.stop();
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('entry')) this.start();
    else if (changed.has('ctx') && this.ctx && this.rendered)
      this.post({ type: 'theme', theme: this.ctx.theme });
  }

  private start(): void {
    this.stop();
    this.failure = '';
    this.warning = '';
    this.rendered = false;
    this.loads = 0;
    this.firstRenderMs = null;
    this.budget = new MessageBudget();
    const { entry, ctx } = this;
    if (!entry || !ctx) return;
    this.token = new ScopedToken(ctx.api, entry.plugin);
    const frame = document.createElement('iframe');
    // allow-forms only so a submit event reaches the element's handler (without it the browser
    // drops the submission before the event, and the SDK's forms would not work here); an actual
    // submission is still refused by the frame's CSP (form-action 'none').
    frame.setAttribute('sandbox', 'allow-scripts allow-forms');
    frame.setAttribute('title', `${entry.label} (plugin ${entry.plugin})`);
    frame.setAttribute('referrerpolicy', 'no-referrer');
    frame.src = `/ui-frame/${entry.plugin}/${entry.version}/${entry.element}`;
    frame.addEventListener('load', () => {
      // One document per frame: a second load means the element navigated its frame away.
      if (++this.loads > 1) this.fail('It navigated away from its page and was stopped.');
    });
    this.frame = frame;
    this.started = performance.now();
    this.lastPong = this.started;
    this.renderRoot.querySelector('.frame-host')?.replaceChildren(frame);
    this.timers.push(
      setTimeout(() => {
        if (!this.rendered) this.fail(`It did not render within ${START_MS / 1000} s.`);
      }, START_MS),
      setInterval(() => this.heartbeat(), PING_MS),
    );
  }

  private stop(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers = [];
    this.frame?.remove();
    this.frame = null;
    this.token = null;
  }

  /** The error boundary: the frame goes (and its document with it), the region says why. */
  private fail(reason: string): void {
    if (this.failure) return;
    this.stop();
    this.failure = `${this.entry?.plugin ?? 'The plugin'} stopped: ${reason}`;
    this.dispatchEvent(
      new CustomEvent('plugin-frame-failed', { detail: this.failure, bubbles: true, composed: true }),
    );
  }

  private heartbeat(): void {
    if (!this.frame) return;
    if (this.rendered && performance.now() - this.lastPong > HANG_MS) {
      this.fail(`It stopped responding (no answer for ${HANG_MS / 1000} s).`);
      return;
    }
    this.post({ type: 'ping', id: ++this.pingId });
  }

  private post(m: Outgoing<ShellMessage>): void {
    // The frame's origin is opaque, so no target origin can name it: '*' with the frame's own
    // window as the target, and the frame checks that we are its parent at the kernel's origin.
    this.frame?.contentWindow?.postMessage({ bridge: BRIDGE, ...m }, '*');
  }

  private received(e: MessageEvent): void {
    // Only the frame's own window; anything else posting to the shell (another frame, a
    // window the element opened, the page itself) is not this plugin and is ignored.
    if (!this.frame || e.source !== this.frame.contentWindow || e.origin !== 'null') return;
    if (!this.budget.take()) {
      this.fail('It sent too many messages.');
      return;
    }
    if (!isFrameMessage(e.data)) {
      if (claimsBridge(e.data)) this.fail('It sent a message outside the bridge protocol.');
      return;
    }
    this.handle(e.data);
  }

  private handle(m: FrameMessage): void {
    const ctx = this.ctx!;
    switch (m.type) {
      case 'ready':
        void this.init(ctx);
        break;
      case 'rendered':
        if (!this.rendered) {
          this.rendered = true;
          this.firstRenderMs = Math.round(performance.now() - this.started);
          this.dataset.firstRenderMs = String(this.firstRenderMs);
        }
        break;
      case 'api':
        void this.api(m);
        break;
      case 'navigate':
        ctx.navigate(m.path);
        break;
      case 'notify':
        // Named, so a plugin cannot pass its words off as the shell's.
        ctx.notify(`${this.entry?.plugin}: ${m.message}`, m.kind);
        break;
      case 'resize':
        this.height = Math.max(80, Math.min(4000, m.height));
        break;
      case 'error':
        if (!this.rendered) this.fail(`It failed: ${m.message}`);
        else this.warning = `${this.entry?.plugin} reported an error: ${m.message}`;
        break;
      case 'pong':
        this.lastPong = performance.now();
        break;
    }
  }

  private async init(ctx: ErpUiContext): Promise<void> {
    try {
      const permissions = await this.token!.permissions();
      this.post({
        type: 'init',
        tenant: ctx.tenant,
        user: { id: ctx.user.id, email: ctx.user.email },
        permissions: [...permissions],
        theme: { scheme: ctx.theme.scheme, tokens: { ...ctx.theme.tokens } },
      });
    } catch (err) {
      this.fail(`Its access could not be set up: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private async api(m: Extract<FrameMessage, { type: 'api' }>): Promise<void> {
    const token = this.token;
    if (!token) return;
    if (this.inFlight >= MAX_IN_FLIGHT) {
      this.post({ type: 'api-failed', id: m.id, message: `more than ${MAX_IN_FLIGHT} calls at once` });
      return;
    }
    this.inFlight += 1;
    try {
      const res = await token.fetch(m.path, m.method, m.body);
      const body = res.status === 204 ? null : await res.text();
      if (this.token === token)
        this.post({
          type: 'api-result',
          id: m.id,
          status: res.status,
          contentType: res.headers.get('content-type'),
          body,
        });
    } catch (err) {
      if (this.token === token)
        this.post({
          type: 'api-failed',
          id: m.id,
          message: err instanceof Error ? err.message : String(err),
        });
    } finally {
      this.inFlight -= 1;
    }
  }

  override render() {
    if (this.failure)
      return html`<p class="error" role="alert" data-testid="plugin-frame-error">${this.failure}</p>`;
    return html`
      ${this.warning ? html`<p class="error" role="alert">${this.warning}</p>` : ''}
      <div class="frame-host" style="height: ${this.height}px"></div>
    `;
  }
}

customElements.define('erp-plugin-frame', PluginFrame);
