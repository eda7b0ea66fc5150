import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { clientAddress, parseTrustedProxies } from './client-address.ts';

/** A request as the HTTP server hands it over: the TCP peer, and what it says it forwarded. */
const request = (peer: string, forwardedFor?: string) =>
  ({ socket: { remoteAddress: peer }, headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor } }) as unknown as IncomingMessage;

function addressWith(setting: string, peer: string, forwardedFor?: string): string {
  const parsed = parseTrustedProxies(setting);
  if (!parsed.ok) throw new Error(parsed.problem);
  return clientAddress(request(peer, forwardedFor), parsed.trust);
}

describe('client-address', () => {
  describe('trusting nobody (TRUSTED_PROXIES unset)', () => {
    it('is the TCP peer, whatever X-Forwarded-For says', () => {
      expect([addressWith('', '198.51.100.1', '203.0.113.7'), addressWith('', '127.0.0.1', '203.0.113.7')]).toEqual(['198.51.100.1', '127.0.0.1']);
    });
  });

  describe('trusted addresses and ranges', () => {
    it("believes a trusted peer's X-Forwarded-For, and walks it back through trusted hops to the first untrusted one", () => {
      expect(addressWith('loopback', '127.0.0.1', '203.0.113.7')).toBe('203.0.113.7');
      expect(addressWith('loopback', '::ffff:127.0.0.1', '203.0.113.7')).toBe('203.0.113.7');
      expect(addressWith('loopback, 10.0.0.0/8', '127.0.0.1', '203.0.113.7, 10.1.2.3')).toBe('203.0.113.7');
      // A client can prepend anything; only what the trusted hops appended counts.
      expect(addressWith('loopback', '127.0.0.1', '1.1.1.1, 203.0.113.7')).toBe('203.0.113.7');
    });

    it("ignores an untrusted peer's X-Forwarded-For", () => {
      expect(addressWith('10.0.0.0/8', '198.51.100.1', '203.0.113.7')).toBe('198.51.100.1');
    });

    it('is the peer when a trusted proxy forwarded nothing', () => {
      expect(addressWith('loopback', '127.0.0.1')).toBe('127.0.0.1');
    });
  });

  describe('a number of hops', () => {
    it('trusts that many nearest hops, whatever their address', () => {
      expect(addressWith('1', '198.51.100.1', '1.1.1.1, 203.0.113.7')).toBe('203.0.113.7');
      expect(addressWith('2', '198.51.100.1', '1.1.1.1, 203.0.113.7')).toBe('1.1.1.1');
      expect(addressWith('0', '198.51.100.1', '203.0.113.7')).toBe('198.51.100.1');
    });
  });

  describe('parseTrustedProxies', () => {
    it('says what is wrong with a setting it cannot read', () => {
      expect(parseTrustedProxies('loopback, 300.1.1.1')).toEqual({
        ok: false,
        problem: 'TRUSTED_PROXIES: invalid IP address: 300.1.1.1 (expected a number of hops, or addresses, CIDR ranges, loopback, linklocal, uniquelocal, separated by commas)',
      });
      expect(parseTrustedProxies('true').ok).toBe(false);
    });
  });
});
