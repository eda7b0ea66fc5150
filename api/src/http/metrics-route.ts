// GET /metrics: Prometheus's scrape, for whoever holds METRICS_TOKEN (Authorization: Bearer <token>).
// The figures are platform-wide (every tenant's volumes), so without a token configured the route
// does not exist (404), and a wrong or missing token gets 401.
// https://prometheus.io/docs/prometheus/latest/configuration/configuration/#scrape_config (authorization)
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';
import { bearerToken } from '../auth/api-key.ts';
import { reply } from './reply.ts';

export function createMetricsRoute({ registry, token }: { registry: Registry; token: string | null }) {
  // Digests of equal length, so the comparison takes the same time whatever is offered.
  const expected = token ? digest(token) : null;
  return async function metricsRoute(req: IncomingMessage, res: ServerResponse) {
    if (!expected) return reply(res, 404, { error: 'not found' });
    const offered = bearerToken(req.headers.authorization ?? null);
    if (!offered || !timingSafeEqual(digest(offered), expected)) {
      return reply(res, 401, { error: 'metrics need Authorization: Bearer <METRICS_TOKEN>' }, { 'www-authenticate': 'Bearer realm="metrics"' });
    }
    res.writeHead(200, { 'content-type': registry.contentType });
    res.end(await registry.metrics());
  };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
