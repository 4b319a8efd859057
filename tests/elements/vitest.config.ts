import { defineConfig } from 'vitest/config';

// One kernel and one browser per browser file; the bundle check runs beside them.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The real shell is built once for the files that drive it (test/support/build-shell.ts).
    globalSetup: ['test/support/build-shell.ts'],
    testTimeout: 60_000,
    // The browser waits on a real kernel on a shared 2-core machine: polls get 10 s, not 1 s.
    expect: { poll: { timeout: 10_000 } },
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
