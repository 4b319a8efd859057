#!/usr/bin/env node
// The `erp` command. Installed from the registry it runs the compiled JavaScript in dist/; inside
// the repository (where src/ is present) it runs the TypeScript sources through tsx, so development
// needs no build step.
import { existsSync } from 'node:fs';

const source = new URL('../src/cli/main.ts', import.meta.url);
if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(source.href);
} else {
  await import('../dist/cli/main.js');
}
