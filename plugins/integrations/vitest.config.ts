import { defineConfig } from 'vitest/config';

// Each file starts its own kernel on a fresh database; two at a time keeps a 2-core machine usable.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // isolated-vm (the plugin sandbox) asks Node to run without its startup snapshot.
    execArgv: ['--no-node-snapshot'],
    maxWorkers: 2,
  },
});
