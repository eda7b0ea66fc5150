// Switchboard edge Worker. `fetch` receives Meta's WhatsApp webhooks (handshake, then signed
// POSTs that go onto the `webhooks` queue); `queue` forwards queued webhooks to the api.
// Bindings and batch settings: ../../wrangler.toml. Notes: ../README.md.

import { forwardBatch } from "./forward-batch.ts";
import { routeRequest } from "./route-request.ts";

export default {
  fetch: (request, env) => routeRequest(request, env),
  queue: (batch, env) => forwardBatch(batch, env),
} satisfies ExportedHandler<Env>;
