// Headless Chromium on a minimal page served at the kernel's origin: the page loads the plugin's
// UI module from the URL the UI manifest gives, creates an element, and hands it an `api` that
// adds the bearer token — what the shell will do.
import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);

export async function launch(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** Opens a page at `${origin}/ui-test` whose script mounts `tag` with `attributes`. */
export async function mount(
  browser: Browser,
  origin: string,
  token: string,
  module: string,
  tag: string,
  attributes: Record<string, string>,
) {
  const page = await browser.newPage();
  const html = `<!doctype html><html><body>
<script type="module">
  import ${JSON.stringify(module)};
  const api = (path, init = {}) =>
    fetch(path, { ...init, headers: { ...(init.headers ?? {}), authorization: ${JSON.stringify(`Bearer ${token}`)} } });
  const el = document.createElement(${JSON.stringify(tag)});
  for (const [k, v] of Object.entries(${JSON.stringify(attributes)})) el.setAttribute(k, v);
  document.body.append(el);
  el.api = api;
</script></body></html>`;
  await page.route(`${origin}/ui-test`, (route) =>
    route.fulfill({ status: 200, contentType: 'text/html', body: html }),
  );
  await page.goto(`${origin}/ui-test`);
  return page;
}
