// `pnpm --filter @switchboard/api start`: runs one api instance from the environment.
import { buildApp } from './app.ts';
import { loadConfig } from './config.ts';

const app = buildApp(loadConfig(process.env));
await app.start();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    app.stop().finally(() => process.exit(0));
  });
}
