// The runtime of a third-party plugin's sandboxed frame (issue 19), served by the kernel in
// /ui-frame/<plugin>/<version>/<element> under a CSP that allows only this file, its chunks and
// the plugin version's own files. It waits for the shell's `init`, imports the plugin's module,
// creates the element with the bridge-backed context (as the shell does in its own page), and
// tells the shell when it has rendered, how tall it is, and about any uncaught error.
import type { ErpElement } from '@erp/sdk/ui';
import { ShellChannel } from './channel.js';
import { FrameContext } from './context.js';

const { module, element, plugin } = document.documentElement.dataset;
const channel = new ShellChannel();
const context = new FrameContext(channel);

const report = (err: unknown) =>
  channel.send({ type: 'error', message: String(err instanceof Error ? err.message : err).slice(0, 1000) });
addEventListener('error', (e) => report(e.error ?? e.message));
addEventListener('unhandledrejection', (e) => report(e.reason));

let mounted = false;
channel.on(async (m) => {
  if (m.type !== 'init' || mounted || !module || !element || !context.ctx) return;
  mounted = true;
  try {
    document.title = `${plugin ?? 'Plugin'}: ${element}`;
    await import(/* @vite-ignore */ module);
    await Promise.race([
      customElements.whenDefined(element),
      new Promise((_, reject) =>
        setTimeout(() => reject(new Error(`${module} did not define <${element}>`)), 10_000),
      ),
    ]);
    const el = document.createElement(element) as HTMLElement &
      ErpElement & { updateComplete?: Promise<unknown> };
    el.erp = context.ctx;
    el.api = context.ctx.api;
    document.querySelector('main')?.append(el);
    await el.updateComplete;
    channel.send({ type: 'rendered' });
    let queued = false;
    new ResizeObserver(() => {
      if (queued) return;
      queued = true;
      requestAnimationFrame(() => {
        queued = false;
        channel.send({ type: 'resize', height: Math.ceil(document.documentElement.scrollHeight) });
      });
    }).observe(document.body);
  } catch (err) {
    report(err);
  }
});
channel.send({ type: 'ready' });
