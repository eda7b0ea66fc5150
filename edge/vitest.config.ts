// Specs run inside workerd through @cloudflare/vitest-plugin, with the bindings declared in the
// root wrangler.toml (real local Queues and R2).
// https://developers.cloudflare.com/workers/testing/vitest-integration/

import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

export default defineConfig({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: "../wrangler.toml" },
      miniflare: {
        bindings: {
          META_APP_SECRET: "test-meta-app-secret",
          META_VERIFY_TOKEN: "test-verify-token",
          INGEST_SECRET: "test-ingest-secret",
          // Nothing listens on the discard port: the consumer's HTTP call fails fast and never
          // reaches an api a developer may be running on :4000.
          API_URL: "http://127.0.0.1:9",
        },
        // Deliver batches quickly so specs that wait for the consumer stay fast.
        queueConsumers: {
          webhooks: { maxBatchTimeout: 0.05 },
          "webhooks-dlq": { maxBatchTimeout: 0.05 },
        },
      },
    }),
  ],
  test: {
    include: ["src/**/*.spec.ts"],
    // Vitest 5 caches transformed modules in the workspace root's node_modules/.vitest-cache, and
    // an entry can point at another installed copy of Vitest (after a partial `pnpm install`):
    // the specs then load a second runner and every suite fails with "Cannot read properties of
    // undefined (reading 'config')". This suite is small enough to transform from scratch.
    fsModuleCache: false,
  },
});
