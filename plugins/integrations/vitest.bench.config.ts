import { defineConfig } from 'vitest/config';

// The 100k-row CSV and XLSX import: prints time and peak memory (not part of the suite's budget).
export default defineConfig({
  test: {
    include: ['test/bench/*.bench.ts'],
    testTimeout: 900_000,
    hookTimeout: 180_000,
    pool: 'forks',
    execArgv: ['--no-node-snapshot'],
  },
});
