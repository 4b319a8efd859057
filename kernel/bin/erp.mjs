#!/usr/bin/env node
// The `erp` command. Installed from the registry it runs the compiled JavaScript in dist/; inside
// the repository (where src/ is present) it runs the TypeScript sources through tsx, so development
// needs no build step. The plugin sandbox (isolated-vm) needs Node started with
// --no-node-snapshot: without it the command starts itself again with the flag.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const FLAG = '--no-node-snapshot';
if (!process.execArgv.includes(FLAG) && !(process.env.NODE_OPTIONS ?? '').includes(FLAG)) {
  const child = spawn(
    process.execPath,
    [...process.execArgv, FLAG, fileURLToPath(import.meta.url), ...process.argv.slice(2)],
    {
      stdio: 'inherit',
    },
  );
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => {
    if (!signal) process.exit(code ?? 1);
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  });
} else {
  const source = new URL('../src/cli/main.ts', import.meta.url);
  if (existsSync(source)) {
    const { register } = await import('tsx/esm/api');
    register();
    await import(source.href);
  } else {
    await import('../dist/cli/main.js');
  }
}
