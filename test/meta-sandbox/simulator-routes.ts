// Control endpoints for the customer simulator, used by developers (curl) and by end-to-end
// tests that need one inbound message now instead of waiting for the stream.
import type { Route } from './router.ts';
import { customerMessageKinds, isCustomerMessageKind, type CustomerSimulator } from './simulator.ts';

export function simulatorRoutes(simulator: CustomerSimulator): Route[] {
  return [
    {
      method: 'POST',
      path: '/simulator/messages',
      handle({ body }) {
        const kind = typeof body === 'object' && body !== null && 'kind' in body ? body.kind : undefined;
        if (kind !== undefined && !isCustomerMessageKind(kind)) {
          return {
            status: 400,
            json: { error: { message: `kind must be one of ${customerMessageKinds.join(', ')}` } },
          };
        }
        const sent = simulator.sendOne(kind);
        // 202: the body is on its way to the edge; delivery (with retries) continues after we answer.
        return { status: 202, json: { wamid: sent.wamid, kind: sent.kind } };
      },
    },
    {
      method: 'POST',
      path: '/simulator/pause',
      handle() {
        simulator.pause();
        return { status: 200, json: { running: simulator.status().running } };
      },
    },
    {
      method: 'POST',
      path: '/simulator/resume',
      handle() {
        simulator.resume();
        return { status: 200, json: { running: simulator.status().running } };
      },
    },
  ];
}
