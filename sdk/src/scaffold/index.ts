// Writes a new plugin from the templates into an empty (or new) folder.
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PLUGIN_ID } from '../manifest/index.js';
import { type ScaffoldOptions, scaffoldFiles } from './templates.js';

export type { ScaffoldOptions } from './templates.js';
export { scaffoldFiles } from './templates.js';

export class ScaffoldError extends Error {}

export function createPlugin(dir: string, o: ScaffoldOptions): string[] {
  if (!new RegExp(PLUGIN_ID).test(o.id) || o.id.length > 30) {
    throw new ScaffoldError(
      `--id must be lowercase letters and digits, words joined by dashes, at most 30 characters (got ${JSON.stringify(o.id)})`,
    );
  }
  if (existsSync(dir) && readdirSync(dir).length > 0) throw new ScaffoldError(`${dir} is not empty`);
  const files = scaffoldFiles(o);
  for (const [rel, content] of Object.entries(files)) {
    const file = join(dir, rel);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
  return Object.keys(files).sort();
}
