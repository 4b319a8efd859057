import { defineConfig } from 'vitest/config';

// One kernel for the suite (test/support/global-kernel.ts); the files run two at a time against it.
// The 100k-row import is a bench: `pnpm run bench:import` (ERP_IMPORT_ROWS, default 100,000).
export default defineConfig({
  test: {
    include: ['test/*.test.ts'],
    globalSetup: ['test/support/global-kernel.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
    execArgv: ['--no-node-snapshot'],
    maxWorkers: 2,
  },
});
