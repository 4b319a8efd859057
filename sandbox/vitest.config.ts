import { defineConfig } from 'vitest/config';

// isolated-vm asks Node to run without its startup snapshot.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    execArgv: ['--no-node-snapshot'],
  },
});
