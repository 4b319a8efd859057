// Which file of a plugin release runs in the kernel's process: its TypeScript entry where a
// TypeScript loader is active, its compiled module (package.json exports) where Node refuses the
// .ts file (the production build on plain Node). Found on the production build: a release from
// the registry was quarantined with `Unknown file extension ".ts"`.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compiledEntry, importEntry } from '../src/plugins/entry-module.js';

const work = mkdtempSync(join(tmpdir(), 'erp-entry-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function release(name: string, exports: unknown, files: string[] = ['dist/index.js']): string {
  const dir = join(work, name);
  mkdirSync(join(dir, 'dist'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, version: '1.0.0', exports }));
  for (const f of files) writeFileSync(join(dir, f), 'export default {};\n');
  return dir;
}

/** Node without a TypeScript loader: refuses .ts, loads the rest. */
const plainNode = async (file: string) => {
  if (file.endsWith('.ts'))
    throw Object.assign(new TypeError(`Unknown file extension ".ts" for ${file}`), {
      code: 'ERR_UNKNOWN_FILE_EXTENSION',
    });
  return { ran: file };
};

describe('the file a plugin release runs', () => {
  it('runs the TypeScript entry where TypeScript loads', async () => {
    const dir = release('a', { '.': { types: './dist/index.d.ts', import: './dist/index.js' } });
    expect(await importEntry(dir, 'src/index.ts', async (f) => ({ ran: f }))).toEqual({
      ran: 'src/index.ts',
    });
  });

  it('runs the compiled module from exports where Node refuses .ts', async () => {
    const conditional = release('b', { '.': { types: './dist/index.d.ts', import: './dist/index.js' } });
    expect(await importEntry(conditional, 'src/index.ts', plainNode)).toEqual({ ran: './dist/index.js' });
    const plain = release('c', './dist/index.js');
    expect(await importEntry(plain, 'src/index.ts', plainNode)).toEqual({ ran: './dist/index.js' });
  });

  it('keeps the original error when there is no compiled module, or the error is another', async () => {
    const sourceOnly = release('d', { '.': './src/index.ts' }, []);
    await expect(importEntry(sourceOnly, 'src/index.ts', plainNode)).rejects.toThrow(
      /Unknown file extension/,
    );
    const missing = release('e', { '.': { import: './dist/index.js' } }, []);
    expect(compiledEntry(missing)).toBeUndefined();
    await expect(importEntry(missing, 'src/index.ts', plainNode)).rejects.toThrow(/Unknown file extension/);
    const broken = release('f', { '.': { import: './dist/index.js' } });
    await expect(
      importEntry(broken, 'src/index.ts', async () => {
        throw new SyntaxError('Unexpected token');
      }),
    ).rejects.toThrow(SyntaxError);
  });
});
