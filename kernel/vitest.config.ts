import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Plugins the tests write (scaffolds, with their own tests) are the tests' data, not tests.
    exclude: ['test/.generated/**', '**/node_modules/**'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Files run in parallel processes; each gets its own database on the shared cluster.
    pool: 'forks',
    // isolated-vm (the plugin sandbox) asks Node to run without its startup snapshot.
    execArgv: ['--no-node-snapshot'],
    maxWorkers: 2,
  },
});
