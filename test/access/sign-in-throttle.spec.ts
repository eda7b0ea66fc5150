// The sign-in throttle holds under parallel attempts: each attempt takes its slot before the password
// is checked, so 50 requests fired at once get exactly the limit's number of checks, on one account
// (5) and from one address (50). A right password gives its slot back.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { graphql, logIn, resetDatabase, seedDevTenant, seedUser, startApi, type RunningApi } from '../support/stack.ts';

const PASSWORD = 'correct horse battery';
const LOG_IN = `mutation ($email: String!, $password: String!) {
  logIn(input: { email: $email, password: $password }) { __typename ... on TooManyAttemptsError { retryAfterSeconds } } }`;

type Outcome = { __typename: string; retryAfterSeconds?: number };

describe('sign-in throttle under parallel attempts', () => {
  let api: RunningApi;
  let tenantId: string;

  beforeAll(async () => {
    api = await startApi({ runJobs: false });
  });
  afterAll(() => api?.stop());
  beforeEach(async () => {
    await resetDatabase();
    ({ tenantId } = await seedDevTenant());
    await seedUser(tenantId, { email: 'ana@acme.test' });
  });

  const attempt = async (email: string, password: string): Promise<Outcome> => {
    const answer = await graphql(api.url, null, LOG_IN, { email, password });
    expect(answer.errors).toBeUndefined();
    return answer.data!.logIn as Outcome;
  };
  const tally = (outcomes: Outcome[]) => {
    const counts: Record<string, number> = {};
    for (const o of outcomes) counts[o.__typename] = (counts[o.__typename] ?? 0) + 1;
    return counts;
  };

  it('checks exactly 5 of 50 parallel guesses at one account and refuses the other 45 with the throttle error', async () => {
    const outcomes = await Promise.all(Array.from({ length: 50 }, (_, i) => attempt('ana@acme.test', `guess number ${i}`)));
    expect(tally(outcomes)).toEqual({ InvalidCredentialsError: 5, TooManyAttemptsError: 45 });
    for (const o of outcomes.filter((o) => o.__typename === 'TooManyAttemptsError')) {
      expect(o.retryAfterSeconds).toBeGreaterThan(14 * 60);
      expect(o.retryAfterSeconds).toBeLessThanOrEqual(15 * 60);
    }
    // The account stays locked, even for its right password.
    expect(await attempt('ana@acme.test', PASSWORD)).toMatchObject({ __typename: 'TooManyAttemptsError' });
  });

  it('checks exactly 50 of 60 parallel guesses from one address spread over 60 accounts', async () => {
    const outcomes = await Promise.all(Array.from({ length: 60 }, (_, i) => attempt(`guess${i}@acme.test`, 'wrong password')));
    expect(tally(outcomes)).toEqual({ InvalidCredentialsError: 50, TooManyAttemptsError: 10 });
    expect(await attempt('ana@acme.test', PASSWORD)).toMatchObject({ __typename: 'TooManyAttemptsError' });
  });

  it('gives the slot back on a right password, for the address and the account', async () => {
    // 4 failures on the account and 45 more from the address: one slot is left for each.
    for (let i = 0; i < 4; i++) expect(await attempt('ana@acme.test', `guess number ${i}`)).toEqual({ __typename: 'InvalidCredentialsError' });
    await Promise.all(Array.from({ length: 45 }, (_, i) => attempt(`guess${i}@acme.test`, 'wrong password')));
    // Right passwords take the last slot and give it back, again and again.
    for (let i = 0; i < 3; i++) await logIn(api.url, 'ana@acme.test', PASSWORD);
    // The account's failures are forgotten; the address still has its one slot.
    expect(await attempt('ana@acme.test', 'one more guess')).toEqual({ __typename: 'InvalidCredentialsError' });
    expect(await attempt('ana@acme.test', 'and another')).toMatchObject({ __typename: 'TooManyAttemptsError' });
  });
});
