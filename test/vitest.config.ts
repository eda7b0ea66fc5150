import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

// graphql ships CJS (what Node, and so graphql-yoga, loads) and ESM (what Vite prefers). Two copies
// would break `instanceof GraphQLError` across them, so every import gets the one Node uses.
const graphqlEntry = createRequire(new URL('../api/package.json', import.meta.url)).resolve('graphql');

// Journeys share one embedded Postgres (started in global setup) and run one file at a time;
// each test resets the data it reads.
export default defineConfig({
  resolve: { alias: [{ find: /^graphql$/, replacement: graphqlEntry }] },
  test: {
    include: ['**/*.spec.ts'],
    exclude: ['node_modules/**'],
    globalSetup: ['./support/global-setup.ts'],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
