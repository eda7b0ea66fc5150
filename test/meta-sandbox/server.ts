// The Meta sandbox: one node:http server standing in for Meta. Today it runs the customer
// simulator and exposes its controls; the Graph API endpoints (messages, media, templates, oauth,
// subscribed_apps, register) join as further route groups in `routes` below.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequestListener, type Route } from './router.ts';
import { simulatorRoutes } from './simulator-routes.ts';
import { startCustomerSimulator, type CustomerSimulator, type CustomerSimulatorOptions } from './simulator.ts';

export type SandboxOptions = Pick<
  CustomerSimulatorOptions,
  'edgeUrl' | 'appSecret' | 'wabaId' | 'phoneNumberId' | 'displayPhoneNumber' | 'ratePerMinute' | 'random' | 'backoff' | 'log'
> & {
  port?: number;
  host?: string;
};

export interface Sandbox {
  start(): Promise<{ url: string }>;
  stop(): Promise<void>;
}

export function buildSandbox({
  port = 4010,
  host,
  edgeUrl,
  appSecret,
  wabaId,
  phoneNumberId,
  displayPhoneNumber,
  ratePerMinute = 6,
  random,
  backoff,
  log = (line: string) => console.log(line),
}: SandboxOptions): Sandbox {
  let server: Server | undefined;
  let simulator: CustomerSimulator | undefined;

  function routes(sim: CustomerSimulator): Route[] {
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
    ];
  }

  return {
    async start() {
      if (server) throw new Error('meta sandbox already started');
      simulator = startCustomerSimulator({
        edgeUrl,
        appSecret,
        wabaId,
        phoneNumberId,
        displayPhoneNumber,
        ratePerMinute,
        log,
        ...(random ? { random } : {}),
        ...(backoff ? { backoff } : {}),
      });
      const listening = createServer(createRequestListener(routes(simulator), { onError: (error) => log(`meta-sandbox: route failed: ${String(error)}`) }));
      server = listening;
      await new Promise<void>((resolve, reject) => {
        listening.once('error', reject);
        listening.listen(port, host, () => {
          listening.off('error', reject);
          resolve();
        });
      });
      const address = listening.address() as AddressInfo;
      return { url: `http://localhost:${address.port}` };
    },
    async stop() {
      const closing = server;
      server = undefined;
      await simulator?.stop();
      simulator = undefined;
      if (!closing) return;
      await new Promise<void>((resolve) => {
        closing.close(() => resolve());
        closing.closeAllConnections();
      });
    },
  };
}
