// The Meta sandbox as journeys run it: the dev tenant's business and number, no simulated customers,
// quiet. Status webhooks are off unless a journey asks for them (and says where the edge is).
import { buildSandbox, type Sandbox, type SandboxOptions } from '../meta-sandbox/server.ts';
import { META_APP_SECRET } from './edge.ts';
import { DEV_TENANT } from './stack.ts';

export async function startSandbox(options: Partial<SandboxOptions> & { port: number }): Promise<Sandbox> {
  const sandbox = buildSandbox({
    host: '127.0.0.1',
    // Nothing is posted unless statusWebhooks is turned on, with the journey's edge here.
    edgeUrl: 'http://127.0.0.1:9',
    appSecret: META_APP_SECRET,
    wabaId: DEV_TENANT.wabaId,
    phoneNumberId: DEV_TENANT.phoneNumberId,
    displayPhoneNumber: DEV_TENANT.displayPhoneNumber,
    ratePerMinute: 0,
    statusWebhooks: 'off',
    log: () => {},
    ...options,
  });
  await sandbox.start();
  return sandbox;
}
