import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Each file starts its own registry on a free port; two at a time on a small machine.
    pool: 'forks',
    maxWorkers: 2,
  },
});
