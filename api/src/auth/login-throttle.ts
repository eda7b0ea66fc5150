// Sign-in throttling shared by every api process (counters live in Postgres, table login_throttle):
// a few consecutive failures lock one account for a while, and many failures from one address lock
// that address, so guessing is slow whether it targets one account or sprays many.
//
// An attempt takes its slot before the password is checked (one atomic upsert per counter), and a
// right password gives it back. Checking first and counting after would let N parallel attempts all
// pass the check before any of them is counted: N guesses instead of the limit.
import { createHash } from 'node:crypto';
import type pg from 'pg';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';

export interface ThrottleLimits {
  /** Attempts allowed per account before it is locked for `windowSeconds` (a right password gives its attempt back). */
  perAccount: number;
  /** Attempts allowed per client address before it is locked for `windowSeconds` (likewise). */
  perAddress: number;
  windowSeconds: number;
}

export const DEFAULT_THROTTLE: ThrottleLimits = { perAccount: 5, perAddress: 50, windowSeconds: 15 * 60 };

export interface LoginThrottle {
  /**
   * Takes one attempt for the account and one for the address, before the password is checked.
   * 0 when both were taken; else the seconds to wait, and nothing stays taken.
   */
  take(email: string, address: string): Promise<number>;
  /** The password was right: the attempt is given back and the account's failures are forgotten. */
  giveBack(email: string, address: string): Promise<void>;
  /**
   * The password was right but a second factor is still to come: this attempt's slots go back and the
   * account's earlier failures (wrong codes among them) stay counted.
   */
  release(email: string, address: string): Promise<void>;
}

// Keys are hashes: the table never holds an email address or an IP.
const key = (kind: string, value: string) => createHash('sha256').update(`${kind}:${value.toLowerCase()}`).digest('hex');

export function createLoginThrottle(pool: pg.Pool, limits: ThrottleLimits = DEFAULT_THROTTLE): LoginThrottle {
  const common = { storeClient: pool, storeType: 'pool', tableName: 'login_throttle', tableCreated: true, clearExpiredByTimeout: false };
  const byAccount = new RateLimiterPostgres({ ...common, keyPrefix: 'acct', points: limits.perAccount, duration: limits.windowSeconds, blockDuration: limits.windowSeconds });
  const byAddress = new RateLimiterPostgres({ ...common, keyPrefix: 'addr', points: limits.perAddress, duration: limits.windowSeconds, blockDuration: limits.windowSeconds });

  /** 0 when the point was taken; else the seconds until the counter lets one through. */
  const takeOne = (limiter: RateLimiterPostgres, k: string) =>
    limiter.consume(k).then(
      () => 0,
      (reason: unknown) => {
        // consume() rejects with a RateLimiterRes when the limit is reached; anything else is a failure.
        if (!(reason instanceof RateLimiterRes)) throw reason;
        return Math.max(1, Math.ceil(reason.msBeforeNext / 1000));
      },
    );

  return {
    async take(email, address) {
      const account = key('acct', email);
      const accountWait = await takeOne(byAccount, account);
      if (accountWait > 0) return accountWait;
      const addressWait = await takeOne(byAddress, key('addr', address));
      // Refused by the address: this attempt checks nothing, so the account's slot goes back.
      if (addressWait > 0) await byAccount.reward(account, 1);
      return addressWait;
    },
    async giveBack(email, address) {
      await Promise.all([byAccount.delete(key('acct', email)), byAddress.reward(key('addr', address), 1)]);
    },
    async release(email, address) {
      await Promise.all([byAccount.reward(key('acct', email), 1), byAddress.reward(key('addr', address), 1)]);
    },
  };
}
