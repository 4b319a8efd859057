// The shell's own JavaScript stays small (issue 12: ≤ 100 KB gzipped without plugins and chart):
// measured on the build the suite serves, every chunk gzipped as the kernel sends it.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { SHELL_DIST } from './support/kernel.js';

const gz = (file: string) => gzipSync(readFileSync(file), { level: 9 }).length;

describe('the shell bundle', () => {
  it('is at most 100 KB of gzipped JavaScript in all, and its entry chunk at most 30 KB', () => {
    const dir = join(SHELL_DIST, 'assets');
    const js = readdirSync(dir).filter((f) => f.endsWith('.js'));
    const total = js.reduce((sum, f) => sum + gz(join(dir, f)), 0);
    const html = readFileSync(join(SHELL_DIST, 'index.html'), 'utf8');
    const entry = /src="\/assets\/([^"]+\.js)"/.exec(html)?.[1];
    expect(entry).toBeDefined();
    expect(total).toBeLessThanOrEqual(100 * 1024);
    expect(gz(join(dir, entry!))).toBeLessThanOrEqual(30 * 1024);
    // No inline script in the page (the CSP would refuse it).
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });
});
