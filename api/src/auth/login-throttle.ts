// Sign-in throttling shared by every api process (counters live in Postgres, table login_throttle):
// a few consecutive failures lock one account for a while, and many failures from one address lock
// that address, so guessing is slow whether it targets one account or sprays many.
import { createHash } from 'node:crypto';
import type pg from 'pg';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';

export interface ThrottleLimits {
  /** Failures allowed per account before it is locked for `windowSeconds`. */
  perAccount: number;
  /** Failures allowed per client address before it is locked for `windowSeconds`. */
  perAddress: number;
  windowSeconds: number;
}

export const DEFAULT_THROTTLE: ThrottleLimits = { perAccount: 5, perAddress: 50, windowSeconds: 15 * 60 };

export interface LoginThrottle {
  /** Seconds to wait before trying again, or 0 when a try is allowed. */
  retryAfter(email: string, address: string): Promise<number>;
  recordFailure(email: string, address: string): Promise<void>;
  recordSuccess(email: string): Promise<void>;
}

// Keys are hashes: the table never holds an email address or an IP.
const key = (kind: string, value: string) => createHash('sha256').update(`${kind}:${value.toLowerCase()}`).digest('hex');

export function createLoginThrottle(pool: pg.Pool, limits: ThrottleLimits = DEFAULT_THROTTLE): LoginThrottle {
  const common = { storeClient: pool, storeType: 'pool', tableName: 'login_throttle', tableCreated: true, clearExpiredByTimeout: false };
  const byAccount = new RateLimiterPostgres({ ...common, keyPrefix: 'acct', points: limits.perAccount, duration: limits.windowSeconds, blockDuration: limits.windowSeconds });
  const byAddress = new RateLimiterPostgres({ ...common, keyPrefix: 'addr', points: limits.perAddress, duration: limits.windowSeconds, blockDuration: limits.windowSeconds });

  const waitOf = (res: RateLimiterRes | null, points: number) => (res && res.consumedPoints >= points ? Math.max(1, Math.ceil(res.msBeforeNext / 1000)) : 0);

  return {
    async retryAfter(email, address) {
      const [account, client] = await Promise.all([byAccount.get(key('acct', email)), byAddress.get(key('addr', address))]);
      return Math.max(waitOf(account, limits.perAccount), waitOf(client, limits.perAddress));
    },
    async recordFailure(email, address) {
      // consume() rejects with a RateLimiterRes once a limit is reached; being over is what we record.
      await Promise.all([
        byAccount.consume(key('acct', email)).catch(rejectUnlessLimit),
        byAddress.consume(key('addr', address)).catch(rejectUnlessLimit),
      ]);
    },
    async recordSuccess(email) {
      await byAccount.delete(key('acct', email));
    },
  };
}

function rejectUnlessLimit(reason: unknown): void {
  if (!(reason instanceof RateLimiterRes)) throw reason;
}
