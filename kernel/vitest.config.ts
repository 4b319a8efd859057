import { defineConfig } from 'vitest/config';

// CI's second pass (scripts/test-all.mjs, on the PostgreSQL server) runs what can differ between
// the two databases. These suites exercise the CLI, the registry, packing, the sandbox and pure
// formats: their result does not depend on which PostgreSQL serves them, and they ran in the first.
const SAME_ON_EVERY_DATABASE = [
  'test/install-from-tarball.test.ts',
  'test/registry-start.test.ts',
  'test/cli-usage.test.ts',
  'test/config-cli.test.ts',
  'test/embedded-default.test.ts',
  'test/plugins-sandbox-escape.test.ts',
  'test/plugins-forced-sandbox.test.ts',
  'test/plugins-sql-lint.test.ts',
  'test/audit-format.test.ts',
  'test/audit-merkle.test.ts',
  'test/audit-parallel.test.ts',
  'test/cli-logs.test.ts',
  'test/outbound.test.ts',
  'test/plugin-entry-module.test.ts',
  'test/validation-untrusted.test.ts',
  'test/embedded-access.test.ts',
  'test/shell.test.ts',
  'test/prometheus-rules.test.ts',
];
const databaseOnly = process.env.ERP_TEST_DATABASE_PASS === '1';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Plugins the tests write (scaffolds, with their own tests) are the tests' data, not tests.
    exclude: ['test/.generated/**', '**/node_modules/**', ...(databaseOnly ? SAME_ON_EVERY_DATABASE : [])],
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
