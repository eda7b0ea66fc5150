import { defineConfig } from 'vitest/config';

// Journeys share one embedded Postgres (started in global setup) and run one file at a time;
// each test resets the data it reads.
export default defineConfig({
  test: {
    include: ['**/*.spec.ts'],
    exclude: ['node_modules/**', 'bench/**'],
    globalSetup: ['./support/global-setup.ts'],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
