import { defineConfig } from 'vitest/config';

// Each file starts its own kernel on a fresh database; two at a time keeps a 2-core machine usable.
// The API suite runs twice: with the plugins in the kernel's process (as first-party plugins run)
// and in the sandbox (as a tenant's trust policy may run them), unmodified.
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
    // isolated-vm (the plugin sandbox) asks Node to run without its startup snapshot.
    execArgv: ['--no-node-snapshot'],
    projects: [
      { extends: true, test: { name: 'in-process', include: ['test/**/*.test.ts'] } },
      {
        extends: true,
        test: { name: 'sandbox', include: ['test/api.test.ts'], env: { ERP_TEST_RUNTIME: 'sandbox' } },
      },
    ],
  },
});
