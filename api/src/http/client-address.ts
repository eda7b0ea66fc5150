// The address a request comes from, for the sign-in throttle and anything else keyed on address: the
// TCP peer, unless that peer is a proxy we trust (TRUSTED_PROXIES), in which case X-Forwarded-For is
// walked back, hop by trusted hop, to the first address not trusted — Express's "trust proxy"
// semantics, from the library Express uses for them (proxy-addr).
// https://expressjs.com/en/guide/behind-proxies.html
import type { IncomingMessage } from 'node:http';
import proxyaddr from 'proxy-addr';

/** Whether the hop at `address`, `hop` steps from us (0: the TCP peer), is a proxy whose X-Forwarded-For is believed. */
export type TrustProxy = (address: string, hop: number) => boolean;

/**
 * TRUSTED_PROXIES: empty trusts nobody (X-Forwarded-For is ignored); a whole number N trusts the N
 * nearest hops whatever their address; otherwise a comma-separated list of addresses, CIDR ranges and
 * the names `loopback`, `linklocal` and `uniquelocal`.
 */
export function parseTrustedProxies(setting: string): { ok: true; trust: TrustProxy } | { ok: false; problem: string } {
  const value = setting.trim();
  if (!value) return { ok: true, trust: () => false };
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    return { ok: true, trust: (_address, hop) => hop < hops };
  }
  try {
    return { ok: true, trust: proxyaddr.compile(value.split(',').map((part) => part.trim()).filter(Boolean)) };
  } catch (error) {
    return {
      ok: false,
      problem: `TRUSTED_PROXIES: ${(error as Error).message} (expected a number of hops, or addresses, CIDR ranges, loopback, linklocal, uniquelocal, separated by commas)`,
    };
  }
}

export function clientAddress(req: IncomingMessage, trust: TrustProxy): string {
  // proxy-addr reads the peer from req.socket; a socket already gone has none.
  return req.socket.remoteAddress ? proxyaddr(req, trust) : 'unknown';
}
