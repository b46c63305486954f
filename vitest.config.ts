import { defineConfig } from 'vitest/config';

// Three tiers, each runnable alone (npm run test:unit | test:int | test:e2e).
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.unit.test.ts'] } },
      { test: { name: 'infra', include: ['test/infra/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 120_000 } },
      { test: { name: 'int', include: ['test/int/**/*.int.test.ts'], testTimeout: 60_000, hookTimeout: 60_000 } },
      // The browser tests drive Debian's Chromium: installed if missing, and a fresh accessibility report per run.
      { test: { name: 'e2e', include: ['test/e2e/**/*.e2e.test.ts'], testTimeout: 120_000, hookTimeout: 120_000, fileParallelism: false, globalSetup: ['test/support/ensure-chromium.ts', 'test/support/browser-artifacts.ts'] } },
    ],
  },
});
