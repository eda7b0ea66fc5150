// The GraphQL over HTTP conformance audit from graphql-http, against the running api: every MUST and
// SHOULD has to pass. The audit's requests carry a valid key, since the API is never open.
import { serverAudits } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetDatabase, seedDevTenant, startApi, type RunningApi } from '../support/stack.ts';

describe('GraphQL over HTTP audit', () => {
  let api: RunningApi;
  let key: string;

  beforeAll(async () => {
    api = await startApi();
    await resetDatabase();
    ({ apiKey: key } = await seedDevTenant());
  });
  afterAll(() => api?.stop());

  const audits = serverAudits({
    url: () => `${api.url}/graphql`,
    fetchFn: (input: RequestInfo | URL, init?: RequestInit) => {
      const headers = new Headers(init?.headers);
      headers.set('authorization', `Bearer ${key}`);
      return fetch(input, { ...init, headers });
    },
  });

  for (const audit of audits.filter((a) => a.name.startsWith('MUST') || a.name.startsWith('SHOULD'))) {
    it(audit.name, async () => {
      const result = await audit.fn();
      expect(result.status === 'ok' ? 'ok' : `${result.status}: ${'reason' in result ? result.reason : ''}`).toBe('ok');
    });
  }
});
