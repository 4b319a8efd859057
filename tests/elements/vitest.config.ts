import { defineConfig } from 'vitest/config';

// One kernel and one browser for the element suite; the bundle check runs beside it.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
