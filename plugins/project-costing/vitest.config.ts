import { defineConfig } from 'vitest/config';

// The engine's tests are pure; the plugin's (one file) start one kernel on a fresh database
// (embedded, or the server at DATABASE_URL). Two workers: the engine's files run beside it.
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
