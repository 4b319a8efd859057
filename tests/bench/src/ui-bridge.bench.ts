// Issue 19's benchmark: what the bridge costs a third-party plugin element per API call. In one
// headless Chromium page signed in to the real shell, the same kernel route (a third-party plugin's
// GET /items, served through the sandbox) is called N times in a row, alternating between
//   direct: fetch from the shell's page with the frame's scoped token (what a first-party element's
//           call costs, with the same token checks on the server), and
//   bridge: the element inside its sandboxed frame calling ctx.api: postMessage to the shell,
//           schema checks on both sides, the shell's fetch with the scoped token, the answer back.
// Reported: milliseconds per call (median of the runs), the ratio bridge / direct and the bridge's
// overhead per call in microseconds. Printed, never asserted: only errors fail the run.
//
// Environment: DATABASE_URL (else an embedded cluster), BENCH_CALLS (300 per run), BENCH_RUNS (5).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scaffoldFiles } from '@erp/sdk/scaffold';
import { chromium, type Frame, type Page } from 'playwright-core';
import { benchCluster, scratchDatabase } from './support/database.js';
import { ADMIN_PASSWORD, startBenchKernel } from './support/kernel.js';
import { type Cell, writeReport } from './support/report.js';
import { round } from './support/stats.js';

const int = (name: string, fallback: number) => {
  const v = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(v) || v < 1) throw new Error(`${name} must be a positive integer`);
  return v;
};
const calls = int('BENCH_CALLS', 300);
const runs = int('BENCH_RUNS', 5);
const SHELL = fileURLToPath(new URL('../../../ui-shell/', import.meta.url));
const ROUTE = '/api/v1/p/bridged/items';

// The element: no UI to speak of, it only holds the context the frame runtime hands it.
const ELEMENT = `class BridgedItems extends HTMLElement {
  connectedCallback() { const h = document.createElement('h1'); h.textContent = 'Bridged'; this.append(h); }
}
customElements.define('bridged-items', BridgedItems);
`;

function writePlugin(root: string): void {
  const files = scaffoldFiles({
    id: 'bridged',
    packageName: '@bench/bridged',
    displayName: 'Bridged',
    version: '1.0.0',
    kernelRange: '^0.1.0',
    sdkRange: '^0.1.0',
    trust: 'third-party',
  });
  files['ui/dist/bridged-items.js'] = ELEMENT;
  for (const [rel, content] of Object.entries(files)) {
    const file = join(root, 'bridged', rel);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
}

/** ms per call of `n` sequential calls, timed inside the browser. */
const direct = (page: Page, token: string, n: number) =>
  page.evaluate(
    async ({ token, n, route }) => {
      const t0 = performance.now();
      for (let i = 0; i < n; i++) {
        const res = await fetch(route, {
          headers: { authorization: `Bearer ${token}` },
          credentials: 'omit',
        });
        if (res.status !== 200) throw new Error(`direct call answered ${res.status}`);
        await res.text();
      }
      return (performance.now() - t0) / n;
    },
    { token, n, route: ROUTE },
  );
const bridged = (frame: Frame, n: number) =>
  frame.evaluate(
    async ({ n, route }) => {
      // Runs in the frame; this package type-checks for Node, without the DOM's types.
      const page = globalThis as unknown as { document: { querySelector(s: string): unknown } };
      const el = page.document.querySelector('bridged-items') as {
        erp: { api(path: string): Promise<Response> };
      };
      const t0 = performance.now();
      for (let i = 0; i < n; i++) {
        const res = await el.erp.api(route);
        if (res.status !== 200) throw new Error(`bridged call answered ${res.status}`);
        await res.text();
      }
      return (performance.now() - t0) / n;
    },
    { n, route: ROUTE },
  );

/**
 * ms per postMessage round trip shell → frame → shell (the bridge's ping), no network. A string,
 * because tsx would wrap a named inner function in a helper the page does not have.
 */
const roundTrip = (page: Page, n: number) =>
  page.evaluate(`(async (n) => {
    const host = document.querySelector('erp-app')?.shadowRoot?.querySelector('erp-plugin-view')
      ?.shadowRoot?.querySelector('erp-plugin-frame');
    const win = host?.shadowRoot?.querySelector('iframe')?.contentWindow;
    if (!win) throw new Error('no plugin frame');
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      const id = 1000000 + i;
      await new Promise((resolve) => {
        const on = (e) => {
          if (e.source === win && e.data?.type === 'pong' && e.data.id === id) {
            removeEventListener('message', on);
            resolve();
          }
        };
        addEventListener('message', on);
        win.postMessage({ bridge: 'erp-bridge/1', type: 'ping', id }, '*');
      });
    }
    return (performance.now() - t0) / n;
  })(${n})`) as Promise<number>;

const cleanup: (() => Promise<void>)[] = [];
let exitCode = 0;
try {
  if (!existsSync(join(SHELL, 'dist', 'frame.html'))) {
    const r = spawnSync(join(SHELL, 'node_modules', '.bin', 'vite'), ['build', '--logLevel', 'warn'], {
      cwd: SHELL,
      encoding: 'utf8',
      env: { ...process.env, NODE_ENV: 'production' },
    });
    if (r.status !== 0) throw new Error(`shell build failed: ${r.stderr}`);
  }
  const cluster = await benchCluster();
  cleanup.push(() => cluster.stop());
  const db = await scratchDatabase(cluster.url);
  cleanup.push(() => db.drop());
  const plugins = mkdtempSync(join(tmpdir(), 'erp-bench-bridge-'));
  cleanup.push(async () => rmSync(plugins, { recursive: true, force: true }));
  writePlugin(plugins);
  const kernel = await startBenchKernel(db.url, {
    env: { ERP_PLUGIN_PATH: plugins, ERP_SHELL_DIR: join(SHELL, 'dist') },
  });
  cleanup.push(() => kernel.stop());
  const install = await fetch(`${kernel.url}/api/v1/plugins/installations`, {
    method: 'POST',
    headers: { authorization: kernel.auth, 'content-type': 'application/json' },
    body: JSON.stringify({ plugin: '@bench/bridged' }),
  });
  if (install.status !== 201) throw new Error(`install failed: ${install.status} ${await install.text()}`);

  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
  });
  cleanup.push(() => browser.close());
  const page = await browser.newPage();
  await page.goto(`${kernel.url}/`);
  await page.getByLabel('Tenant').fill('bench');
  await page.getByLabel('Email').fill('admin@bench.test');
  await page.getByLabel('Password').fill(ADMIN_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('link', { name: 'Bridged', exact: true }).click();
  await page.locator('erp-plugin-frame[data-first-render-ms]').waitFor({ timeout: 30_000 });
  const frame = page.frames().find((f) => f.url().includes('/ui-frame/bridged/'));
  if (!frame) throw new Error('the plugin frame did not appear');
  const firstRenderMs = Number(await page.locator('erp-plugin-frame').getAttribute('data-first-render-ms'));
  const token = await page.locator('erp-plugin-frame').evaluate(async (el) => {
    const t = (el as unknown as { token: { current: Promise<{ token: string }> } }).token;
    return (await t.current).token;
  });

  // Warm both paths (the isolate, the caches, the JIT), then alternate.
  await direct(page, token, 50);
  await bridged(frame, 50);
  const d: number[] = [];
  const b: number[] = [];
  const rt: number[] = [];
  for (let i = 0; i < runs; i++) {
    d.push(await direct(page, token, calls));
    b.push(await bridged(frame, calls));
    rt.push(await roundTrip(page, 100)); // within the frame's message budget
    await page.waitForTimeout(1000);
    console.log(
      `run ${i + 1}/${runs}: direct ${round(d.at(-1)!, 3)} ms, bridge ${round(b.at(-1)!, 3)} ms per call; round trip ${round(rt.at(-1)!, 3)} ms`,
    );
  }
  const med = (v: number[]) => [...v].sort((x, y) => x - y)[Math.floor(v.length / 2)]!;
  const directMs = med(d);
  const bridgeMs = med(b);
  const ratio = bridgeMs / directMs;
  const overheadUs = (bridgeMs - directMs) * 1000;
  const roundTripMs = med(rt);
  const table: Cell[][] = [
    ['path', 'ms per call (median)', 'runs'],
    ['direct (shell page, scoped token)', round(directMs, 3), d.map((x) => round(x, 3)).join(' ')],
    ['bridge (frame → shell → kernel)', round(bridgeMs, 3), b.map((x) => round(x, 3)).join(' ')],
    ['postMessage round trip only (ping/pong)', round(roundTripMs, 3), rt.map((x) => round(x, 3)).join(' ')],
  ];
  writeReport({
    bench: 'ui-bridge',
    summary: `bridge ${round(bridgeMs, 3)} ms vs direct ${round(directMs, 3)} ms per call: ratio ${round(ratio, 2)}, overhead ${Math.round(overheadUs)} µs/call (message round trip ${round(roundTripMs, 3)} ms); first render ${firstRenderMs} ms`,
    params: { cluster: cluster.kind, calls, runs },
    results: {
      directMs,
      bridgeMs,
      ratio,
      overheadUs,
      roundTripMs,
      direct: d,
      bridge: b,
      roundTrip: rt,
      firstRenderMs,
    },
    table,
    notes: [
      `the same route (${ROUTE}, a third-party plugin served through the sandbox) both ways, sequential calls, timed in the browser`,
      'first render: from creating the frame to the element reporting its first update (one cold load)',
    ],
  });
} catch (err) {
  console.error(err);
  exitCode = 1;
} finally {
  for (const f of cleanup.reverse()) await f().catch(() => {});
}
process.exit(exitCode);
