// The Meta sandbox: one node:http server standing in for Meta. It runs the customer simulator and
// its controls, the Graph API endpoints the platform calls (messages, media, templates, oauth,
// subscribed_apps, register, phone_numbers) with the webhooks they cause, and the /_sandbox
// controls. The object buildSandbox returns carries the same controls for in-process specs.
// Beside it, the mail catcher: an SMTP server for the api's mail, listed at /mail (mail-catcher.ts).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { controlRoutes } from './control-routes.ts';
import { createMailCatcher, type CaughtMail } from './mail-catcher.ts';
import { mailRoutes } from './mail-routes.ts';
import { simulatedCustomers, type SimulatedCustomer } from './customer-pool.ts';
import { createGraphSandbox, type SandboxControls } from './graph-sandbox.ts';
import { createRequestListener, type Route } from './router.ts';
import { osSeed, seededRandom } from './seeded-random.ts';
import { signupRoutes } from './signup-routes.ts';
import { simulatorRoutes } from './simulator-routes.ts';
import { startCustomerSimulator, type CustomerSimulator, type CustomerSimulatorOptions } from './simulator.ts';
import type { StatusWebhookMode } from './status-webhooks.ts';

export type SandboxOptions = Pick<
  CustomerSimulatorOptions,
  'edgeUrl' | 'appSecret' | 'wabaId' | 'phoneNumberId' | 'displayPhoneNumber' | 'ratePerMinute' | 'random' | 'backoff' | 'log'
> & {
  port?: number;
  host?: string;
  /** The mail catcher's SMTP port (SANDBOX_SMTP_PORT; main.ts: 4025); 0, the default here, takes a free one. */
  smtpPort?: number;
  /** The dev WABA's business token (DEV_META_ACCESS_TOKEN). */
  accessToken?: string;
  /** Our Meta app (META_APP_ID); its secret is `appSecret`. */
  appId?: string;
  appName?: string;
  /** The dev number's verified name. */
  verifiedName?: string;
  /** The sandbox clock: token and code expiry, media URLs, windows, throughput, timestamps. */
  now?: () => number;
  statusWebhooks?: StatusWebhookMode;
  /** Bounds of the gap between one status and the next, in ms. */
  statusDelayMs?: readonly [number, number];
  /**
   * Bounds of the time Meta takes to answer a send, in ms (SANDBOX_SEND_LATENCY_MS). In-process specs
   * default to none; main.ts to a Meta-like 150–300 ms.
   */
  sendLatencyMs?: readonly [number, number];
  /** Simulated customers answer what they are sent (SANDBOX_AUTO_REPLY). */
  autoReply?: boolean;
  autoReplyDelayMs?: readonly [number, number];
  customers?: readonly SimulatedCustomer[];
};

export interface Sandbox extends SandboxControls {
  /** `smtpUrl`: where the mail catcher takes mail (give it to the api as SMTP_URL). */
  start(): Promise<{ url: string; smtpUrl: string }>;
  stop(): Promise<void>;
  /** What the mail catcher caught, oldest first (also GET /mail.json). */
  caughtMail(): readonly CaughtMail[];
  clearMail(): void;
}

export const devAccessToken = 'EAAsandboxDevToken0000000000000000';
export const devAppId = '100000000000001';

export function buildSandbox({
  port = 4010,
  host,
  smtpPort = 0,
  edgeUrl,
  appSecret,
  wabaId,
  phoneNumberId,
  displayPhoneNumber,
  ratePerMinute = 6,
  random = seededRandom(osSeed()),
  backoff,
  log = (line: string) => console.log(line),
  accessToken = devAccessToken,
  appId = devAppId,
  appName = 'Switchboard',
  verifiedName = 'Acme Coffee',
  now = Date.now,
  statusWebhooks = 'realistic',
  statusDelayMs = [20, 300],
  sendLatencyMs = [0, 0],
  autoReply = false,
  autoReplyDelayMs = [1_500, 6_000],
  customers = simulatedCustomers,
}: SandboxOptions): Sandbox {
  let server: Server | undefined;
  let simulator: CustomerSimulator | undefined;
  let smtpUrl: string | undefined;
  const mail = createMailCatcher({ port: smtpPort, host, now, log });
  const graph = createGraphSandbox({
    edgeUrl,
    appSecret,
    appId,
    appName,
    dev: { wabaId, phoneNumberId, displayPhoneNumber, accessToken, name: verifiedName },
    // Its own stream, so Graph traffic does not shift which customers the simulator picks.
    random: seededRandom(Math.floor(random() * 2 ** 32)),
    now,
    statusWebhooks,
    statusDelayMs,
    sendLatencyMs,
    autoReply,
    autoReplyDelayMs,
    customers,
    ...(backoff ? { backoff } : {}),
    log,
  });

  function routes(sim: CustomerSimulator, graphApi: Route[]): Route[] {
    return [
      { method: 'GET', path: '/healthz', handle: () => ({ status: 200, json: { ok: true } }) },
      {
        method: 'GET',
        path: '/',
        handle: () => ({
          status: 200,
          json: {
            service: 'meta-sandbox',
            wabaId,
            phoneNumberId,
            webhookUrl: new URL('/webhooks/whatsapp', edgeUrl).toString(),
            simulator: sim.status(),
          },
        }),
      },
      ...simulatorRoutes(sim),
      ...controlRoutes(graph.controls),
      ...mailRoutes(mail, () => smtpUrl),
      ...signupRoutes({ appId, issueSignupCode: graph.controls.issueSignupCode, random }),
      ...graphApi,
    ];
  }

  return {
    ...graph.controls,
    caughtMail: () => mail.caught(),
    clearMail: () => mail.clearMail(),
    async start() {
      if (server) throw new Error('meta sandbox already started');
      const caught = await mail.start();
      smtpUrl = caught.smtpUrl;
      const sim = startCustomerSimulator({
        edgeUrl,
        appSecret,
        wabaId,
        phoneNumberId,
        displayPhoneNumber,
        ratePerMinute,
        log,
        random,
        now,
        customers,
        ...(backoff ? { backoff } : {}),
        onInbound: ({ at, ...ids }) => graph.recordInbound(phoneNumberId, ids, at),
        onMedia: (media) => graph.holdMedia({ ...media, phoneNumberId }),
      });
      simulator = sim;
      const graphApi = graph.start({
        onAccepted: (message) => {
          if (message.phoneNumberId === phoneNumberId) sim.rememberBusinessMessage(message);
        },
      });
      const listening = createServer(createRequestListener(routes(sim, graphApi), { onError: (error) => log(`meta-sandbox: route failed: ${String(error)}`) }));
      server = listening;
      await new Promise<void>((resolve, reject) => {
        listening.once('error', reject);
        listening.listen(port, host, () => {
          listening.off('error', reject);
          resolve();
        });
      });
      const address = listening.address() as AddressInfo;
      return { url: `http://localhost:${address.port}`, smtpUrl: caught.smtpUrl };
    },
    async stop() {
      const closing = server;
      server = undefined;
      await simulator?.stop();
      simulator = undefined;
      await graph.stop();
      await mail.stop();
      if (!closing) return;
      await new Promise<void>((resolve) => {
        closing.close(() => resolve());
        closing.closeAllConnections();
      });
    },
  };
}
