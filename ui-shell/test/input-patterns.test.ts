// An input's `pattern` is compiled by browsers with the `v` flag, under which `-` and other set
// syntax characters must be escaped inside a class; an invalid pattern is ignored with only a
// console error, so the field silently loses its check. Every pattern in the shell's templates and
// in plugin elements must compile that way.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.name === 'node_modules' || e.name === 'dist' || e.name.startsWith('.')) return [];
    const p = join(dir, e.name);
    return e.isDirectory() ? sources(p) : /\.ts$/.test(e.name) && !/\.test\.ts$/.test(e.name) ? [p] : [];
  });

describe('input patterns', () => {
  it('compile with the v flag, as browsers compile them', () => {
    const files = [
      join(root, 'ui-shell', 'src'),
      ...readdirSync(join(root, 'plugins')).map((p) => join(root, 'plugins', p, 'ui')),
    ].flatMap((d) => {
      try {
        return sources(d);
      } catch {
        return [];
      }
    });
    const found: string[] = [];
    for (const file of files) {
      for (const m of readFileSync(file, 'utf8').matchAll(/\spattern="([^"]*)"/g)) {
        // The templates are JS template literals: `\\` in the source is one backslash in the page.
        const pattern = m[1]!.replace(/\\\\/g, '\\');
        found.push(pattern);
        expect(() => new RegExp(`^(?:${pattern})$`, 'v'), `${file}: ${pattern}`).not.toThrow();
      }
    }
    expect(found.length).toBeGreaterThan(3);
  });
});
