// An agent's desk as the journeys through Meta set it up: the api with the Meta sandbox as its Graph
// API, the Worker (workerd) that the sandbox posts its status webhooks to, and for browser journeys the
// built dashboard; then, per test, the dev tenant with its Meta token sealed, Ana the agent in its default
// department, and customers who write in (ingested as the edge forwards them, Meta's window opened too).
// The api's mail goes to the sandbox's SMTP catcher (waitForMail in mail.ts reads it at sandbox.url).
import { expect } from 'vitest';
import { freePort } from '@switchboard/db/embedded';
import type { AppConfig } from '@switchboard/api/config';
import { textMessage, type Sender } from '../meta-sandbox/payloads.ts';
import { devAccessToken, devAppId } from '../meta-sandbox/server.ts';
import type { RunningEdge } from './edge.ts';
import { startSandbox, type RunningSandbox } from './sandbox.ts';
import { DEV_TENANT, ingest, resetDatabase, seedAccountToken, seedDepartment, seedDevTenant, seedUser, startApi, type RunningApi, type SeededUser } from './stack.ts';
import { buildWeb, startWeb, type RunningWeb } from './web.ts';
import { devTenantBody } from './webhooks.ts';
import { startWorkerdEdge } from './workerd-edge.ts';

export interface DeskOptions {
  /** Names the api instance and the wamids its customers write with. */
  instanceId: string;
  /** Status webhooks back through the Worker, `[min, max]` ms after each send; none without it. */
  statusDelayMs?: [number, number];
  /** Also build and serve the dashboard (its origin is the api's allowed one). */
  web?: boolean;
  api?: Partial<AppConfig>;
}

export interface SeededDesk {
  tenantId: string;
  apiKey: string;
  /** Ana, an agent in the default department "Support". */
  agent: SeededUser;
}

export interface Desk {
  api: RunningApi;
  sandbox: RunningSandbox;
  edge: RunningEdge | null;
  web: RunningWeb | null;
  /** Empties the database and the sandbox, then seeds the dev tenant and Ana (`online`, or offline). */
  reset(options?: { agentPresence?: 'online' }): Promise<SeededDesk>;
  /** `customer` writes `body` at `at` (unix seconds; now by default); the message is committed. Returns its wamid. */
  customerWrites(customer: Sender, body: string, at?: number): Promise<string>;
  stop(): Promise<void>;
}

export async function startDesk({ instanceId, statusDelayMs, web: withWeb = false, api: apiOptions = {} }: DeskOptions): Promise<Desk> {
  // The api needs the sandbox's and the dashboard's addresses, the sandbox the edge's, the edge the api's.
  const [sandboxPort, smtpPort, webPort] = await Promise.all([freePort(), freePort(), freePort(), withWeb ? buildWeb() : null]);
  const api = await startApi({
    metaGraphUrl: `http://127.0.0.1:${sandboxPort}`,
    smtpUrl: `smtp://127.0.0.1:${smtpPort}`,
    ...(withWeb ? { port: await freePort(), allowedOrigins: [`http://127.0.0.1:${webPort}`] } : {}),
    instanceId,
    ...apiOptions,
  });
  const edge = statusDelayMs ? await startWorkerdEdge({ apiUrl: api.url }) : null;
  const sandbox = await startSandbox({
    port: sandboxPort,
    smtpPort,
    ...(edge ? { edgeUrl: edge.url, statusWebhooks: 'ordered' as const, statusDelayMs } : {}),
  });
  // The dashboard's Embedded Signup runs against the sandbox's stand-in for Facebook's SDK and popup.
  const signup = { PUBLIC_META_APP_ID: devAppId, PUBLIC_META_SIGNUP_CONFIG_ID: 'sandbox-signup-config', PUBLIC_META_SDK_URL: `http://127.0.0.1:${sandboxPort}/sdk.js` };
  const web = withWeb ? await startWeb({ port: webPort, apiUrl: api.url, env: signup }) : null;
  let sequence = 0;
  return {
    api,
    sandbox,
    edge,
    web,
    async reset({ agentPresence } = {}) {
      await resetDatabase();
      sandbox.clearMessages();
      sandbox.clearFaults();
      sandbox.clearMail();
      const { tenantId, apiKey } = await seedDevTenant();
      await seedAccountToken(tenantId, devAccessToken);
      const agent = await seedUser(tenantId, { email: 'ana@acme.test', name: 'Ana', ...(agentPresence ? { presence: agentPresence } : {}) });
      await seedDepartment(tenantId, { name: 'Support', isDefault: true, members: [agent.id] });
      return { tenantId, apiKey, agent };
    },
    async customerWrites(customer, body, at = Math.floor(Date.now() / 1000)) {
      const wamid = `wamid.${instanceId}-${++sequence}-${Date.now()}`;
      const answer = await ingest(api.url, [devTenantBody(customer, [textMessage({ from: customer, id: wamid, timestamp: String(at), body })])]);
      expect(answer.results.map((r) => r.status)).toEqual(['committed']);
      sandbox.openWindow({ phoneNumberId: DEV_TENANT.phoneNumberId, waId: customer.waId!, at: at * 1000 });
      return wamid;
    },
    async stop() {
      await web?.stop();
      await edge?.stop();
      await api.stop();
      await sandbox.stop();
    },
  };
}
