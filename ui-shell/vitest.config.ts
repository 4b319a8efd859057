import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Generated test plugins (scaffolded with their own tests) live under test/.generated.
    exclude: ['test/.generated/**', 'node_modules/**'],
    globalSetup: ['test/support/build-shell.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
