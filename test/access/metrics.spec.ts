// /metrics shows platform-wide volumes: over real HTTP, it answers only to METRICS_TOKEN as a bearer
// token, and does not exist when no token is configured.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { METRICS_TOKEN, startApi, type RunningApi } from '../support/stack.ts';

async function scrape(api: RunningApi, authorization?: string) {
  const res = await fetch(`${api.url}/metrics`, { headers: authorization ? { authorization } : {} });
  const body = await res.text();
  return { status: res.status, wwwAuthenticate: res.headers.get('www-authenticate'), figures: body.includes('switchboard_ingest_batches_total') };
}

describe('/metrics', () => {
  describe('with METRICS_TOKEN set', () => {
    let api: RunningApi;
    beforeAll(async () => {
      api = await startApi();
    });
    afterAll(() => api?.stop());

    it('answers the figures to the token', async () => {
      expect(await scrape(api, `Bearer ${METRICS_TOKEN}`)).toEqual({ status: 200, wwwAuthenticate: null, figures: true });
    });

    it('answers 401 without the token, with another token, or with it in another scheme', async () => {
      const refused = { status: 401, wwwAuthenticate: 'Bearer realm="metrics"', figures: false };
      expect([
        await scrape(api),
        await scrape(api, `Bearer ${METRICS_TOKEN}x`),
        await scrape(api, `Bearer ${METRICS_TOKEN.slice(0, -1)}`),
        await scrape(api, `Basic ${Buffer.from(`metrics:${METRICS_TOKEN}`).toString('base64')}`),
      ]).toEqual([refused, refused, refused, refused]);
    });
  });

  describe('without METRICS_TOKEN', () => {
    let api: RunningApi;
    beforeAll(async () => {
      api = await startApi({ metricsToken: null });
    });
    afterAll(() => api?.stop());

    it('answers 404, token or not', async () => {
      expect([(await scrape(api)).status, (await scrape(api, `Bearer ${METRICS_TOKEN}`)).status]).toEqual([404, 404]);
    });
  });
});
