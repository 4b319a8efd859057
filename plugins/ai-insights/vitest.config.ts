import { defineConfig } from 'vitest/config';

// The engine's tests are pure; the plugin's file starts one kernel on a fresh database (embedded,
// or the server at DATABASE_URL). Two workers: the engine's files run beside it.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    execArgv: ['--no-node-snapshot'],
    maxWorkers: 2,
  },
});
