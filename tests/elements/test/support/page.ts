// A page at the kernel's origin that plays the shell's part: it loads each plugin's module from the
// URL the UI manifest gives, provides an ErpUiContext through the @lit/context protocol (answering
// `context-request` events for 'erp-ui-context', as the shell's provider does) with an api that
// calls the real kernel with a real token, and mounts one element at a time.
import type { Browser, Page } from 'playwright-core';

export interface Me {
  tenantId: string;
  userId: string;
  email: string;
  permissions: string[];
}

export async function shellPage(browser: Browser, origin: string, token: string, me: Me, modules: string[]) {
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Plugin elements</title></head>
<body><main id="host"></main><div id="bare"></div>
<script type="module">
  const token = ${JSON.stringify(token)};
  const me = ${JSON.stringify(me)};
  const api = (path, init = {}) =>
    fetch(path, { ...init, headers: { ...(init.headers ?? {}), authorization: 'Bearer ' + token } });
  window.notes = [];
  const context = (permissions) => ({
    api,
    tenant: { id: me.tenantId, name: 'Test tenant' },
    user: { id: me.userId, email: me.email },
    permissions,
    theme: { scheme: 'light', tokens: {} },
    navigate: (path) => window.notes.push({ navigate: path }),
    notify: (message, kind) => window.notes.push({ message, kind }),
  });
  const ctx = context(me.permissions);
  const host = document.getElementById('host');
  host.addEventListener('context-request', (e) => {
    if (e.context !== 'erp-ui-context') return;
    e.stopPropagation();
    e.callback(ctx);
  });
  await Promise.all(${JSON.stringify(modules)}.map((m) => import(m)));
  // how: 'context' (the provider only), 'property' (el.erp and el.api, as the shell also sets),
  // 'api' (only el.api, as elements written before the context were given).
  window.mountElement = (tag, attrs = {}, how = 'context', permissions) => {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
    if (how === 'property') { el.erp = context(permissions ?? me.permissions); el.api = api; }
    if (how === 'api') el.api = api;
    // Given by property, the element sits outside the provider, so only the property reaches it.
    host.replaceChildren();
    document.getElementById('bare').replaceChildren();
    (how === 'property' ? document.getElementById('bare') : host).append(el);
    return el;
  };
  window.ready = true;
</script></body></html>`;
  await page.route(`${origin}/elements-test`, (route) =>
    route.fulfill({ status: 200, contentType: 'text/html', body: html }),
  );
  await page.goto(`${origin}/elements-test`);
  await page.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true);
  return { page, errors };
}

export async function mountElement(
  page: Page,
  tag: string,
  attrs: Record<string, string> = {},
  how: 'context' | 'property' | 'api' = 'context',
  permissions?: string[],
) {
  await page.evaluate(
    ([t, a, h, p]) =>
      (window as unknown as { mountElement: (...x: unknown[]) => void }).mountElement(
        t,
        a,
        h,
        p ?? undefined,
      ),
    [tag, attrs, how, permissions ?? null] as const,
  );
  return page.locator(tag);
}
