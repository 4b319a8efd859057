// Headless Chromium (Debian's, driven by playwright-core), axe-core injected into the page, and
// screenshots of each step under ui-shell/test-artifacts/ (gitignored; CI keeps it as an artifact).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
export const ARTIFACTS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'test-artifacts');
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export function launch(): Promise<Browser> {
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

let shot = 0;
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  shot += 1;
  // A page in a background tab paints no frames: without this a screenshot waits ~2 s for one.
  await page.bringToFront();
  await page.screenshot({
    path: join(ARTIFACTS, `${String(shot).padStart(2, '0')}-${name}.png`),
    fullPage: true,
  });
}

export interface AxeFinding {
  page: string;
  id: string;
  impact: string | null;
  help: string;
  nodes: number;
}

const findings: AxeFinding[] = [];
const checked: string[] = [];

/**
 * Runs axe-core on the page as it is now (open shadow roots included). The source is evaluated
 * through the DevTools protocol, not a <script> tag: the shell's CSP rightly refuses inline script.
 * Returns the serious and critical violations; every finding is kept for the report.
 */
export async function axe(page: Page, name: string): Promise<AxeFinding[]> {
  // Once per document: the shell's navigation does not reload the page.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    // biome-ignore lint/suspicious/noExplicitAny: axe is a global the evaluated source defined
    const result = await (window as any).axe.run(document, { resultTypes: ['violations'] });
    return (result.violations as { id: string; impact: string | null; help: string; nodes: unknown[] }[]).map(
      (v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length }),
    );
  });
  const mine = violations.map((v) => ({ page: name, ...v }));
  findings.push(...mine);
  checked.push(name);
  mkdirSync(ARTIFACTS, { recursive: true });
  writeFileSync(join(ARTIFACTS, 'axe.json'), JSON.stringify({ pages: checked, findings }, null, 2));
  return mine.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
