// axe-core (the npm package's own build) injected into the page; returns the serious and critical
// violations, each as "rule: target" so a failure says what and where. axe reads open shadow roots.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const source = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export async function seriousViolations(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol, not as a <script>, so the shell's CSP does not apply.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(source);
  return page.evaluate(async () => {
    // biome-ignore lint/suspicious/noExplicitAny: axe is injected as a global
    const axe = (window as any).axe;
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations
      .filter((v: { impact: string }) => v.impact === 'serious' || v.impact === 'critical')
      .flatMap((v: { id: string; impact: string; nodes: Array<{ target: unknown }> }) =>
        v.nodes.map((n) => `${v.id} (${v.impact}): ${JSON.stringify(n.target)}`),
      );
  });
}
