// The Meta sandbox as journeys run it: the dev tenant's business and number, no simulated customers,
// quiet. Status webhooks are off unless a journey asks for them (and says where the edge is). Its mail
// catcher takes a free port unless given one: `smtpUrl` is what to hand the api as its smtpUrl.
import { buildSandbox, type Sandbox, type SandboxOptions } from '../meta-sandbox/server.ts';
import { META_APP_SECRET } from './edge.ts';
import { DEV_TENANT } from './stack.ts';

export type RunningSandbox = Sandbox & { url: string; smtpUrl: string };

export async function startSandbox(options: Partial<SandboxOptions> & { port: number }): Promise<RunningSandbox> {
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
    smtpPort: 0,
    log: () => {},
    ...options,
  });
  const { url, smtpUrl } = await sandbox.start();
  return Object.assign(sandbox, { url: url.replace('localhost', '127.0.0.1'), smtpUrl });
}
