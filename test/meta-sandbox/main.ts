// Entry point: `pnpm --filter @switchboard/test sandbox` (or `pnpm dev`). Reads the environment
// once, starts the Meta sandbox, stops it cleanly on SIGINT/SIGTERM. Without `pnpm dev`, load the
// dev defaults with: node --env-file=../.env.example meta-sandbox/main.ts
import { readSandboxConfig } from './config.ts';
import { buildSandbox } from './server.ts';

const result = readSandboxConfig(process.env);
if (!result.ok) {
  console.error(`meta-sandbox: cannot start:\n  ${result.problems.join('\n  ')}`);
  process.exit(1);
}

const sandbox = buildSandbox(result.config);
const { url, smtpUrl } = await sandbox.start();
console.log(
  `meta-sandbox: listening on ${url}; simulating ${result.config.ratePerMinute} customer messages/min to ${result.config.edgeUrl}; ` +
    `Graph API at ${url}/v24.0; auto reply ${result.config.autoReply ? 'on' : 'off'}; status webhooks ${result.config.statusWebhooks}; ` +
    `mail caught at ${smtpUrl}, listed at ${url}/mail`,
);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void sandbox.stop().then(() => process.exit(0));
  });
}
