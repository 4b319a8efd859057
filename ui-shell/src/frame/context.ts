// The ErpUiContext inside the frame: the same object a first-party element gets in the shell's
// page (so @erp/sdk/ui's ErpPluginElement, callApi and friends work unchanged), backed by the
// bridge. `api` returns a real Response built from the shell's answer; the element never sees a
// token. Lit elements that consume the context get it through the context protocol's
// `context-request` event, answered here at the document (no @lit/context needed for that).
import type { ErpUiContext } from '@erp/sdk/ui';
import type { ShellMessage } from '../bridge/protocol.js';
import type { ShellChannel } from './channel.js';

type Init = Extract<ShellMessage, { type: 'init' }>;
type Pending = { resolve(r: Response): void; reject(e: Error): void };

const ERP_UI_CONTEXT = 'erp-ui-context'; // @erp/sdk/ui's key (a plain string on purpose)
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

export class FrameContext {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly subscribers = new Set<(ctx: ErpUiContext, unsubscribe?: () => void) => void>();
  ctx: ErpUiContext | null = null;

  constructor(private readonly channel: ShellChannel) {
    channel.on((m) => this.received(m));
    document.addEventListener('context-request', (e) => {
      const req = e as Event & {
        context: unknown;
        subscribe?: boolean;
        callback(ctx: ErpUiContext, unsubscribe?: () => void): void;
      };
      if (req.context !== ERP_UI_CONTEXT || !this.ctx) return;
      e.stopPropagation();
      if (req.subscribe) {
        const cb = req.callback;
        this.subscribers.add(cb);
        cb(this.ctx, () => this.subscribers.delete(cb));
      } else req.callback(this.ctx);
    });
  }

  private received(m: ShellMessage): void {
    if (m.type === 'init') this.init(m);
    else if (m.type === 'theme' && this.ctx) {
      this.ctx = { ...this.ctx, theme: m.theme };
      applyTheme(m.theme);
      for (const cb of this.subscribers) cb(this.ctx);
    } else if (m.type === 'api-result') {
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      const noBody = m.status === 204 || m.status === 304;
      p?.resolve(
        new Response(noBody ? null : m.body, {
          status: m.status,
          headers: m.contentType ? { 'content-type': m.contentType } : {},
        }),
      );
    } else if (m.type === 'api-failed') {
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      p?.reject(new TypeError(m.message));
    } else if (m.type === 'ping') this.channel.send({ type: 'pong', id: m.id });
  }

  private init(m: Init): void {
    applyTheme(m.theme);
    this.ctx = {
      api: (path, init) => this.call(path, init),
      tenant: m.tenant,
      user: m.user,
      permissions: m.permissions,
      theme: m.theme,
      navigate: (path) => this.channel.send({ type: 'navigate', path }),
      notify: (message, kind = 'info') => this.channel.send({ type: 'notify', message, kind }),
    };
  }

  /** fetch's signature, over the bridge: relative /api/v1/ paths, a JSON or empty body. */
  private async call(path: string, init: RequestInit = {}): Promise<Response> {
    if (!path.startsWith('/api/v1/')) throw new TypeError('api() takes a path on the kernel API (/api/v1/…)');
    const method = (init.method ?? 'GET').toUpperCase() as (typeof METHODS)[number];
    if (!METHODS.includes(method)) throw new TypeError(`method ${method} is not offered by the bridge`);
    if (init.body !== undefined && init.body !== null && typeof init.body !== 'string')
      throw new TypeError('the bridge carries string (JSON) bodies only');
    const id = this.nextId++;
    const answer = new Promise<Response>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    this.channel.send({
      type: 'api',
      id,
      method,
      path,
      ...(typeof init.body === 'string' ? { body: init.body, contentType: 'application/json' as const } : {}),
    });
    return answer;
  }
}

function applyTheme(theme: ErpUiContext['theme']): void {
  const root = document.documentElement;
  for (const [k, v] of Object.entries(theme.tokens)) root.style.setProperty(k, v);
  root.style.colorScheme = theme.scheme;
  document.body.style.margin = '0';
  document.body.style.background = 'var(--erp-bg)';
  document.body.style.color = 'var(--erp-fg)';
}
