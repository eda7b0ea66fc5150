// The sign-in throttle's address behind a proxy (TRUSTED_PROXIES), over real HTTP: clients behind a
// trusted proxy are counted apart by X-Forwarded-For; an untrusted peer's X-Forwarded-For counts for nothing.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resetDatabase, seedDevTenant, seedUser, startApi, type RunningApi } from '../support/stack.ts';

const LOG_IN = `mutation ($email: String!, $password: String!) {
  logIn(input: { email: $email, password: $password }) { __typename ... on TooManyAttemptsError { retryAfterSeconds } } }`;
/** Failures one address may make (login-throttle.ts DEFAULT_THROTTLE.perAddress) before it is paused. */
const PER_ADDRESS = 50;
const email = 'agent@acme.test';
const password = 'correct horse battery';

/** A sign-in through a proxy on this machine (the test's connections come from 127.0.0.1). */
async function logInVia(api: RunningApi, forwardedFor: string, who: { email: string; password: string }): Promise<string> {
  const res = await fetch(`${api.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
    body: JSON.stringify({ query: LOG_IN, variables: who }),
  });
  const body = (await res.json()) as { data?: { logIn: { __typename: string } } };
  return body.data?.logIn.__typename ?? JSON.stringify(body);
}

/** One client guesses wrong on many accounts (each stays under its own limit) until its address is paused. */
async function exhaustAddress(api: RunningApi, forwardedFor: string): Promise<string[]> {
  const outcomes: string[] = [];
  for (let i = 0; i < PER_ADDRESS; i++) outcomes.push(await logInVia(api, forwardedFor, { email: `nobody-${i}@acme.test`, password: 'guess' }));
  return [...new Set(outcomes)];
}

describe('the sign-in throttle behind a proxy (TRUSTED_PROXIES)', () => {
  let api: RunningApi | undefined;
  beforeEach(async () => {
    await resetDatabase();
    const { tenantId } = await seedDevTenant();
    await seedUser(tenantId, { email, password });
  });
  afterEach(() => api?.stop());

  it('counts two clients behind a trusted proxy apart, by their X-Forwarded-For', async () => {
    api = await startApi({ trustedProxies: 'loopback' });
    expect(await exhaustAddress(api, '203.0.113.7')).toEqual(['InvalidCredentialsError']);
    expect({
      pausedClient: await logInVia(api, '203.0.113.7', { email, password }),
      otherClient: await logInVia(api, '203.0.113.8', { email, password }),
      // What a client prepends is not believed: the proxy appended the address it saw last.
      spoofedOther: await logInVia(api, '203.0.113.8, 203.0.113.7', { email, password }),
    }).toEqual({ pausedClient: 'TooManyAttemptsError', otherClient: 'MutationLogInSuccess', spoofedOther: 'TooManyAttemptsError' });
  });

  it("ignores X-Forwarded-For from a peer it does not trust: every client there is the peer's address", async () => {
    api = await startApi({ trustedProxies: '10.0.0.0/8' });
    expect(await exhaustAddress(api, '203.0.113.7')).toEqual(['InvalidCredentialsError']);
    expect(await logInVia(api, '203.0.113.8', { email, password })).toBe('TooManyAttemptsError');
  });

  it('trusts nobody by default', async () => {
    api = await startApi();
    expect(await exhaustAddress(api, '203.0.113.7')).toEqual(['InvalidCredentialsError']);
    expect(await logInVia(api, '203.0.113.8', { email, password })).toBe('TooManyAttemptsError');
  });
});
